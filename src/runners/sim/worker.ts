/// <reference lib="webworker" />
/** The sim runner's Web Worker: the simulated world runs here, so a learner's endless loop never freezes the page. */
import { createWorkerCore, type FromWorker, type ToWorker } from './worker-core.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const channel = new MessageChannel();
const waiting: Array<() => void> = [];
channel.port1.onmessage = () => waiting.shift()?.();

const core = createWorkerCore({
  post: (m: FromWorker) => scope.postMessage(m),
  now: () => performance.now(),
  // setTimeout(0) is clamped to 4 ms when nested; a MessageChannel round trip is not.
  yieldTask: () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      channel.port2.postMessage(0);
    }),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
});

scope.onmessage = (e: MessageEvent<ToWorker>) => void core.handle(e.data);
