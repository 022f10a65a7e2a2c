/**
 * Typed reads of request members for the table operations. The request was validated against its schema
 * before the handler runs, so these only narrow types; they never decide DynamoDB errors themselves.
 */
import type { JsonObject } from './operation.js';

export function stringMember(request: JsonObject, name: string): string | undefined {
  const value = request[name];
  return typeof value === 'string' ? value : undefined;
}

export function booleanMember(request: JsonObject, name: string): boolean | undefined {
  const value = request[name];
  return typeof value === 'boolean' ? value : undefined;
}

export function objectMember(request: JsonObject, name: string): JsonObject | undefined {
  const value = request[name];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

export function listMember(request: JsonObject, name: string): readonly unknown[] | undefined {
  const value = request[name];
  return Array.isArray(value) ? value : undefined;
}

export function numberMember(request: JsonObject, name: string): number | undefined {
  const value = request[name];
  return typeof value === 'number' ? value : undefined;
}

/** The objects of a list member (non-objects, which validation has already refused, are skipped). */
export function objectList(request: JsonObject, name: string): JsonObject[] {
  const list = listMember(request, name);
  const out: JsonObject[] = [];
  if (list !== undefined) for (const entry of list) if (typeof entry === 'object' && entry !== null) out.push(entry as JsonObject);
  return out;
}
