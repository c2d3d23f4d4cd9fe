/**
 * The headers a static host must send for the course, and `_headers`, the file Netlify and Cloudflare Pages
 * read them from: every response cross-origin isolated and unframeable, as `npm start` sends them
 * (src/server/security-headers.ts), and the content-hashed bundles cached for ever. Its paths include the base.
 * `parseHeadersFile` and `headersFor` read it back as those hosts do (the e2e's static host applies it).
 */
import { SECURITY_HEADERS } from '../server/security-headers.ts';

export const HEADERS_FILE = '_headers';

/** Astro puts content-hashed bundles under _astro/: they never change, so they can be cached for ever. */
export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';

export interface HeaderRule {
  /** A URL path; `*` matches any run of characters. */
  path: string;
  headers: Array<[string, string]>;
}

/** The rules for a site under `base`: every path gets the security headers, bundles a long cache. */
export function headerRules(base: string): HeaderRule[] {
  return [
    { path: `${base}*`, headers: Object.entries(SECURITY_HEADERS) },
    { path: `${base}_astro/*`, headers: [['Cache-Control', IMMUTABLE_CACHE]] },
  ];
}

export function formatHeadersFile(rules: readonly HeaderRule[]): string {
  const lines = [
    '# Written by the build (src/publish/headers-file.ts) for Netlify and Cloudflare Pages: the headers npm start sends.',
    '# Cross-origin isolation (COOP/COEP/CORP) lets WebContainer run; the pages carry their script policy themselves.',
  ];
  for (const rule of rules) {
    lines.push(rule.path);
    for (const [name, value] of rule.headers) lines.push(`  ${name}: ${value}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Reads a `_headers` file: a path at the start of a line, its headers indented below it, # comments. */
export function parseHeadersFile(text: string): HeaderRule[] {
  const rules: HeaderRule[] = [];
  for (const [i, line] of text.split(/\r?\n/).entries()) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      rules.push({ path: line.trim(), headers: [] });
      continue;
    }
    const colon = line.indexOf(':');
    const rule = rules.at(-1);
    if (!rule || colon < 0) throw new Error(`_headers line ${i + 1}: "${line.trim()}" is not "Name: value" under a path`);
    rule.headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return rules;
}

function matches(pattern: string, path: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(path);
}

/** The headers a host applying `rules` sends for `path`: every matching rule, a header given twice joined by ", ". */
export function headersFor(rules: readonly HeaderRule[], path: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rule of rules) {
    if (!matches(rule.path, path)) continue;
    for (const [name, value] of rule.headers) {
      const key = Object.keys(out).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
      out[key] = out[key] === undefined ? value : `${out[key]}, ${value}`;
    }
  }
  return out;
}
