/**
 * Just enough of Node's Buffer for socket programs in the simulated runtime: data arrives as ShimBuffer
 * (a Uint8Array that prints as text), and Buffer.from/concat/byteLength/alloc/isBuffer exist.
 */
const enc = new TextEncoder();
const dec = new TextDecoder();

export class ShimBuffer extends Uint8Array {
  override toString(encoding: string = 'utf8', start = 0, end = this.length): string {
    const part = this.subarray(start, end);
    if (encoding === 'hex') return [...part].map((b) => b.toString(16).padStart(2, '0')).join('');
    if (encoding === 'latin1' || encoding === 'binary' || encoding === 'ascii') return String.fromCharCode(...part);
    return dec.decode(part);
  }

  equals(other: Uint8Array): boolean {
    return this.length === other.length && this.every((b, i) => b === other[i]);
  }

  toJSON(): { type: 'Buffer'; data: number[] } {
    return { type: 'Buffer', data: [...this] };
  }
}

function toBytes(value: unknown, encoding?: string): Uint8Array {
  if (typeof value === 'string') {
    if (encoding === 'hex') return Uint8Array.from(value.match(/../g) ?? [], (h) => parseInt(h, 16));
    if (encoding === 'latin1' || encoding === 'binary' || encoding === 'ascii') return Uint8Array.from(value, (c) => c.charCodeAt(0) & 0xff);
    return enc.encode(value);
  }
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (Array.isArray(value)) return Uint8Array.from(value as number[]);
  throw new TypeError(`The first argument must be of type string or an instance of Buffer, ArrayBuffer, or Array. Received ${typeof value}`);
}

export const BufferShim = {
  from(value: unknown, encoding?: string): ShimBuffer {
    const bytes = toBytes(value, encoding);
    const b = new ShimBuffer(bytes.length);
    b.set(bytes);
    return b;
  },
  alloc(size: number, fill = 0): ShimBuffer {
    return new ShimBuffer(size).fill(typeof fill === 'number' ? fill : 0) as ShimBuffer;
  },
  byteLength(value: unknown, encoding?: string): number {
    return toBytes(value, encoding).length;
  },
  concat(list: Uint8Array[], total?: number): ShimBuffer {
    const length = total ?? list.reduce((n, b) => n + b.length, 0);
    const out = new ShimBuffer(length);
    let at = 0;
    for (const b of list) {
      out.set(b.subarray(0, Math.max(0, length - at)), at);
      at += b.length;
      if (at >= length) break;
    }
    return out;
  },
  isBuffer(value: unknown): boolean {
    return value instanceof Uint8Array;
  },
};
