/** A FIFO of bytes with cheap append, peek at an offset and drop from the front. */
export class ByteQueue {
  private chunks: Uint8Array[] = [];
  private head = 0; // offset into chunks[0]
  private total = 0;

  get length(): number {
    return this.total;
  }

  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.chunks.push(bytes.slice());
    this.total += bytes.length;
  }

  /** Copies up to `len` bytes starting `offset` bytes from the front. */
  peek(offset: number, len: number): Uint8Array {
    const n = Math.max(0, Math.min(len, this.total - offset));
    const out = new Uint8Array(n);
    let skip = offset + this.head;
    let written = 0;
    for (const c of this.chunks) {
      if (written >= n) break;
      if (skip >= c.length) {
        skip -= c.length;
        continue;
      }
      const take = Math.min(c.length - skip, n - written);
      out.set(c.subarray(skip, skip + take), written);
      written += take;
      skip = 0;
    }
    return out;
  }

  /** Removes `n` bytes from the front. */
  drop(n: number): void {
    let left = Math.min(n, this.total);
    this.total -= left;
    while (left > 0 && this.chunks.length > 0) {
      const c = this.chunks[0]!;
      const avail = c.length - this.head;
      if (left >= avail) {
        this.chunks.shift();
        this.head = 0;
        left -= avail;
      } else {
        this.head += left;
        left = 0;
      }
    }
  }

  /** Removes and returns up to `n` bytes from the front. */
  take(n: number): Uint8Array {
    const out = this.peek(0, n);
    this.drop(out.length);
    return out;
  }

  clear(): void {
    this.chunks = [];
    this.head = 0;
    this.total = 0;
  }
}
