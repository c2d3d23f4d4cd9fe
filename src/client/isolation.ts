/**
 * Cross-origin isolation on any host. WebContainer needs the page to be `crossOriginIsolated` (COOP/COEP
 * headers). `npm start` and hosts with a headers file send them; on a host that cannot (GitHub Pages) this
 * registers the site's own service worker (src/site/isolation-sw.ts), which adds them, and reloads the page
 * once so that the page comes through it, saying why. The outcome is on <html data-isolation>:
 *   "isolated"     the page is cross-origin isolated (by its host, or after the reload);
 *   "reloading"    the service worker is in place and the page is reloading once;
 *   "unavailable"  it cannot be (no service workers here, or the reload did not help): WebContainer says why.
 */
import { ISOLATION_SW_FILE } from '../site/isolation-headers.ts';

import { NPM_START_META, RELOAD_KEY } from './isolation-quick.ts';

export type IsolationStep =
  | { kind: 'isolated'; afterReload: boolean }
  | { kind: 'register' }
  | { kind: 'unavailable'; reason: string };

export interface IsolationFacts {
  crossOriginIsolated: boolean;
  /** The page came from `npm start` (its local-runner tag is in the page); that server isolates every page itself. */
  servedByNpmStart: boolean;
  secureContext: boolean;
  serviceWorkers: boolean;
  /** This tab's RELOAD_KEY (null: this tab's storage cannot be used). */
  reload: 'none' | 'pending' | 'failed' | null;
}

/** What to do on this page load. Pure: the page passes what it sees. */
export function isolationStep(f: IsolationFacts): IsolationStep {
  if (f.crossOriginIsolated) return { kind: 'isolated', afterReload: f.reload === 'pending' };
  if (f.servedByNpmStart) return { kind: 'unavailable', reason: 'npm start isolates its pages, but this browser did not' };
  if (!f.secureContext) return { kind: 'unavailable', reason: 'not a secure context (https or localhost)' };
  if (!f.serviceWorkers) return { kind: 'unavailable', reason: 'no service workers in this browser or window' };
  if (f.reload === null) return { kind: 'unavailable', reason: 'storage blocked' };
  if (f.reload !== 'none') return { kind: 'unavailable', reason: 'still not isolated after the reload' };
  return { kind: 'register' };
}

function reloadState(): IsolationFacts['reload'] {
  try {
    const v = sessionStorage.getItem(RELOAD_KEY);
    return v === 'pending' || v === 'failed' ? v : 'none';
  } catch {
    return null;
  }
}

/** Shows one of the notice's two texts (in its markup, data-reloading and data-reloaded: words stay out of the script). */
function say(notice: HTMLElement | null, which: 'reloading' | 'reloaded'): void {
  if (!notice) return;
  notice.textContent = notice.dataset[which] ?? '';
  notice.hidden = false;
}

export async function startIsolation(notice: HTMLElement | null): Promise<void> {
  const html = document.documentElement;
  const servedByNpmStart = document.querySelector(NPM_START_META) !== null;
  const hasWorkers = 'serviceWorker' in navigator;
  const step = isolationStep({
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    servedByNpmStart,
    secureContext: globalThis.isSecureContext === true,
    serviceWorkers: hasWorkers,
    reload: reloadState(),
  });
  // npm start needs no worker of ours: one left by a static server on this same address is removed.
  if (servedByNpmStart && hasWorkers && navigator.serviceWorker.controller) {
    for (const r of await navigator.serviceWorker.getRegistrations()) if (r.active && new URL(r.active.scriptURL).pathname.split('/').pop() === ISOLATION_SW_FILE) void r.unregister();
  }
  if (step.kind === 'isolated') {
    if (step.afterReload) say(notice, 'reloaded');
    const r = reloadState();
    if (r === 'pending' || r === 'failed') sessionStorage.removeItem(RELOAD_KEY);
    html.dataset['isolation'] = 'isolated';
    return;
  }
  if (step.kind === 'unavailable') {
    if (reloadState() === 'pending') sessionStorage.setItem(RELOAD_KEY, 'failed');
    html.dataset['isolation'] = 'unavailable';
    html.dataset['isolationReason'] = step.reason;
    return;
  }
  try {
    // The site's base path (SITE_BASE), from the build: the worker sits there and its scope is the whole site.
    const base = import.meta.env.BASE_URL.endsWith('/') ? import.meta.env.BASE_URL : `${import.meta.env.BASE_URL}/`;
    await navigator.serviceWorker.register(`${base}${ISOLATION_SW_FILE}`, { scope: base });
    // Active (taking over this scope): the reload goes through it.
    await navigator.serviceWorker.ready;
  } catch (e) {
    html.dataset['isolation'] = 'unavailable';
    html.dataset['isolationReason'] = `service worker: ${String(e)}`;
    return;
  }
  sessionStorage.setItem(RELOAD_KEY, 'pending');
  say(notice, 'reloading');
  html.dataset['isolation'] = 'reloading';
  location.reload();
}
