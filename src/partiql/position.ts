/**
 * DynamoDB's way of pointing into a statement. Its semantic refusals (after a statement parses) end with
 * ` at <line>:<column>:<length>`, e.g. `Unrecognized function: exists at 1:38:6` or
 * `SET_ADD must have exactly two arguments at 1:25:7` (observed from DynamoDB): line and column count from 1, the
 * column in characters from the start of the line, and the length is that of the token pointed at (the function
 * name, or a path's first name), not of the whole node. Syntax errors carry no position (see messages.ts).
 */

/** The maximum length of a statement (the service model's PartiQLStatement: 1 to 8192 characters), checked
 * with the request's other members, before parsing. */
export const MAX_STATEMENT_LENGTH = 8192;

/** `line:column:length` for the token at [pos, pos + length) of `text`. Lines are split at LF (CR LF counts once). */
export function locate(text: string, pos: number, length: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return `${line}:${pos - lineStart + 1}:${length}`;
}

/** `<message> at <line>:<column>:<length>`, DynamoDB's form for a refusal tied to a token. */
export function at(message: string, text: string, pos: number, length: number): string {
  return `${message} at ${locate(text, pos, length)}`;
}
