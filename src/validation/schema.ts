/**
 * A declarative description of a request's members, in the spirit of the DynamoDB service model: each operation
 * has one readonly `OperationSchema` (src/api/schemas/), and `validateRequest` walks it twice, first for the JSON
 * types (SerializationException) and then for the constraints (ValidationException).
 *
 * Two things here deliberately differ from the public service model:
 * - Member order. DynamoDB lists violated constraints in the order its server-side model declares the members,
 *   which is not the order of the public model (and not alphabetical), so every `members` object is written in
 *   the order DynamoDB reports them. JavaScript keeps insertion order for string keys, so the object literal *is*
 *   the order.
 * - Constraint order within a member: also DynamoDB's, e.g. `tableName` reports the minimum length before the
 *   pattern, while `exclusiveStartTableName` reports the pattern first.
 */

/** One constraint on a present member; `notNull` is separate (`required`) because it is the only one checked on null. */
export type Constraint =
  | { readonly kind: 'minLength'; readonly value: number }
  | { readonly kind: 'maxLength'; readonly value: number }
  | { readonly kind: 'minValue'; readonly value: number }
  | { readonly kind: 'maxValue'; readonly value: number }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'pattern'; readonly source: string; readonly regex: RegExp }
  /**
   * The `TableName` members of the current model accept a table name or a table ARN (up to 1024 characters). A
   * name is still held to 3..255 characters of `[a-zA-Z0-9_.-]`, reported as three separate constraints. The item
   * operations first apply the model's own minimum of 1, so an empty name there reports only that one.
   */
  | { readonly kind: 'tableNameOrArn'; readonly emptyMinimumOne: boolean }
  /** Every key of a map must satisfy these; reported once per offending key, on the whole map. */
  | { readonly kind: 'mapKeys'; readonly constraints: readonly Constraint[] }
  /** Every value of a map must satisfy these (lengths of lists); reported once per offending value. */
  | { readonly kind: 'mapValues'; readonly constraints: readonly Constraint[] };

interface Common {
  /** `Member must not be null` when absent (or JSON null). */
  readonly required?: boolean;
  /** Checked in this order, after `required`, only when the member is present. */
  readonly constraints?: readonly Constraint[];
}

export type StringSchema = Common & { readonly type: 'string' };
/** A Java `Integer`: JSON numbers only, truncated to an integer. */
export type IntegerSchema = Common & { readonly type: 'integer' };
/** A Java `Long`. */
export type LongSchema = Common & { readonly type: 'long' };
export type BooleanSchema = Common & { readonly type: 'boolean' };
/** Base64 text. */
export type BlobSchema = Common & { readonly type: 'blob' };
export type ListSchema = Common & { readonly type: 'list'; readonly member: MemberSchema };
export type MapSchema = Common & {
  readonly type: 'map';
  readonly value: MemberSchema;
  /** The Java value type DynamoDB names when a list arrives instead of the map, e.g. `java.lang.String`. */
  readonly javaValueType: string;
};
export type StructureSchema = Common & {
  readonly type: 'structure';
  /** The Java class name, used in SerializationException texts and when DynamoDB echoes a value. */
  readonly name: string;
  readonly members: { readonly [member: string]: MemberSchema };
};
/** One AttributeValue; its JSON shape is checked by the model's `checkAttributeValueShape`. */
export type AttributeValueSchema = Common & { readonly type: 'attributeValue' };
/** A map of attribute name to AttributeValue (Item, Key, ExpressionAttributeValues...). */
export type AttributeMapSchema = Common & { readonly type: 'attributeMap' };

export type MemberSchema =
  | StringSchema
  | IntegerSchema
  | LongSchema
  | BooleanSchema
  | BlobSchema
  | ListSchema
  | MapSchema
  | StructureSchema
  | AttributeValueSchema
  | AttributeMapSchema;

export interface OperationSchema {
  readonly operation: string;
  /** The request's top-level members, in DynamoDB's reporting order. */
  readonly members: { readonly [member: string]: MemberSchema };
  /**
   * Top-level members whose absence the table operations report in their own words before any constraint:
   * `The parameter 'TableName' is required but was not present in the request` (recorded against DynamoDB by
   * dynalite's tests for CreateTable, DeleteTable, DescribeTable, DescribeTimeToLive and UpdateTable). The item
   * operations report the same absence as a constraint (`Value null at 'tableName' ...`).
   */
  readonly requiredParameters?: readonly string[];
  /** The constraint phase's message as this operation words it, where that differs (Query's lone Limit). */
  readonly rewordConstraints?: (message: string) => string;
  /**
   * Checks DynamoDB makes right after the constraints and before it looks at any table (wording of its own, such
   * as `ReturnValues can only be ALL_OLD or NONE`). Throws a DynamoDbError. Runs only when every constraint held.
   * It may store normalized values back (canonical numbers in an Item).
   */
  readonly custom?: (body: Record<string, unknown>) => void;
}

// ---- Builders: keep the schema files short and readable. ----

export const minLength = (value: number): Constraint => ({ kind: 'minLength', value });
export const maxLength = (value: number): Constraint => ({ kind: 'maxLength', value });
export const minValue = (value: number): Constraint => ({ kind: 'minValue', value });
export const maxValue = (value: number): Constraint => ({ kind: 'maxValue', value });
export const oneOf = (...values: string[]): Constraint => ({ kind: 'enum', values });
export function pattern(source: string): Constraint {
  // DynamoDB's patterns are whole-value matches.
  return { kind: 'pattern', source, regex: new RegExp(`^(?:${source})$`) };
}

export const string = (...constraints: Constraint[]): StringSchema => ({ type: 'string', constraints });
export const integer = (...constraints: Constraint[]): IntegerSchema => ({ type: 'integer', constraints });
export const long = (...constraints: Constraint[]): LongSchema => ({ type: 'long', constraints });
export const boolean: BooleanSchema = { type: 'boolean' };
export const blob: BlobSchema = { type: 'blob' };
export const attributeValue: AttributeValueSchema = { type: 'attributeValue' };
export const attributeMap: AttributeMapSchema = { type: 'attributeMap' };

export function list(member: MemberSchema, ...constraints: Constraint[]): ListSchema {
  return { type: 'list', member, constraints };
}

export function map(value: MemberSchema, javaValueType: string, ...constraints: Constraint[]): MapSchema {
  return { type: 'map', value, javaValueType, constraints };
}

export function structure(name: string, members: { readonly [member: string]: MemberSchema }): StructureSchema {
  return { type: 'structure', name, members };
}

/** The same schema, with `Member must not be null`. */
export function required<T extends MemberSchema>(schema: T): T {
  return { ...schema, required: true };
}
