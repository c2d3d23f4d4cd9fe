/**
 * Cross-origin isolation for hosts that cannot send headers (GitHub Pages): the site's own service worker
 * (isolation-sw.ts) passes every response of the site through `isolate`, which adds the headers `npm start`
 * sends (src/server/security-headers.ts) and that WebContainer needs (`crossOriginIsolated`). Kept free of
 * Node so that it can run in the service worker; a test keeps these values equal to the server's.
 */

/** The file name of the service worker, at the base of the site (its scope is the whole site). */
export const ISOLATION_SW_FILE = 'isolation-sw.js';

/** What makes a page cross-origin isolated, plus the anti-framing headers of `npm start`. */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "frame-ancestors 'none'",
};

/** Whether the service worker should touch a request: only this site's own, within its scope. */
export function handles(requestUrl: string, scope: string): boolean {
  let url: URL;
  let root: URL;
  try {
    url = new URL(requestUrl);
    root = new URL(scope);
  } catch {
    return false;
  }
  return url.origin === root.origin && url.pathname.startsWith(root.pathname);
}

/**
 * The response with the isolation headers added. Left as it is: a response the browser does not let a worker
 * read (opaque, a redirect of a navigation, a network error), and one whose server already isolates it (a host
 * with a headers file, or `npm start`: their own headers win).
 */
export function isolate(response: Response): Response {
  if (response.type === 'opaque' || response.type === 'opaqueredirect' || response.type === 'error' || response.status === 0) return response;
  if (response.headers.has('Cross-Origin-Embedder-Policy')) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) if (!headers.has(name)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
