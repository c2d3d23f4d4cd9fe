// A Web Worker that runs a module of the site's own build rather than a worker bundle of its own, so that it
// shares the page's chunks (the simulated kernel above all) and the browser fetches them once.
// The page posts { type: '__module-worker', entry } with the module's address (same origin only); the module
// exports WORKER_ENTRY = { url, start }, and start() installs the worker's message handlers. Messages that arrive before that are kept
// and delivered to those handlers, in order.
const early = [];
let booting = false;

async function boot(entry) {
  const url = new URL(entry, self.location.href);
  if (url.origin !== self.location.origin) throw new Error(`module worker: ${url.href} is not of this site`);
  const mod = await import(url.href);
  await mod.WORKER_ENTRY.start();
  self.removeEventListener('message', hold);
  for (const data of early.splice(0)) self.dispatchEvent(new MessageEvent('message', { data }));
}

function hold(e) {
  if (!booting && e.data && e.data.type === '__module-worker' && typeof e.data.entry === 'string') {
    booting = true;
    boot(e.data.entry).catch((err) => setTimeout(() => { throw err; }));
    return;
  }
  early.push(e.data);
}

self.addEventListener('message', hold);
