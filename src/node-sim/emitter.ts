/** A small EventEmitter with Node's semantics for the parts programs use (on, once, off, emit, listenerCount). */
export type Listener = (...args: never[]) => void;

export class Emitter {
  private listeners = new Map<string, Array<{ fn: (...args: unknown[]) => void; once: boolean }>>();

  on(event: string, fn: (...args: never[]) => void): this {
    const list = this.listeners.get(event) ?? [];
    list.push({ fn: fn as (...args: unknown[]) => void, once: false });
    this.listeners.set(event, list);
    return this;
  }

  addListener(event: string, fn: (...args: never[]) => void): this {
    return this.on(event, fn);
  }

  once(event: string, fn: (...args: never[]) => void): this {
    const list = this.listeners.get(event) ?? [];
    list.push({ fn: fn as (...args: unknown[]) => void, once: true });
    this.listeners.set(event, list);
    return this;
  }

  off(event: string, fn: (...args: never[]) => void): this {
    const list = this.listeners.get(event);
    if (list) this.listeners.set(event, list.filter((l) => l.fn !== (fn as unknown)));
    return this;
  }

  removeListener(event: string, fn: (...args: never[]) => void): this {
    return this.off(event, fn);
  }

  removeAllListeners(event?: string): this {
    if (event === undefined) this.listeners.clear();
    else this.listeners.delete(event);
    return this;
  }

  listenerCount(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }

  emit(event: string, ...args: unknown[]): boolean {
    const list = this.listeners.get(event);
    if (!list || list.length === 0) {
      if (event === 'error') throw args[0] instanceof Error ? args[0] : new Error(String(args[0]));
      return false;
    }
    for (const l of [...list]) {
      if (l.once) this.off(event, l.fn);
      const result: unknown = l.fn(...args);
      // An async listener that rejects is an unhandled rejection: Node ends the program with it.
      if (result !== null && typeof result === 'object' && typeof (result as Promise<unknown>).then === 'function') {
        (result as Promise<unknown>).then(undefined, (e: unknown) => this.listenerRejected(e));
      }
    }
    return true;
  }

  /** Where an async listener's rejection goes; the simulated sockets and servers hand it to their process. */
  protected listenerRejected(e: unknown): void {
    queueMicrotask(() => {
      throw e;
    });
  }
}
