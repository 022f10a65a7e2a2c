/**
 * Copies of small byte ranges carved one after another out of larger blocks: what a range read of stored values
 * copies each value into, since lmdb-js hands out every value in a buffer it reuses for the next read.
 *
 * Why not Buffer.allocUnsafe per value: Node's pool for those is 8 KB, so a Scan page of 1 MB of ~1 KB items made a
 * new pool (an ArrayBuffer of its own) every seven items, some 6% of the page's CPU. A block is shared by the values
 * cut from it and freed when none is referenced any more, as the pool's are: the values of a range are those of one
 * page, answered and dropped together.
 */
export class CopySlab {
  private block: Buffer | undefined;
  private used = 0;
  private nextBlockBytes: number;

  /**
   * The blocks start at `firstBlockBytes` and double up to `maxBlockBytes`: a Query of a few items takes a small
   * block, a page of 1 MB mostly large ones.
   */
  constructor(
    firstBlockBytes: number,
    private readonly maxBlockBytes: number,
  ) {
    this.nextBlockBytes = firstBlockBytes;
  }

  /** A copy of `bytes`; a value larger than a quarter of the largest block gets a buffer of its own. */
  copy(bytes: Uint8Array): Buffer {
    const length = bytes.length;
    if (length > this.maxBlockBytes >>> 2) {
      const own = Buffer.allocUnsafeSlow(length);
      own.set(bytes);
      return own;
    }
    let block = this.block;
    if (block === undefined || this.used + length > block.length) {
      while (this.nextBlockBytes < length) this.nextBlockBytes *= 2;
      block = this.block = Buffer.allocUnsafeSlow(this.nextBlockBytes);
      this.nextBlockBytes = Math.min(this.nextBlockBytes * 2, this.maxBlockBytes);
      this.used = 0;
    }
    const copy = block.subarray(this.used, this.used + length);
    copy.set(bytes);
    // 8-byte aligned, as Node's pool aligns its slices.
    this.used = (this.used + length + 7) & ~7;
    return copy;
  }
}
