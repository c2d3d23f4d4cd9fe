/**
 * The site's base path: where the built site lives on its host ("/" for `npm start`, "/tcp-lab/" for a
 * GitHub Pages project site). Every address the site makes for itself goes through `withBase`, so one build
 * setting (SITE_BASE) moves the whole site. Pages get it from Astro (`import.meta.env.BASE_URL`); code that
 * runs outside a build (Node, tests) sees "/".
 */

/** The base path of this build, always with a leading and a trailing slash. */
export const BASE: string = withTrailingSlash(import.meta.env?.BASE_URL ?? '/');

function withTrailingSlash(path: string): string {
  return path.endsWith('/') ? path : `${path}/`;
}

/**
 * True for an address that names a path on this host from its root ("/lessons/", "/_astro/x.js"): not a
 * relative one ("x/", "#id", "?q"), not one with a scheme, not a protocol-relative one ("//host/", or "/\host",
 * which browsers read the same way).
 */
export function isRootRelative(url: string): boolean {
  return url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/\\');
}

/** True when a root-relative address already lies under `base` (the base itself, with or without its slash). */
export function isUnderBase(url: string, base: string = BASE): boolean {
  if (base === '/') return isRootRelative(url);
  const bare = base.slice(0, -1);
  return url.startsWith(base) || url === bare || url.startsWith(`${bare}?`) || url.startsWith(`${bare}#`);
}

/**
 * The address of a path of this site under the base: withBase('/lessons/lifecycle/') is
 * '/tcp-lab/lessons/lifecycle/' in a build for /tcp-lab/. Anything that is not a root-relative address, or is
 * already under the base, comes back unchanged (so applying it twice is harmless).
 */
export function withBase(url: string, base: string = BASE): string {
  if (base === '/' || !isRootRelative(url) || isUnderBase(url, base)) return url;
  return base.slice(0, -1) + url;
}
