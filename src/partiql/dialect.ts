/**
 * What Cairn's PartiQL front end accepts: DynamoDB's dialect, for the README and for the compiler's author.
 *
 * Statements (keywords case-insensitive; tables, indexes and attribute names exactly as written, in
 * "double quotes" when they clash with a reserved word or hold characters outside [A-Za-z0-9_$]):
 *   SELECT * | path, ... FROM "table"[."index"] [WHERE condition] [ORDER BY key [ASC|DESC], ...]
 *   INSERT INTO "table" VALUE {'attr': value, ...}
 *   UPDATE "table" (SET path = value, ... | REMOVE path)... [WHERE condition] [RETURNING (MODIFIED|ALL) (OLD|NEW) *]
 *   FROM "table" [WHERE condition] (SET ... | REMOVE ...)...      (PartiQL's FROM-first UPDATE)
 *   DELETE FROM "table" [WHERE condition] [RETURNING ALL OLD *]
 *   EXISTS(SELECT * FROM "table" WHERE ...)                        (ExecuteTransaction condition checks)
 * Conditions: = <> != < <= > >=, [NOT] BETWEEN x AND y, [NOT] IN (a, b) / IN [a, b], AND, OR, NOT,
 *   IS [NOT] MISSING, IS [NOT] NULL (and other PartiQL type names), functions begins_with, contains,
 *   attribute_type, attribute_exists, attribute_not_exists, size, EXISTS; parentheses.
 * Values: 'strings' ('' escapes a quote), numbers kept exactly as written (1, -2.5, 1.5e3), TRUE, FALSE, NULL,
 *   MISSING, [lists], {'maps': with string keys}, <<sets>> of strings or numbers, ? parameters (numbered in
 *   order, bound from Parameters; binary values only through parameters), a + 1, a - 1, list_append(a, b),
 *   set_add(a, <<...>>), set_delete(a, <<...>>), a || b.
 * Paths: a, a.b, a[2], a.b[0]."c-d"; bare names after a dot must not be reserved words (write them quoted).
 * Comments: -- to the end of the line, and /* ... *\/.
 *
 * The parser accepts PartiQL's grammar a little more widely (the tree is expression-based, see ast.ts); what
 * DynamoDB refuses after parsing (aliases, LIKE, *, /, SELECT VALUE, several FROM sources, Ion literals...) is
 * refused by the parser (aliases) or left in the tree for the compiler to refuse with DynamoDB's message.
 */
export {};
