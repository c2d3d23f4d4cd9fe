/**
 * The site's service worker, for hosts that cannot send headers (GitHub Pages): it adds the cross-origin
 * isolation headers to every response of the site, so that after one reload the page is `crossOriginIsolated`
 * and WebContainer can boot. It caches nothing and answers nothing itself: every request goes to the network
 * as the page made it (so a page of `npm start`, which carries the local runner's secret, is never stored).
 * The build bundles this file to <base>/isolation-sw.js (src/publish/integration.ts); the page registers it
 * only when it is not already isolated and not served by `npm start` (src/client/isolation.ts).
 */
import { handles, isolate } from './isolation-headers.ts';

interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends Event {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}
interface WorkerScope {
  readonly registration: { readonly scope: string };
  readonly clients: { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
}

const worker = self as unknown as WorkerScope;

// Take over at once: the page reloads right after, and that reload must already come through here.
worker.addEventListener('install', (event) => event.waitUntil(worker.skipWaiting()));
worker.addEventListener('activate', (event) => event.waitUntil(worker.clients.claim()));

worker.addEventListener('fetch', (event) => {
  const request = event.request;
  // A request the browser may only answer from its cache, for another origin: not ours to fetch.
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  if (!handles(request.url, worker.registration.scope)) return;
  event.respondWith(fetch(request).then(isolate));
});
