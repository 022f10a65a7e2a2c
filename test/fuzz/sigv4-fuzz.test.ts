/**
 * SigV4 fuzz: requests signed by a known key (header and presigned forms), then mutated — the Authorization
 * header cut, spliced and rewritten, the date and expiry replaced by random and edge-case text, query strings with
 * broken escapes and repeated parameters, session tokens and payload hashes replaced — must each get a
 * well-formed answer within a timeout: a 200 when the mutation left the signature valid, else a 400 whose type is
 * one of authentication's (never a 500, a crash or a hang). The server must still answer afterwards.
 *
 * Bounded: 250 requests or 15 s. The seed is fixed; set CAIRN_FUZZ_SEED to explore further.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { startServer } from '../../src/server.js';
import { parseAuthFile } from '../../src/auth/auth-file.js';
import { AUTH_FILE, SESSION_A, USER_A } from '../helpers/auth.js';
import { signRaw } from '../helpers/sigv4.js';
import { createKeepAliveAgent, sendRaw, type RawRequest } from './raw-http.js';
import { wireAnswerProblems, type RawAnswer } from './wire-answer.js';

const NUM_RUNS = 250;
const TIME_LIMIT_MS = 15_000;
const REQUEST_TIMEOUT_MS = 5_000;
const SEED = Number(process.env['CAIRN_FUZZ_SEED'] ?? 20_261_206);

const AUTH_ERRORS = new Set([
  'MissingAuthenticationTokenException',
  'IncompleteSignatureException',
  'InvalidSignatureException',
  'UnrecognizedClientException',
  'ExpiredTokenException',
]);

const printable = fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code));
const printableString = (maxLength: number): fc.Arbitrary<string> => fc.string({ unit: printable, maxLength });

/** Text that lands near the parser's decisions: separators, escapes, date-like and scope-like pieces. */
const PIECES = [
  ' ', ',', ', ', '=', '==', '/', '//', ';', 'Credential=', 'SignedHeaders=', 'Signature=', 'AWS4-HMAC-SHA256', 'AWS4-',
  'aws4_request', 'dynamodb', 'us-east-1', 'host', 'x-amz-date', '20260101', '20260101T000000Z', '99991231T235959Z',
  '00000000T000000Z', '20261340T256161Z', 'T', 'Z', '%', '%zz', '%2F', '%E1%88', '+', '\u00e9', '\u{1F600}', '0'.repeat(64), 'ffff',
];
const pieceText = fc.array(fc.oneof(fc.constantFrom(...PIECES), printableString(6)), { maxLength: 8 }).map((parts) => parts.join(''));

type TextMutation =
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'replace'; at: number; length: number; text: string }
  | { kind: 'whole'; text: string };

const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: pieceText }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 20 }), text: pieceText }),
  { arbitrary: fc.record({ kind: fc.constant('whole' as const), text: pieceText }), weight: 1 },
);

function mutateText(text: string, mutations: readonly TextMutation[]): string {
  let out = text;
  for (const mutation of mutations) {
    const at = mutation.kind === 'whole' ? 0 : mutation.at % (out.length + 1);
    if (mutation.kind === 'delete') out = out.slice(0, at) + out.slice(at + mutation.length);
    else if (mutation.kind === 'insert') out = out.slice(0, at) + mutation.text + out.slice(at);
    else if (mutation.kind === 'replace') out = out.slice(0, at) + mutation.text + out.slice(at + mutation.length);
    else out = mutation.text;
  }
  return out;
}

/** Which part of a signed request is mutated. */
const part = fc.constantFrom('authorization', 'x-amz-date', 'query', 'x-amz-security-token', 'x-amz-content-sha256', 'date-header', 'drop-header');

const requestSpec = fc.record({
  presigned: fc.boolean(),
  session: fc.boolean(),
  /** Signing time relative to now, in minutes: mostly now, sometimes outside the 15-minute window. */
  offsetMinutes: fc.oneof({ arbitrary: fc.constant(0), weight: 4 }, fc.integer({ min: -60 * 24, max: 60 * 24 })),
  expires: fc.oneof({ arbitrary: fc.constant(300), weight: 3 }, fc.integer({ min: 1, max: 604_800 })),
  edits: fc.array(fc.record({ part, mutations: fc.array(textMutation, { minLength: 1, maxLength: 3 }) }), { maxLength: 3 }),
});

type RequestSpec = typeof requestSpec extends fc.Arbitrary<infer T> ? T : never;

