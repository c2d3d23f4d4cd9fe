/**
 * Starts a Web Worker that runs a module of the site's own build (public/boot/module-worker.mjs boots it)
 * instead of a separately bundled worker: the worker imports the same chunks as the page, so a page with a
 * kernel lab and a simulated exercise fetches the kernel once, not once per bundle.
 *
 * `entry` resolves with the address of a module that exports `WORKER_ENTRY = { url: import.meta.url, start }`
 * (read by importing it on the page: a few bytes; the import that brings the rest is start()'s, in the worker).
 */
import { withBase } from '../site/base-path.ts';

export const MODULE_WORKER_BOOT = '/boot/module-worker.mjs';

export function startModuleWorker(entry: Promise<string>, onBootError?: (e: unknown) => void): Worker {
  const worker = new Worker(withBase(MODULE_WORKER_BOOT), { type: 'module' });
  entry.then(
    (url) => worker.postMessage({ type: '__module-worker', entry: url }),
    (e: unknown) => onBootError?.(e),
  );
  return worker;
}
