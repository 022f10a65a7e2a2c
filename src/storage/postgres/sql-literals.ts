/**
 * Values written into SQL text as literals, for the commit statements that run as EXECUTE in a simple-query string
 * (postgres-storage.ts): a simple query carries no parameters, so its values are spelled out.
 *
 * Every literal is an escape string (`E'...'`), so its meaning does not depend on the server's
 * standard_conforming_strings: inside one, a quote is doubled and a backslash is doubled, and nothing else is
 * special. bytea goes as its hex form (`E'\\x0a1b'`), which holds only hex digits: nothing to escape, and
 * Buffer.toString('hex') is native. CockroachDB and YugabyteDB read escape strings and hex bytea as PostgreSQL does.
 */

/** A text value as an escape-string literal. */
export function textLiteral(text: string): string {
  return `E'${text.replace(/[\\']/g, (char) => char + char)}'`;
}

/** A bytea value as an escape-string literal of its hex form. */
export function byteaLiteral(bytes: Uint8Array): string {
  return `E'\\\\x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}'`;
}

/** A text[] value. */
export function textArray(texts: readonly string[]): string {
  return `ARRAY[${texts.map(textLiteral).join(',')}]::text[]`;
}

/** A bytea[] value. */
export function byteaArray(values: readonly Uint8Array[]): string {
  return `ARRAY[${values.map(byteaLiteral).join(',')}]::bytea[]`;
}

/** A bigint[] value; the numbers must be integers (storage tags are checked before they get here). */
export function bigintArray(values: readonly (number | null)[]): string {
  return `ARRAY[${values.map((value) => (value === null ? 'NULL' : String(value))).join(',')}]::bigint[]`;
}
