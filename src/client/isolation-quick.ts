/**
 * The part of cross-origin isolation (isolation.ts) that every page runs, inlined: on a page that is isolated
 * already, with nothing to say or clean up, it marks <html data-isolation="isolated"> and the rest never loads.
 */

/** Per tab: "pending" just before the reload, "failed" when it did not help (so it is never repeated in this tab). */
export const RELOAD_KEY = 'tcplab:isolation-reload';

/**
 * A page `npm start` served carries a <meta name="tcplab-local…"> (TOKEN_META_NAME or LOGIN_META_NAME of
 * src/runners/local/protocol.ts; a test keeps them under this prefix). Matched here by prefix so that this
 * script imports nothing.
 */
export const NPM_START_META = 'meta[name^="tcplab-local"]';

/** True when the page is isolated and isolation.ts has nothing to do (no notice after a reload, no stale worker). */
export function isolatedAlready(): boolean {
  if (globalThis.crossOriginIsolated !== true) return false;
  let reload: string | null = null;
  try {
    reload = sessionStorage.getItem(RELOAD_KEY);
  } catch {
    /* storage blocked: there is no reload to report */
  }
  if (reload !== null) return false;
  if (document.querySelector(NPM_START_META) !== null && navigator.serviceWorker?.controller) return false;
  document.documentElement.dataset['isolation'] = 'isolated';
  return true;
}
