/**
 * The sim worker as a module of the page's build (see ../module-worker.ts): the page imports this to learn
 * its address; in the worker, start() brings the simulated world (worker.ts) with the chunks the page shares.
 */
/** Its address and its start(): the page reads the first; keeping the second here keeps the worker's code in the build. */
export const WORKER_ENTRY: { url: string; start: () => Promise<unknown> } = { url: import.meta.url, start };

function start(): Promise<unknown> {
  return import('./worker.ts');
}
