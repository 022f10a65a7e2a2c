/**
 * How DynamoDB echoes a member's value in a constraint message: `Value 'abc' at ...`, `Value '[a, b]' at ...`,
 * `Value null at ...`. The text is the Java `toString()` of the deserialized member: lists as `[a, b]`, maps as
 * `{k=v}`, model structures as `KeySchemaElement(attributeName=pk, keyType=HASH)` and AttributeValues by their
 * class and identity hash (which cannot be reproduced; a stable stand-in is used).
 */
import type { MemberSchema } from './schema.js';

/** The text between `Value ` and ` at`: quoted, or the bare word null. */
export function quotedValue(value: unknown, schema: MemberSchema): string {
  if (value === null || value === undefined) return 'null';
  return `'${render(value, schema)}'`;
}

export function render(value: unknown, schema: MemberSchema | undefined): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
      return String(value);
    case 'object':
      break;
    default:
      return String(value);
  }
  if (schema?.type === 'attributeValue') return attributeValueIdentity(value);
  if (Array.isArray(value)) {
    const member = schema?.type === 'list' ? schema.member : undefined;
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ', ') + render(value[i], member);
    return out + ']';
  }
  const object = value as Record<string, unknown>;
  if (schema?.type === 'structure') {
    let out = `${schema.name}(`;
    let first = true;
    for (const name in schema.members) {
      out += `${first ? '' : ', '}${lowerFirst(name)}=${render(object[name], schema.members[name])}`;
      first = false;
    }
    return out + ')';
  }
  const valueSchema: MemberSchema | undefined =
    schema?.type === 'map' ? schema.value : schema?.type === 'attributeMap' ? { type: 'attributeValue' } : undefined;
  let out = '{';
  let first = true;
  for (const key in object) {
    out += `${first ? '' : ', '}${key}=${render(object[key], valueSchema)}`;
    first = false;
  }
  return out + '}';
}

export function lowerFirst(name: string): string {
  return name.length === 0 ? name : name.charAt(0).toLowerCase() + name.slice(1);
}

/**
 * `com.amazonaws.dynamodb.v20120810.AttributeValue@1b2c3d4e`, with a hash of the value's JSON text. The text is
 * produced (the same as JSON.stringify's) with a stack of its own: this renders values that have not been
 * validated yet, which may be nested to any depth.
 */
function attributeValueIdentity(value: unknown): string {
  let hash = 0;
  const mix = (text: string): void => {
    for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  };
  // Either a value to write out, or punctuation to write as it is.
  const stack: ({ readonly text: string } | { readonly value: unknown })[] = [{ value }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    if ('text' in next) {
      mix(next.text);
      continue;
    }
    const current = next.value;
    if (typeof current !== 'object' || current === null) {
      mix(JSON.stringify(current) ?? 'null');
      continue;
    }
    const parts: ({ readonly text: string } | { readonly value: unknown })[] = [];
    if (Array.isArray(current)) {
      current.forEach((element: unknown, i) => {
        if (i > 0) parts.push({ text: ',' });
        parts.push({ value: element });
      });
      mix('[');
      parts.push({ text: ']' });
    } else {
      const object = current as Record<string, unknown>;
      for (const key in object) {
        if (object[key] === undefined) continue;
        parts.push({ text: `${parts.length > 0 ? ',' : ''}${JSON.stringify(key)}:` }, { value: object[key] });
      }
      mix('{');
      parts.push({ text: '}' });
    }
    for (let i = parts.length - 1; i >= 0; i--) stack.push(parts[i] as { text: string } | { value: unknown });
  }
  return `com.amazonaws.dynamodb.v20120810.AttributeValue@${(hash >>> 0).toString(16)}`;
}
