/**
 * Assertions on DynamoDB errors as the AWS SDK surfaces them: the exact error name, message and HTTP status.
 */
import assert from 'node:assert/strict';

export interface SdkError {
  name: string;
  message: string;
  $metadata: { httpStatusCode?: number };
  [member: string]: unknown;
}

/** Asserts that `promise` rejects with exactly this error; returns the error for further checks. */
export async function rejectsWith(
  promise: Promise<unknown>,
  name: string,
  message: string,
  status = 400,
): Promise<SdkError> {
  let caught: SdkError | undefined;
  await assert.rejects(promise, (error: unknown) => {
    caught = error as SdkError;
    assert.equal(caught.name, name);
    assert.equal(caught.message, message);
    assert.equal(caught.$metadata.httpStatusCode, status);
    return true;
  });
  return caught as SdkError;
}

export const INVALID = 'One or more parameter values were invalid: ';
