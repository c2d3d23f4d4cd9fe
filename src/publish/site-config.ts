/**
 * Where the built site will live, from the environment of the build:
 *   SITE_BASE=/tcp-lab/                  the path the site is served under (default "/")
 *   SITE_URL=https://example.org         the site's origin (default: npm start's 127.0.0.1 address)
 * SITE_URL may carry the path instead (https://me.github.io/tcp-lab/); if both give one, they must agree.
 * A bad value fails the build naming the variable.
 */
import { LOCAL_SITE, type BuildManifest } from '../server/build-manifest.ts';

const SEGMENT = /^[A-Za-z0-9._~-]+$/;

/** "/tcp-lab/" from "tcp-lab", "/tcp-lab", "tcp-lab/" …; "/" from "" or "/". Throws, naming `what`, on anything else. */
export function normaliseBase(raw: string, what = 'SITE_BASE'): string {
  const value = raw.trim();
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(value) || value.startsWith('//')) {
    throw new Error(`${what} must be a path such as /tcp-lab/, not an address (got "${raw}"); the origin goes in SITE_URL`);
  }
  const segments = value.split('/').filter((s) => s !== '');
  for (const s of segments) {
    if (!SEGMENT.test(s) || s === '.' || s === '..') {
      throw new Error(`${what} must be a path of plain names (letters, digits, . _ ~ -) such as /tcp-lab/ (got "${raw}": "${s}" is not one)`);
    }
  }
  return segments.length === 0 ? '/' : `/${segments.join('/')}/`;
}

export function siteConfigFromEnv(env: Readonly<Record<string, string | undefined>>): BuildManifest {
  const rawUrl = env['SITE_URL']?.trim() ?? '';
  const rawBase = env['SITE_BASE']?.trim() ?? '';
  let site = LOCAL_SITE;
  let pathOfUrl: string | undefined;
  if (rawUrl !== '') {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      throw new Error(`SITE_URL must be an absolute http(s) address such as https://example.org (got "${rawUrl}")`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`SITE_URL must be an http(s) address (got "${rawUrl}")`);
    if (url.username || url.password || url.search || url.hash) throw new Error(`SITE_URL must be an origin, optionally with a path, without credentials, query or fragment (got "${rawUrl}")`);
    site = url.origin;
    if (url.pathname !== '/') pathOfUrl = normaliseBase(decodeURIComponent(url.pathname), 'the path of SITE_URL');
  }
  const base = rawBase !== '' ? normaliseBase(rawBase) : (pathOfUrl ?? '/');
  if (pathOfUrl !== undefined && pathOfUrl !== base) throw new Error(`SITE_BASE (${base}) and the path of SITE_URL (${pathOfUrl}) disagree: give one of them`);
  return { version: 1, base, site };
}
