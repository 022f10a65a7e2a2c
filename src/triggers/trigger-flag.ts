/**
 * The `--trigger` flag: one trigger as comma-separated `key=value` settings, e.g.
 *   --trigger table=orders,handler=./handlers/orders.mjs,batch-size=10,onfailure=file:./failed.jsonl
 *   --trigger 'table=orders,handler=http://127.0.0.1:9000/,filter={"eventName":["INSERT"]}'
 * Keys are the settings of trigger-config.ts. A comma inside braces, brackets or double quotes belongs to the
 * value, so filter patterns can be written inline; `filter` may be given several times.
 */
import { TriggerConfigError } from './trigger-config.js';

export function parseTriggerFlag(text: string): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const part of splitTopLevel(text)) {
    if (part.trim() === '') continue;
    const equals = part.indexOf('=');
    if (equals <= 0) throw new TriggerConfigError(`--trigger: expected key=value, got "${part}"`);
    const key = part.slice(0, equals).trim();
    const value = part.slice(equals + 1).trim();
    if (/^(filters?|pattern)$/i.test(key)) {
      const patterns = (settings[key] as string[] | undefined) ?? [];
      patterns.push(value);
      settings[key] = patterns;
    } else if (key in settings) {
      throw new TriggerConfigError(`--trigger: ${key} is given twice`);
    } else {
      settings[key] = value;
    }
  }
  return settings;
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '\\') i++;
      else if (char === '"') quoted = false;
    } else if (char === '"') {
      quoted = true;
    } else if (char === '{' || char === '[') {
      depth++;
    } else if (char === '}' || char === ']') {
      depth--;
    } else if (char === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (quoted || depth !== 0) throw new TriggerConfigError(`--trigger: unbalanced quotes or brackets in "${text}"`);
  parts.push(text.slice(start));
  return parts;
}
