import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadTriggers } from './config-file.js';
import { DEFAULTS, handlerTarget, parseTriggerConfig, TriggerConfigError } from './trigger-config.js';
import { parseTriggerFlag } from './trigger-flag.js';

const dir = mkdtempSync(join(tmpdir(), 'cairn-trigger-config-'));
writeFileSync(join(dir, 'h.mjs'), 'export const handler = () => {};\n');
after(() => rmSync(dir, { recursive: true, force: true }));

describe('trigger settings', () => {
  it('fills in Lambda defaults and resolves the module', () => {
    const config = parseTriggerConfig({ TableName: 'orders', Handler: './h.mjs' }, dir);
    assert.equal(config.Handler, join(dir, 'h.mjs'));
    assert.equal(config.BatchSize, DEFAULTS.BatchSize);
    assert.equal(config.StartingPosition, 'LATEST');
    assert.equal(config.MaximumRetryAttempts, -1);
    assert.deepEqual(config.FunctionResponseTypes, []);
    assert.match(config.Id, /^orders-[0-9a-f]{8}$/);
    assert.equal(parseTriggerConfig({ TableName: 'orders', Handler: './h.mjs' }, dir).Id, config.Id, 'the derived id is stable');
  });

  it('reads every setting, with folded names and aliases', () => {
    const config = parseTriggerConfig(
      {
        id: 'audit',
        table: 'orders',
        region: 'eu-west-1',
        handler: './h.mjs#process',
        'batch-size': '10',
        window: 2,
        starting_position: 'TRIM_HORIZON',
        filter: '{"eventName":["INSERT"]}',
        retries: '3',
        MaximumRecordAgeInSeconds: 60,
        bisect: 'true',
        ReportBatchItemFailures: true,
        onfailure: 'failed.jsonl',
        timeout: '5',
      },
      dir,
    );
    assert.deepEqual(config, {
      Id: 'audit',
      TableName: 'orders',
      Region: 'eu-west-1',
      Handler: `${join(dir, 'h.mjs')}#process`,
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 2,
      StartingPosition: 'TRIM_HORIZON',
      FilterCriteria: { Filters: [{ Pattern: '{"eventName":["INSERT"]}' }] },
      MaximumRetryAttempts: 3,
      MaximumRecordAgeInSeconds: 60,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: `file:${join(dir, 'failed.jsonl')}` } },
      Timeout: 5,
    });
    assert.deepEqual(handlerTarget(config.Handler), { kind: 'module', path: join(dir, 'h.mjs'), exportName: 'process' });
  });

  it('takes Lambda-shaped FilterCriteria and DestinationConfig, and HTTP handlers', () => {
    const config = parseTriggerConfig(
      {
        TableName: 'orders',
        Handler: 'http://127.0.0.1:9000/hook',
        FilterCriteria: { Filters: [{ Pattern: { eventName: ['REMOVE'] } }] },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: { OnFailure: { Destination: 'arn:aws:dynamodb:us-east-1:000000000000:table/failures' } },
      },
      dir,
    );
    assert.deepEqual(config.FilterCriteria, { Filters: [{ Pattern: '{"eventName":["REMOVE"]}' }] });
    assert.deepEqual(handlerTarget(config.Handler), { kind: 'http', url: 'http://127.0.0.1:9000/hook' });
    assert.equal(config.DestinationConfig?.OnFailure.Destination, 'arn:aws:dynamodb:us-east-1:000000000000:table/failures');
  });

  const refused: [string, Record<string, unknown>][] = [
    ['no table', { Handler: './h.mjs' }],
    ['no handler', { TableName: 'orders' }],
    ['a missing module', { TableName: 'orders', Handler: './nope.mjs' }],
    ['a non-module file', { TableName: 'orders', Handler: './h.txt' }],
    ['an unknown setting', { TableName: 'orders', Handler: './h.mjs', BatchSzie: 1 }],
    ['a batch size of 0', { TableName: 'orders', Handler: './h.mjs', BatchSize: 0 }],
    ['a batch size over 10000', { TableName: 'orders', Handler: './h.mjs', BatchSize: 10001 }],
    ['a bad starting position', { TableName: 'orders', Handler: './h.mjs', StartingPosition: 'AT_TIMESTAMP' }],
    ['a bad filter', { TableName: 'orders', Handler: './h.mjs', filter: '{"eventName": "INSERT"}' }],
    ['a record age under 60', { TableName: 'orders', Handler: './h.mjs', MaximumRecordAgeInSeconds: 10 }],
    ['an SQS destination', { TableName: 'orders', Handler: './h.mjs', OnFailure: 'arn:aws:sqs:us-east-1:000000000000:q' }],
    ['a bad id', { Id: 'a/b', TableName: 'orders', Handler: './h.mjs' }],
  ];
  for (const [name, raw] of refused) it(`refuses ${name}`, () => assert.throws(() => parseTriggerConfig(raw, dir), TriggerConfigError));
});

describe('--trigger flags', () => {
  it('splits on top-level commas only', () => {
    assert.deepEqual(parseTriggerFlag('table=orders,handler=./h.mjs,filter={"eventName":["INSERT","MODIFY"]},filter={"a":["b,c"]},batch-size=5'), {
      table: 'orders',
      handler: './h.mjs',
      filter: ['{"eventName":["INSERT","MODIFY"]}', '{"a":["b,c"]}'],
      'batch-size': '5',
    });
  });

  it('refuses malformed flags', () => {
    assert.throws(() => parseTriggerFlag('table'), TriggerConfigError);
    assert.throws(() => parseTriggerFlag('table=a,table=b'), TriggerConfigError);
    assert.throws(() => parseTriggerFlag('filter={"a":["b"]'), TriggerConfigError);
  });

  it('merges the configuration file and flags, refusing duplicate ids', () => {
    writeFileSync(join(dir, 'cairn.config.json'), JSON.stringify({ triggers: [{ Id: 'one', TableName: 'orders', Handler: './h.mjs' }] }));
    const configs = loadTriggers(undefined, ['id=two,table=orders,handler=./h.mjs'], dir);
    assert.deepEqual(
      configs.map((config) => config.Id),
      ['one', 'two'],
    );
    assert.throws(() => loadTriggers(undefined, ['id=one,table=orders,handler=./h.mjs'], dir), TriggerConfigError);
    assert.throws(() => loadTriggers('missing.json', [], dir), TriggerConfigError);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ trigger: [] }));
    assert.throws(() => loadTriggers('bad.json', [], dir), /unknown setting "trigger"/);
  });
});
