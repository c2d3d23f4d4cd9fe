/**
 * Cross-origin isolation on any host. WebContainer needs the page to be `crossOriginIsolated` (COOP/COEP
 * headers). `npm start` and hosts with a headers file send them; on a host that cannot (GitHub Pages) this
 * registers the site's own service worker (src/site/isolation-sw.ts), which adds them, and reloads the page
 * once so that the page comes through it, saying why. The outcome is on <html data-isolation>:
 *   "isolated"     the page is cross-origin isolated (by its host, or after the reload);
 *   "reloading"    the service worker is in place and the page is reloading once;
 *   "unavailable"  it cannot be (no service workers here, or the reload did not help): WebContainer says why.
 */
import { LOGIN_META_NAME, TOKEN_META_NAME } from '../runners/local/protocol.ts';
import { BASE, withBase } from '../site/base-path.ts';
import { ISOLATION_SW_FILE } from '../site/isolation-headers.ts';

/** Per tab: "pending" just before the reload, "failed" when it did not help (so it is never repeated in this tab). */
export const RELOAD_KEY = 'tcplab:isolation-reload';

export const RELOADING_TEXT =
  'Reloading this page once: this host cannot send the headers WebContainer needs (cross-origin isolation), so a service worker of this site adds them.';
export const RELOADED_TEXT =
  'This page reloaded once so that WebContainer can run here: a service worker of this site adds the cross-origin isolation headers this host cannot send. It will not happen again in this browser.';

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
  if (f.servedByNpmStart) return { kind: 'unavailable', reason: 'npm start sends the isolation headers, but this browser did not isolate the page' };
  if (!f.secureContext) return { kind: 'unavailable', reason: 'the page is not served over https (or from localhost), so no service worker can isolate it' };
  if (!f.serviceWorkers) return { kind: 'unavailable', reason: 'this browser has no service workers here (a private window?), so the page cannot be isolated' };
  if (f.reload === null) return { kind: 'unavailable', reason: 'this browser blocks the storage the one-time reload needs' };
  if (f.reload !== 'none') return { kind: 'unavailable', reason: 'the page was reloaded through the service worker and is still not isolated' };
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

function say(notice: HTMLElement | null, text: string): void {
  if (!notice) return;
  notice.textContent = text;
  notice.hidden = false;
}

export async function startIsolation(notice: HTMLElement | null): Promise<void> {
  const html = document.documentElement;
  const servedByNpmStart = document.querySelector(`meta[name="${TOKEN_META_NAME}"], meta[name="${LOGIN_META_NAME}"]`) !== null;
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
    for (const r of await navigator.serviceWorker.getRegistrations()) if (r.active?.scriptURL.endsWith(`/${ISOLATION_SW_FILE}`)) void r.unregister();
  }
  if (step.kind === 'isolated') {
    if (step.afterReload) say(notice, RELOADED_TEXT);
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
    await navigator.serviceWorker.register(withBase(`/${ISOLATION_SW_FILE}`), { scope: BASE });
    // Active (taking over this scope): the reload goes through it.
    await navigator.serviceWorker.ready;
  } catch (e) {
    html.dataset['isolation'] = 'unavailable';
    html.dataset['isolationReason'] = `the service worker could not start (${e instanceof Error ? e.message : String(e)})`;
    return;
  }
  sessionStorage.setItem(RELOAD_KEY, 'pending');
  say(notice, RELOADING_TEXT);
  html.dataset['isolation'] = 'reloading';
  location.reload();
}
