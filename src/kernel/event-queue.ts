/**
 * The virtual clock's event queue: a binary min-heap ordered by (time, insertion order), so events at the
 * same instant run in the order they were scheduled — the source of the kernel's determinism.
 * Cancelled timers stay in the heap and are skipped when they surface (lazy deletion).
 */
export interface Timer {
  readonly at: number;
  readonly name: string;
  cancelled: boolean;
}

interface Entry extends Timer {
  seq: number;
  run: () => void;
}

export class EventQueue {
  private heap: Entry[] = [];
  private counter = 0;

  get size(): number {
    return this.heap.length;
  }

  schedule(at: number, name: string, run: () => void): Timer {
    const entry: Entry = { at, name, run, seq: this.counter++, cancelled: false };
    const h = this.heap;
    h.push(entry);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
    return entry;
  }

  /** The time of the next live event, or null. */
  peekTime(): number | null {
    this.dropCancelled();
    return this.heap[0]?.at ?? null;
  }

  /** Removes and returns the next live event. */
  pop(): Entry | undefined {
    this.dropCancelled();
    return this.popRaw();
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.popRaw();
  }

  private popRaw(): Entry | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && less(h[l]!, h[m]!)) m = l;
        if (r < h.length && less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

function less(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
