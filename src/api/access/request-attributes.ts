/**
 * The facts of an item request that DynamoDB's fine-grained access control keys on:
 * - `dynamodb:LeadingKeys`: the partition-key values the request touches, as text (a number as written, binary
 *   as base64), one per key, item or Query;
 * - `dynamodb:Attributes`: the top-level attribute names the request reads (ProjectionExpression,
 *   AttributesToGet) or writes (a PutItem's item, an UpdateItem's updated attributes and its key), absent when
 *   it names none (a read of whole items).
 * A request whose expressions do not parse yields no attributes: the operation refuses it afterwards anyway.
 */
import type { AttributeValue, Item } from '../../model/attribute-value.js';
import type { PathNode } from '../../expressions/ast.js';
import { parseProjection, parseUpdate } from '../../expressions/parser.js';
import type { JsonObject } from '../operation.js';

/** A partition-key value as IAM compares it: the value's text. */
export function leadingKeyOf(item: unknown, hashName: string): string | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const value = (item as Item)[hashName] as AttributeValue | undefined;
  if (value === undefined || value === null || typeof value !== 'object') return undefined;
  const text = (value as { S?: unknown; N?: unknown; B?: unknown }).S ?? (value as { N?: unknown }).N ?? (value as { B?: unknown }).B;
  return typeof text === 'string' ? text : undefined;
}

/** Top-level names of a ProjectionExpression (or AttributesToGet), placeholders resolved. */
export function projectedAttributes(request: JsonObject): string[] | undefined {
  const names = request.ExpressionAttributeNames as Readonly<Record<string, string>> | undefined;
  if (typeof request.ProjectionExpression === 'string') {
    try {
      return unique(parseProjection(request.ProjectionExpression).paths.map((path) => headName(path, names)));
    } catch {
      return undefined;
    }
  }
  if (Array.isArray(request.AttributesToGet)) return unique(request.AttributesToGet.filter((name): name is string => typeof name === 'string'));
  return undefined;
}

/** The attributes an UpdateItem writes: its key's and the top-level names of its updates. */
export function updatedAttributes(request: JsonObject): string[] | undefined {
  const key = typeof request.Key === 'object' && request.Key !== null ? Object.keys(request.Key) : [];
  const names = request.ExpressionAttributeNames as Readonly<Record<string, string>> | undefined;
  if (typeof request.UpdateExpression === 'string') {
    try {
      return unique([...key, ...parseUpdate(request.UpdateExpression).node.actions.map((action) => headName(action.path, names))]);
    } catch {
      return undefined;
    }
  }
  if (typeof request.AttributeUpdates === 'object' && request.AttributeUpdates !== null) {
    return unique([...key, ...Object.keys(request.AttributeUpdates)]);
  }
  return unique(key);
}

export function itemAttributes(item: unknown): string[] | undefined {
  return typeof item === 'object' && item !== null ? Object.keys(item) : undefined;
}

function headName(path: PathNode, names: Readonly<Record<string, string>> | undefined): string {
  const head = path.elements[0];
  if (head === undefined) return '';
  if (head.kind === 'AttributeName') return head.name;
  if (head.kind === 'NamePlaceholder') return names?.[head.placeholder] ?? head.placeholder;
  return '';
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}
