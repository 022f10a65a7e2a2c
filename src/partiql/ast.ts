/**
 * The PartiQL syntax tree: the contract between the parser and the compiler onto the engine.
 *
 * PartiQL's grammar is expression-based (as in partiql-lang-kotlin, from which DynamoDB's front end derives):
 * a WHERE clause, a SET value, a list item and a projection are all the same `Expr`, and a SELECT or DML statement
 * is itself a term. The parser therefore accepts more than DynamoDB runs (`WHERE a + 1`, `SELECT a || b`,
 * `x IS INT4` as a whole statement); deciding what is refused, and with which message, is the compiler's job,
 * so the tree keeps every construct the grammar accepts rather than failing early with a guessed message.
 * `Condition` and `ValueExpression` are aliases of `Expr` that document intent.
 *
 * Every node has `pos` and `end`: offsets [pos, end) into the statement text (see position.ts for DynamoDB's
 * `line:column:length` form). Names written bare are case-insensitive in PartiQL, but DynamoDB matches attribute
 * and table names exactly as written; `quoted` records which form was used.
 */

interface Located {
  /** Offset of the node's first character in the statement. */
  readonly pos: number;
  /** Offset just past the node's last character. */
  readonly end: number;
}

/** A name: `pk` (bare) or `"my-table"` (quoted, `""` unescaped). */
export interface Identifier extends Located {
  readonly kind: 'Identifier';
  readonly name: string;
  readonly quoted: boolean;
}

// ---------------------------------------------------------------- expressions

/** `?`: the `index`-th parameter (0-based, in order of appearance), bound from the request's Parameters. */
export interface ParameterRef extends Located {
  readonly kind: 'Parameter';
  readonly index: number;
}

/** A scalar literal. Numbers keep their exact text (`1.50e3`); strings are unescaped. */
export type Literal = StringLiteral | NumberLiteral | BooleanLiteral | NullLiteral | MissingLiteral | IonLiteral;

export interface StringLiteral extends Located {
  readonly kind: 'String';
  readonly value: string;
}
export interface NumberLiteral extends Located {
  readonly kind: 'Number';
  /** The number exactly as written (PartiQL syntax: `12`, `-` is a separate unary minus, `1.5e-3`, `.5`). */
  readonly text: string;
}
export interface BooleanLiteral extends Located {
  readonly kind: 'Boolean';
  readonly value: boolean;
}
export interface NullLiteral extends Located {
  readonly kind: 'Null';
}
export interface MissingLiteral extends Located {
  readonly kind: 'Missing';
}
/** `` `...` ``: an Ion literal, which DynamoDB refuses ("Ion Literals are not supported: ..."). */
export interface IonLiteral extends Located {
  readonly kind: 'Ion';
  readonly text: string;
}

/** `[a, b]` (or, with `parenthesised`, a row `(a, b)` as written after IN). */
export interface ListExpr extends Located {
  readonly kind: 'List';
  readonly items: readonly Expr[];
  readonly parenthesised: boolean;
}
/** `<<a, b>>`: a bag, which DynamoDB reads as a string, number or binary set. */
export interface BagExpr extends Located {
  readonly kind: 'Bag';
  readonly items: readonly Expr[];
}
/** `{'k': v, ...}`: a tuple (struct), DynamoDB's map and INSERT item. Keys are expressions in the grammar. */
export interface TupleExpr extends Located {
  readonly kind: 'Tuple';
  readonly fields: readonly TupleField[];
}
export interface TupleField extends Located {
  readonly kind: 'TupleField';
  readonly key: Expr;
  readonly value: Expr;
}

/** One step after the root of a path. */
export type PathStep = FieldStep | IndexStep | WildcardStep | UnpivotStep;
/** `.name` or `."name"`. */
export interface FieldStep extends Located {
  readonly kind: 'Field';
  readonly name: Identifier;
}
/** `[expr]`: usually a number literal (`a[2]`); a string (`a['k']`) or a parameter is also grammatical. */
export interface IndexStep extends Located {
  readonly kind: 'Index';
  readonly index: Expr;
}
/** `[*]` (DynamoDB: "Wildcard path component like a[*].b are not supported"). */
export interface WildcardStep extends Located {
  readonly kind: 'Wildcard';
}
/** `.*` (DynamoDB: "Unpivot path component like a.*.b are not supported"). */
export interface UnpivotStep extends Located {
  readonly kind: 'Unpivot';
}

/**
 * A document path `a.b[2]."c"`, or a bare name `a` (then `steps` is empty). The root is an identifier; other
 * roots (`(x).a`, `[1,2][0]`) are grammatical and kept as `PathOver`.
 */
