/** The "Be the peer" worker as a module of the page's build (see runners/module-worker.ts). */
/** Its address and its start(): the page reads the first; keeping the second here keeps the worker's code in the build. */
export const WORKER_ENTRY: { url: string; start: () => Promise<unknown> } = { url: import.meta.url, start };

function start(): Promise<unknown> {
  return import('./peer-worker.ts');
}