async function buildRequest(url: string, spec: RequestSpec): Promise<RawRequest> {
  const signed = await signRaw({
    url,
    credentials: spec.session ? { ...SESSION_A } : { ...USER_A },
    target: 'DynamoDB_20120810.ListTables',
    body: '{}',
    date: new Date(Date.now() + spec.offsetMinutes * 60_000),
    ...(spec.presigned ? { presignExpires: spec.expires } : {}),
  });
  const headers: Record<string, string> = { ...signed.headers };
  let path = signed.path;
  for (const edit of spec.edits) {
    switch (edit.part) {
      case 'query': {
        const query = path.startsWith('/?') ? path.slice(2) : '';
        path = `/?${mutateText(query, edit.mutations)}`;
        break;
      }
      case 'date-header':
        delete headers['x-amz-date'];
        headers['date'] = mutateText(new Date().toUTCString(), edit.mutations);
        break;
      case 'drop-header': {
        const names = Object.keys(headers).filter((name) => name !== 'x-amz-target' && name !== 'content-type');
        const name = names[(edit.mutations[0]?.kind === 'whole' ? 0 : (edit.mutations[0]?.at ?? 0)) % Math.max(1, names.length)];
        if (name !== undefined) delete headers[name];
        break;
      }
      default:
        headers[edit.part] = mutateText(headers[edit.part] ?? '', edit.mutations);
    }
  }
  // A header value node refuses to send (control characters) is not a request anyone can make: drop it.
  for (const [name, value] of Object.entries(headers)) if (/[^\t\x20-\x7e\x80-\xff]/.test(value)) delete headers[name];
  // Likewise a path with characters that are not allowed in a request target.
  // (a lone surrogate, left by a cut through an emoji, becomes the UTF-8 of U+FFFD).
  path = path.replace(/[^\x21-\x7e]/g, (character) => [...Buffer.from(character, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join(''));
  return { path, headers, body: Buffer.from('{}') };
}

function errorTypeOf(answer: RawAnswer): string | undefined {
  try {
    const parsed = JSON.parse(answer.body.toString('utf8')) as { __type?: unknown };
    return typeof parsed.__type === 'string' ? parsed.__type.replace(/^.*#/, '') : undefined;
  } catch {
    return undefined;
  }
}

const agent = createKeepAliveAgent();
let url = '';
let close: (() => Promise<void>) | undefined;

before(async () => {
  const server = await startServer({ host: '127.0.0.1', port: 0, inMemory: true, logLevel: 'error', auth: parseAuthFile(AUTH_FILE) });
  url = server.url;
  close = () => server.close();
});

after(async () => {
  agent.destroy();
  await close?.();
});

describe('SigV4 fuzz', () => {
  it(`answers ${NUM_RUNS} mutated signed requests with 200 or an authentication error`, { timeout: 60_000 }, async (t) => {
    let sent = 0;
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(requestSpec, async (spec) => {
        const request = await buildRequest(url, spec);
        sent++;
        let answer: RawAnswer;
        try {
          answer = await sendRaw(url, request, agent, REQUEST_TIMEOUT_MS);
        } catch (error) {
          throw new Error(`no answer (${error instanceof Error ? error.message : String(error)}) to ${JSON.stringify(request)}`);
        }
        const problems = wireAnswerProblems(answer);
        const type = errorTypeOf(answer);
        const outcome = answer.status === 200 ? 'ok' : (type ?? `status ${answer.status}`);
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        if (answer.status !== 200 && !(answer.status === 400 && type !== undefined && AUTH_ERRORS.has(type))) {
          problems.push(`not an authentication error: ${answer.status} ${answer.body.toString('utf8').slice(0, 300)}`);
        }
        if (problems.length > 0) throw new Error(`${problems.join('; ')}\n${JSON.stringify(request)}`);
      }),
      { numRuns: NUM_RUNS, seed: SEED, includeErrorInReport: true, plugins: [fc.interruptAfterTimeLimit(TIME_LIMIT_MS)] },
    );
    const tally = [...outcomes].map(([key, count]) => `${key} x${count}`).join(', ');
    t.diagnostic(`${sent} requests (seed ${SEED}): ${tally}`);
    assert.ok(sent >= 80, `only ${sent} requests were sent within ${TIME_LIMIT_MS} ms`);
    // The generators must reach the successful path and most of the refusals.
    for (const expected of ['ok', 'IncompleteSignatureException', 'InvalidSignatureException']) {
      assert.ok(outcomes.has(expected), `no ${expected} among ${tally}`);
    }
    assert.ok(outcomes.size >= 4, `only ${outcomes.size} outcomes: ${tally}`);
  });

  it('still answers a signed request afterwards', async () => {
    const signed = await signRaw({ url, credentials: { ...USER_A }, target: 'DynamoDB_20120810.ListTables', body: '{}' });
    const answer = await sendRaw(url, { path: signed.path, headers: signed.headers, body: Buffer.from(signed.body) }, agent, REQUEST_TIMEOUT_MS);
    assert.deepEqual(wireAnswerProblems(answer), []);
    assert.equal(answer.status, 200);
  });
});