export interface Path extends Located {
  readonly kind: 'Path';
  readonly root: Identifier;
  readonly steps: readonly PathStep[];
}
/** Steps applied to something other than a name, e.g. `?[0]` or `(a).b`: grammatical, never a document path. */
export interface PathOver extends Located {
  readonly kind: 'PathOver';
  readonly root: Expr;
  readonly steps: readonly PathStep[];
}

/** `name(args)`: begins_with, contains, attribute_type, size, exists, list_append, set_add, set_delete, ... */
export interface FunctionCall extends Located {
  readonly kind: 'Call';
  /** Lower-cased name (function names are case-insensitive). */
  readonly name: string;
  /** The name as written, with its position (for `Unrecognized function: x at 1:2:3`). */
  readonly nameToken: Identifier;
  readonly args: readonly Expr[];
}
/** `*` as a function argument: `COUNT(*)`. */
export interface StarArg extends Located {
  readonly kind: 'Star';
}

export type ComparisonOperator = '=' | '<>' | '!=' | '<' | '<=' | '>' | '>=';
export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%';

export interface Comparison extends Located {
  readonly kind: 'Comparison';
  readonly op: ComparisonOperator;
  readonly left: Expr;
  readonly right: Expr;
}
/** `a + 1`, `a - b` (DynamoDB's SET arithmetic); `*`, `/`, `%` are grammatical and refused later. */
export interface Arithmetic extends Located {
  readonly kind: 'Arithmetic';
  readonly op: ArithmeticOperator;
  readonly left: Expr;
  readonly right: Expr;
}
/** `a || b`: string concatenation. */
export interface Concat extends Located {
  readonly kind: 'Concat';
  readonly left: Expr;
  readonly right: Expr;
}
/** Unary `-x` / `+x`. A negative number literal is a `Unary` minus over a `Number`. */
export interface Unary extends Located {
  readonly kind: 'Unary';
  readonly op: '-' | '+';
  readonly operand: Expr;
}
export interface And extends Located {
  readonly kind: 'And';
  readonly left: Expr;
  readonly right: Expr;
}
export interface Or extends Located {
  readonly kind: 'Or';
  readonly left: Expr;
  readonly right: Expr;
}
export interface Not extends Located {
  readonly kind: 'Not';
  readonly operand: Expr;
}
/** `x [NOT] BETWEEN low AND high`. */
export interface Between extends Located {
  readonly kind: 'Between';
  readonly negated: boolean;
  readonly value: Expr;
  readonly low: Expr;
  readonly high: Expr;
}
/** `x [NOT] IN (a, b)` or `x IN [a, b]`; `list` is whatever followed IN (a `List` when written as a list). */
export interface In extends Located {
  readonly kind: 'In';
  readonly negated: boolean;
  readonly value: Expr;
  readonly list: Expr;
}
/** `x [NOT] LIKE pattern [ESCAPE e]`: grammatical, not in DynamoDB's dialect. */
export interface Like extends Located {
  readonly kind: 'Like';
  readonly negated: boolean;
  readonly value: Expr;
  readonly pattern: Expr;
  readonly escape?: Expr;
}
/**
 * `x IS [NOT] MISSING`, `IS [NOT] NULL`, or another type name (`IS STRING`, `IS DOUBLE PRECISION`); `type` is the
 * lower-cased name, two-word names joined by one space.
 */
export interface Is extends Located {
  readonly kind: 'Is';
  readonly negated: boolean;
  readonly value: Expr;
  readonly type: string;
}
/** A SELECT, INSERT, UPDATE or DELETE written where an operand is expected, e.g. the argument of EXISTS. */
export interface Subquery extends Located {
  readonly kind: 'Subquery';
  readonly statement: DataStatement;
}

export type Expr =
  | Identifier
  | ParameterRef
  | Literal
  | ListExpr
  | BagExpr
  | TupleExpr
  | Path
  | PathOver
  | FunctionCall
  | StarArg
  | Comparison
  | Arithmetic
  | Concat
  | Unary
  | And
  | Or
  | Not
  | Between
  | In
  | Like
  | Is
  | Subquery;

/** A WHERE clause or other boolean expression (same node set; see the file comment). */
export type Condition = Expr;
/** A SET value, item, list member or argument (same node set; see the file comment). */
export type ValueExpression = Expr;

// ----------------------------------------------------------------- statements

/** `"table"` or `"table"."index"` (a FROM source, INSERT INTO / UPDATE / DELETE FROM target). */
export interface TableRef extends Located {
  readonly kind: 'TableRef';
  /** The source as parsed: a name, or a path of it (`"t"."i"`); the compiler checks it has one or two parts. */
  readonly source: Expr;
  /** `"t" AS x` / `"t" x`: DynamoDB refuses aliases ("Aliasing is not supported"); kept for position. */
  readonly alias?: Identifier;
}

