/**
 * The virtual clock's event queue, ordered by (time, insertion order), so events at the same instant run
 * in the order they were scheduled — the source of the kernel's determinism.
 *
 * Most events are scheduled a fixed delay after "now" (loopback delivery, the delayed-ACK timer, the
 * initial RTO, TIME_WAIT), and since now never goes back, events with the same delay arrive already sorted.
 * They go into a FIFO lane per delay (a few lanes); everything else goes into a binary min-heap. Cancelled
 * timers are skipped when they surface (lazy deletion).
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

interface Lane {
  delay: number;
  items: Entry[];
  head: number;
}

const MAX_LANES = 8;

export class EventQueue {
  private heap: Entry[] = [];
  private lanes: Lane[] = [];
  private counter = 0;
  /** The queue's notion of now: lanes are keyed by `at - now`. The kernel moves it forward. */
  private now = 0;

  get size(): number {
    return this.heap.length + this.lanes.reduce((n, l) => n + l.items.length - l.head, 0);
  }

  setNow(t: number): void {
    if (t > this.now) this.now = t;
  }

  schedule(at: number, name: string, run: () => void): Timer {
    const entry: Entry = { at, name, run, seq: this.counter++, cancelled: false };
    const delay = at - this.now;
    let lane = this.lanes.find((l) => l.delay === delay);
    if (!lane && this.lanes.length < MAX_LANES) {
      lane = { delay, items: [], head: 0 };
      this.lanes.push(lane);
    }
    if (lane) {
      const tail = lane.items[lane.items.length - 1];
      if (tail === undefined || lane.head === lane.items.length || at >= tail.at) {
        lane.items.push(entry);
        return entry;
      }
    }
    this.heapPush(entry);
    return entry;
  }

  /** The time of the next live event, or null. */
  peekTime(): number | null {
    return this.peek()?.entry.at ?? null;
  }

  /** Removes and returns the next live event. */
  pop(): Entry | undefined {
    const next = this.peek();
    if (!next) return undefined;
    if (next.lane) {
      const lane = next.lane;
      lane.head++;
      if (lane.head === lane.items.length) {
        lane.items = [];
        lane.head = 0;
      } else if (lane.head > 1024 && lane.head * 2 > lane.items.length) {
        lane.items = lane.items.slice(lane.head);
        lane.head = 0;
      }
    } else {
      this.heapPop();
    }
    this.setNow(next.entry.at);
    return next.entry;
  }

  private peek(): { entry: Entry; lane: Lane | null } | undefined {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.heapPop();
    let best: Entry | undefined = this.heap[0];
    let bestLane: Lane | null = null;
    for (const lane of this.lanes) {
      while (lane.head < lane.items.length && lane.items[lane.head]!.cancelled) lane.head++;
      const head = lane.items[lane.head];
      if (head && (!best || less(head, best))) {
        best = head;
        bestLane = lane;
      }
    }
    return best ? { entry: best, lane: bestLane } : undefined;
  }

  private heapPush(entry: Entry): void {
    const h = this.heap;
    h.push(entry);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private heapPop(): Entry | undefined {
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
