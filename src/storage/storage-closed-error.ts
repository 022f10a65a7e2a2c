/**
 * The error of any call on a storage after `close()`. It is an internal fault (a request outliving the server),
 * not a DynamoDB error, so it is a plain Error that the HTTP layer reports as an internal server error.
 */
export function storageClosedError(): Error {
  return new Error('Storage is closed');
}
