/**
 * PartiQL's reserved words: SQL-92's reserved words (PartiQL is backwards compatible with SQL-92) plus PartiQL's
 * own (MISSING, PIVOT, UNPIVOT, LIMIT, OFFSET, REMOVE, ...) and its type names. Written bare, a reserved word is a
 * keyword, never an attribute name: `SELECT value FROM ...` is refused, `SELECT "value" FROM ...` is not.
 * Lower case; the lexer lower-cases before looking up.
 *
 * RETURNING, MODIFIED, ALL/NEW/OLD are matched in context by the parser rather than reserved here, so attribute
 * names such as `new` or `old` keep working (which of them DynamoDB reserves is unconfirmed).
 */
export const KEYWORDS: ReadonlySet<string> = new Set(
  `absolute action add all allocate alter and any are as asc assertion at authorization avg begin between bit
  bit_length both by cascade cascaded case cast catalog char char_length character character_length check close
  coalesce collate collation column commit connect connection constraint constraints continue convert corresponding
  count create cross current current_date current_time current_timestamp current_user cursor date day deallocate dec
  decimal declare default deferrable deferred delete desc describe descriptor diagnostics disconnect distinct domain
  double drop else end escape except exception exec execute exists external extract false fetch first float for
  foreign found from full get global go goto grant group having hour identity immediate in indicator initially inner
  input insensitive insert int integer intersect interval into is isolation join key language last leading left level
  like local lower match max min minute module month names national natural nchar next no not null nullif numeric
  octet_length of on only open option or order outer output overlaps pad partial position precision prepare preserve
  primary prior privileges procedure public read real references relative restrict revoke right rollback rows schema
  scroll second section select session session_user set size smallint some space sql sqlcode sqlerror sqlstate
  substring sum system_user table temporary then time timestamp timezone_hour timezone_minute to trailing
  transaction translate translation trim true union unique unknown update upper usage user using value values
  varchar varying view when whenever where with work write year zone
  missing pivot unpivot limit offset remove index let bag list sexp string symbol struct tuple blob clob bool boolean
  int2 int4 int8 integer2 integer4 integer8 bigint date_add date_diff can_cast can_lossless_cast`.split(/\s+/).filter(Boolean),
);

/** Keywords that name a function when followed by `(`; any other keyword in an operand's place is refused. */
export const FUNCTION_KEYWORDS: ReadonlySet<string> = new Set([
  'size', 'exists', 'count', 'avg', 'min', 'max', 'sum', 'coalesce', 'nullif', 'upper', 'lower', 'char_length',
  'character_length', 'octet_length', 'bit_length', 'position', 'substring', 'trim', 'extract', 'cast', 'date_add',
  'date_diff', 'can_cast', 'can_lossless_cast',
]);

/**
 * Type names accepted after IS (`x IS MISSING`, `x IS NOT NULL`, `x IS INT4`); a two-word name maps its first word
 * to the word that must follow.
 */
export const TYPE_NAMES: ReadonlySet<string> = new Set([
  'missing', 'null', 'bool', 'boolean', 'smallint', 'int', 'integer', 'int2', 'int4', 'int8', 'integer2',
  'integer4', 'integer8', 'bigint', 'float', 'real', 'double', 'decimal', 'dec', 'numeric', 'timestamp', 'char',
  'character', 'varchar', 'string', 'symbol', 'clob', 'blob', 'struct', 'tuple', 'list', 'sexp', 'bag', 'date', 'time',
]);

export const TWO_WORD_TYPES: ReadonlyMap<string, string> = new Map([
  ['double', 'precision'],
  ['character', 'varying'],
]);