export interface ProjectionItem extends Located {
  readonly kind: 'ProjectionItem';
  readonly expr: Expr;
  readonly alias?: Identifier;
}

export interface OrderByItem extends Located {
  readonly kind: 'OrderBy';
  readonly expr: Expr;
  readonly direction?: 'ASC' | 'DESC';
}

export interface SelectStatement extends Located {
  readonly kind: 'Select';
  /** `'*'` for `SELECT *`, else the list. */
  readonly projection: '*' | readonly ProjectionItem[];
  /** `SELECT VALUE x` (PartiQL; refused by DynamoDB: "Select projection doesn't support value or pivot keywords"). */
  readonly selectValue: boolean;
  readonly distinct: boolean;
  /** One source as DynamoDB allows; more (`FROM a, b`) are kept for the compiler's message. */
  readonly from: readonly TableRef[];
  readonly where?: Condition;
  readonly orderBy?: readonly OrderByItem[];
  /**
   * PartiQL clauses DynamoDB parses and then refuses (DynamoDB Local: `Unsupported clause: GROUP BY`,
   * `Unsupported clause: HAVING`, `Unsupported clause: LIMIT`; the page size is the request's Limit).
   */
  readonly groupBy?: readonly Expr[];
  readonly having?: Condition;
  readonly limit?: Expr;
  readonly offset?: Expr;
}

export interface InsertStatement extends Located {
  readonly kind: 'Insert';
  readonly table: TableRef;
  /** The item (`VALUE {...}`), or, with `multiple`, the bag of `INSERT INTO t <<...>>` (DynamoDB refuses it). */
  readonly value: ValueExpression;
  readonly multiple: boolean;
  /** `VALUE {...} AT pos` (DynamoDB: "AT is not supported in insert statements."). */
  readonly at?: Expr;
  /** `... ON CONFLICT DO <action>` (DynamoDB Local: `Unsupported clause: ON CONFLICT`). `action` is lower-cased. */
  readonly onConflict?: { readonly action: string; readonly pos: number; readonly end: number };
  /** RETURNING written on an INSERT (DynamoDB: "RETURNING is not supported in INSERT"). */
  readonly returning?: Returning;
}

/** SET and REMOVE targets are simple paths: an `Identifier`, or a `Path` whose indexes are literals. */
export interface SetAction extends Located {
  readonly kind: 'Set';
  readonly target: Identifier | Path;
  readonly value: ValueExpression;
}
export interface RemoveAction extends Located {
  readonly kind: 'Remove';
  readonly target: Identifier | Path;
}
export type UpdateAction = SetAction | RemoveAction;

/** `RETURNING MODIFIED OLD *` etc. */
export interface Returning extends Located {
  readonly kind: 'Returning';
  readonly mapping: 'MODIFIED' | 'ALL';
  readonly version: 'OLD' | 'NEW';
}

export interface UpdateStatement extends Located {
  readonly kind: 'Update';
  readonly table: TableRef;
  /** In the order written: `SET a = 1, b = 2 REMOVE c` gives Set, Set, Remove. */
  readonly actions: readonly UpdateAction[];
  readonly where?: Condition;
  readonly returning?: Returning;
  /** Written `FROM "t" WHERE ... SET ...` (PartiQL's FROM-first form, which DynamoDB also accepts). */
  readonly fromFirst: boolean;
}

export interface DeleteStatement extends Located {
  readonly kind: 'Delete';
  readonly table: TableRef;
  readonly where?: Condition;
  readonly returning?: Returning;
}

/** `EXISTS(SELECT ...)`: a condition check, accepted by DynamoDB only inside ExecuteTransaction. */
export interface ExistsStatement extends Located {
  readonly kind: 'Exists';
  readonly select: SelectStatement;
}

/** Any other expression written as a whole statement (`x IS INT4`): DynamoDB answers "Unsupported operation: ...". */
export interface ExpressionStatement extends Located {
  readonly kind: 'Expression';
  readonly expr: Expr;
}

export type DataStatement = SelectStatement | InsertStatement | UpdateStatement | DeleteStatement;
export type Statement = DataStatement | ExistsStatement | ExpressionStatement;

/** What the parser hands the compiler. */
export interface ParsedStatement {
  readonly statement: Statement;
  /** How many `?` the statement holds (DynamoDB: "Number of parameters in request and statement don't match."). */
  readonly parameterCount: number;
}
