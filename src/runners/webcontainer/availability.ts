/**
 * Whether WebContainer can start in this page, from what the page can see without booting it (a boot
 * downloads the runtime from StackBlitz's servers). Kept apart so a page can ask without loading the runner.
 */
import type { Availability } from '../types.ts';

export interface PageEnvironment {
  crossOriginIsolated: boolean;
  online: boolean;
  secure: boolean;
}

export function pageEnvironment(): PageEnvironment {
  return {
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    online: typeof navigator === 'undefined' || navigator.onLine,
    secure: globalThis.isSecureContext === true,
  };
}

export function webContainerAvailability(env: PageEnvironment = pageEnvironment()): Availability {
  if (!env.secure) return { available: false, reason: 'this page is not a secure context (https or localhost)' };
  if (!env.crossOriginIsolated) return { available: false, reason: 'the page is not cross-origin isolated (COOP/COEP headers missing)' };
  if (!env.online) return { available: false, reason: 'offline: WebContainer loads from StackBlitz’s servers' };
  if (typeof SharedArrayBuffer === 'undefined') return { available: false, reason: 'this browser has no SharedArrayBuffer (unsupported browser)' };
  return { available: true };
}
