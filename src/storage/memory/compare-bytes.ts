/**
 * Unsigned bytewise comparison, the order every storage engine must give keys (LMDB's default comparator, a
 * SQL `bytea` primary key). A plain loop beats `Buffer.compare` for the short keys we compare on every tree step
 * because it avoids the native call; keys are Uint8Arrays so no Buffer is needed.
 */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < length; i++) {
    // Both reads are in bounds (i < length <= each length); `as number` spares the undefined check per byte.
    const x = a[i] as number;
    const y = b[i] as number;
    if (x !== y) return x - y;
  }
  // A prefix sorts before every longer key that extends it.
  return a.length - b.length;
}
