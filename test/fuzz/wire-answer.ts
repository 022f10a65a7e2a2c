/**
 * What a well-formed DynamoDB answer is, whatever the request: the oracle of the wire fuzz.
 *
 * - never a server error (5xx): every bad request is the client's fault and DynamoDB says so with a 400;
 * - always `x-amzn-RequestId`, and `x-amz-crc32` equal to the CRC-32 of the body bytes (the AWS SDKs verify it);
 * - either DynamoDB's answer to a request outside its JSON protocol (404 with `<UnknownOperationException/>`),
 *   or a JSON object with a JSON content type: 200 without `__type`, or 400 with a `__type` of the form
 *   `<namespace>#<ErrorName>` and, when present, a string `message` (or `Message`).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { crc32 } from 'node:zlib';

export interface RawAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export const NOT_JSON_PROTOCOL_BODY = '<UnknownOperationException/>\n';
/** 1.1 too: Cairn deliberately accepts (and echoes) it for generic AWS JSON clients, where DynamoDB answers 404. */
const JSON_CONTENT_TYPES = ['application/x-amz-json-1.0', 'application/x-amz-json-1.1', 'application/json'];
const ERROR_TYPE = /^[A-Za-z][\w.]*#[A-Za-z]\w*$/;

/** The ways `answer` is not a well-formed DynamoDB answer (empty when it is one). */
export function wireAnswerProblems(answer: RawAnswer): string[] {
  const problems: string[] = [];
  const text = answer.body.toString('utf8');
  if (answer.status >= 500) problems.push(`server error ${answer.status}`);

  const requestId = answer.headers['x-amzn-requestid'];
  if (typeof requestId !== 'string' || requestId === '') problems.push('no x-amzn-RequestId header');
  const checksum = answer.headers['x-amz-crc32'];
  if (typeof checksum !== 'string') problems.push('no x-amz-crc32 header');
  else if (checksum !== String(crc32(answer.body))) {
    problems.push(`x-amz-crc32 ${checksum} is not the body's CRC-32 ${crc32(answer.body)}`);
  }

  if (answer.status === 404 && text === NOT_JSON_PROTOCOL_BODY) return problems;

  const contentType = answer.headers['content-type'];
  if (contentType === undefined || !JSON_CONTENT_TYPES.includes(contentType)) {
    problems.push(`content-type ${String(contentType)} is not a JSON protocol type`);
  }
  if (answer.status !== 200 && answer.status !== 400) problems.push(`unexpected status ${answer.status}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    problems.push(`body is not JSON: ${JSON.stringify(text.slice(0, 120))}`);
    return problems;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    problems.push(`body is not a JSON object: ${text.slice(0, 120)}`);
    return problems;
  }
  const record = body as Record<string, unknown>;
  const type = record['__type'];
  if (answer.status === 200) {
    if (type !== undefined) problems.push(`a 200 answer carries __type ${String(type)}`);
    return problems;
  }
  if (typeof type !== 'string' || !ERROR_TYPE.test(type)) problems.push(`error without a valid __type: ${text.slice(0, 200)}`);
  for (const key of ['message', 'Message']) {
    if (key in record && typeof record[key] !== 'string') problems.push(`${key} is not a string: ${text.slice(0, 200)}`);
  }
  return problems;
}
