/**
 * Attribute values exactly as they travel on the wire (DynamoDB JSON). Cairn keeps items in this form internally:
 * numbers stay decimal strings (normalised, never JS floats) and binaries stay base64 strings, so an item read
 * from storage can be answered without re-encoding.
 */
export type AttributeValue =
  | { readonly S: string }
  | { readonly N: string }
  | { readonly B: string }
  | { readonly BOOL: boolean }
  | { readonly NULL: true }
  | { readonly M: AttributeMap }
  | { readonly L: readonly AttributeValue[] }
  | { readonly SS: readonly string[] }
  | { readonly NS: readonly string[] }
  | { readonly BS: readonly string[] };

export type AttributeMap = { readonly [name: string]: AttributeValue };

/** An item is a top-level attribute map. */
export type Item = AttributeMap;

export type AttributeType = 'S' | 'N' | 'B' | 'BOOL' | 'NULL' | 'M' | 'L' | 'SS' | 'NS' | 'BS';

export const ATTRIBUTE_TYPES: readonly AttributeType[] = ['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS'];

/** Key attributes may only be scalars of these types. */
export type KeyAttributeType = 'S' | 'N' | 'B';

/** The type tag of a (validated) attribute value. */
export function typeOf(value: AttributeValue): AttributeType {
  for (const key in value) return key as AttributeType;
  throw new Error('empty attribute value');
}
