/**
 * The rules DynamoDB holds tags to (TagResource, CreateTable's Tags, UntagResource's TagKeys), with its words.
 * Keys are 1 to 128 Unicode characters, values 0 to 256, both of letters (any script), numbers, white space and
 * `+ - = . _ : / @`; keys may not start with `aws:`; a request names a key once; a table holds at most 50 tags.
 * DynamoDB checks these itself rather than as model constraints, and rejects the whole request on the first
 * problem. Texts and limits from live captures of DynamoDB (TagResource, UntagResource, CreateTable; us-east-1
 * and us-west-2, 2026-10) kept in a public catalogue of DynamoDB's behaviour, and the Developer Guide's "Tagging
 * restrictions" page.
 */
import { validationError } from '../errors.js';

export const MAX_TAGS = 50;
const MAX_KEY_LENGTH = 128;
const MAX_VALUE_LENGTH = 256;
/** AWS's tag character set: letters, separators (spaces of any kind), numbers and `_ . : / = + - @`. */
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** DynamoDB's answer when a table would hold more than 50 tags, or an UntagResource names more than 50 keys. */
export const TAG_LIMIT_MESSAGE = 'Number of Tags exceed the current limit for the provided ResourceArn';

/** Lengths count Unicode characters (code points), as the Developer Guide states the limits. */
function characters(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

function render(value: unknown): string {
  return typeof value === 'string' ? value : 'null';
}

/** A key of 1 to 128 characters of the tag character set. */
function isValidTagKey(key: unknown): key is string {
  return typeof key === 'string' && key !== '' && characters(key) <= MAX_KEY_LENGTH && TAG_CHARACTERS.test(key);
}

/** A tag key's problem, or undefined. */
export function tagKeyProblem(key: unknown): string | undefined {
  if (!isValidTagKey(key)) return `The Tag Key provided is invalid, Key: ${render(key)}`;
  if (key.startsWith('aws:')) return `Tag Key cannot be prefixed with aws:, Key: ${key}`;
  return undefined;
}

function tagValueProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || characters(value) > MAX_VALUE_LENGTH || !TAG_CHARACTERS.test(value)) {
    return `The Tag Value provided is invalid, Value: ${render(value)}`;
  }
  return undefined;
}

type Tag = Readonly<Record<string, unknown>> | null | undefined;

/** Checks a request's tags (each tag in order, then repeated keys); throws DynamoDB's ValidationException. */
export function checkTags(tags: readonly Tag[]): void {
  const seen = new Set<string>();
  for (const tag of tags) {
    const problem = tagKeyProblem(tag?.Key) ?? tagValueProblem(tag?.Value);
    if (problem !== undefined) throw validationError(problem);
  }
  for (const tag of tags) {
    const key = tag?.Key as string;
    if (seen.has(key)) throw validationError(`Duplicate Tag Keys provided as input: Duplicate Tag Key found ${key}`);
    seen.add(key);
  }
}

/** Checks UntagResource's keys: each a valid key, at most 50 of them. */
export function checkTagKeys(keys: readonly unknown[]): void {
  for (const key of keys) {
    // A key that could not be set cannot be removed either, but the `aws:` prefix is only refused when setting.
    if (!isValidTagKey(key)) throw validationError(`The Tag Key provided is invalid, Key: ${render(key)}`);
  }
  if (keys.length > MAX_TAGS) throw validationError(TAG_LIMIT_MESSAGE);
}
