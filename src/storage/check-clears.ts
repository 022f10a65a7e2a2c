/**
 * The rules of Decision.clearSpaces every engine enforces: valid space names, and no write into a space the same
 * commit clears (an engine removes a cleared space's stored keys after the commit is durable, which must not
 * race with the commit's own writes).
 */
import { assertSpaceName } from './space-name.js';
import type { Space, WriteRequest } from './storage.js';

export function checkClears(clears: readonly Space[], writes: readonly WriteRequest[]): void {
  if (clears.length === 0) return;
  for (const space of clears) assertSpaceName(space);
  const cleared = new Set(clears);
  if (writes.some((write) => cleared.has(write.space))) throw new TypeError('a commit may not write into a space it clears');
}
