import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { describe, it } from 'node:test';
import { crc32 } from 'node:zlib';
import { wireAnswerProblems } from './wire-answer.js';

function answer(status: number, text: string, headers: IncomingHttpHeaders = {}) {
  const body = Buffer.from(text, 'utf8');
  return {
    status,
    body,
    headers: {
      'x-amzn-requestid': 'REQ1',
      'x-amz-crc32': String(crc32(body)),
      'content-type': 'application/x-amz-json-1.0',
      ...headers,
    },
  };
}

describe('wireAnswerProblems', () => {
  const wellFormed: { name: string; status: number; text: string; headers?: IncomingHttpHeaders }[] = [
    { name: 'a 200 JSON object', status: 200, text: '{"TableNames":[]}' },
    { name: 'a 200 in plain JSON', status: 200, text: '{}', headers: { 'content-type': 'application/json' } },
    { name: 'a 200 in AWS JSON 1.1', status: 200, text: '{}', headers: { 'content-type': 'application/x-amz-json-1.1' } },
    {
      name: 'a validation error',
      status: 400,
      text: '{"__type":"com.amazonaws.dynamodb.v20120810#ValidationException","message":"1 validation error detected"}',
    },
    { name: 'an error without a message', status: 400, text: '{"__type":"com.amazon.coral.service#UnknownOperationException"}' },
    { name: 'an error with Message', status: 400, text: '{"__type":"com.amazon.coral.validate#ValidationException","Message":"x"}' },
    { name: 'the non-JSON-protocol 404', status: 404, text: '<UnknownOperationException/>\n', headers: { 'content-type': undefined } },
  ];
  for (const { name, status, text, headers } of wellFormed) {
    it(`accepts ${name}`, () => assert.deepEqual(wireAnswerProblems(answer(status, text, headers)), []));
  }

  const malformed: { name: string; status: number; text: string; headers?: IncomingHttpHeaders; problems: string[] }[] = [
    {
      name: 'a server error',
      status: 500,
      text: '{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"Internal server error"}',
      problems: ['server error 500', 'unexpected status 500'],
    },
    { name: 'an error without __type', status: 400, text: '{"message":"bad"}', problems: ['error without a valid __type: {"message":"bad"}'] },
    { name: 'a malformed __type', status: 400, text: '{"__type":"Validation Exception"}', problems: ['error without a valid __type: {"__type":"Validation Exception"}'] },
    { name: 'a non-string message', status: 400, text: '{"__type":"a#B","message":3}', problems: ['message is not a string: {"__type":"a#B","message":3}'] },
    { name: 'a 200 that is an error', status: 200, text: '{"__type":"a#B"}', problems: ['a 200 answer carries __type a#B'] },
    { name: 'a non-JSON body', status: 200, text: 'oops', problems: ['body is not JSON: "oops"'] },
    { name: 'a JSON array', status: 200, text: '[]', problems: ['body is not a JSON object: []'] },
    {
      name: 'a wrong content type',
      status: 200,
      text: '{}',
      headers: { 'content-type': 'text/html' },
      problems: ['content-type text/html is not a JSON protocol type'],
    },
    { name: 'an unexpected status', status: 403, text: '{"__type":"a#B"}', problems: ['unexpected status 403'] },
    {
      name: 'a 404 with another body',
      status: 404,
      text: 'Not Found',
      headers: { 'content-type': undefined },
      problems: ['content-type undefined is not a JSON protocol type', 'unexpected status 404', 'body is not JSON: "Not Found"'],
    },
    { name: 'a missing request id', status: 200, text: '{}', headers: { 'x-amzn-requestid': undefined }, problems: ['no x-amzn-RequestId header'] },
    { name: 'a missing checksum', status: 200, text: '{}', headers: { 'x-amz-crc32': undefined }, problems: ['no x-amz-crc32 header'] },
    {
      name: 'a wrong checksum',
      status: 200,
      text: '{}',
      headers: { 'x-amz-crc32': '1' },
      problems: [`x-amz-crc32 1 is not the body's CRC-32 ${crc32(Buffer.from('{}'))}`],
    },
  ];
  for (const { name, status, text, headers, problems } of malformed) {
    it(`rejects ${name}`, () => assert.deepEqual(wireAnswerProblems(answer(status, text, headers)), problems));
  }
});
