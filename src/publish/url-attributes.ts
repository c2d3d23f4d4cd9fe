/**
 * Which attributes of HTML hold addresses, and where in their value: shared by the rewriting of built pages
 * (rebase-html.ts), of lesson content (rehype-base.ts) and by the check that nothing escapes the base.
 */

/** Attributes whose whole value is one address. */
const SINGLE = new Set(['href', 'src', 'action', 'formaction', 'poster', 'cite', 'data', 'manifest', 'background', 'longdesc', 'xlink:href']);

/** data-* attributes that, by their name, hold an address (data-href, data-src, data-next-url …). */
const DATA_URL = /^data-(?:[a-z0-9-]*-)?(?:href|src|url)$/;

/** Applies `fn` to every url(…) and @import "…" of a style sheet or style attribute. */
export function mapCssUrls(css: string, fn: (url: string) => string): string {
  return css
    .replace(/url\(\s*(['"]?)([^'")\s]+)\1\s*\)/gi, (whole, q: string, url: string) => {
      const next = fn(url);
      return next === url ? whole : `url(${q}${next}${q})`;
    })
    .replace(/@import\s+(['"])([^'"]+)\1/gi, (whole, q: string, url: string) => {
      const next = fn(url);
      return next === url ? whole : `@import ${q}${next}${q}`;
    });
}

/**
 * The attribute's value with `fn` applied to each address in it (the value itself when there is none).
 * `attrs` are the element's other attributes (a <meta> refresh is told by its http-equiv).
 */
export function mapAttributeUrls(tag: string, name: string, value: string, attrs: Readonly<Record<string, string>>, fn: (url: string) => string): string {
  const one = (url: string) => {
    const lead = /^\s*/.exec(url)![0];
    const rest = url.slice(lead.length);
    const trail = /\s*$/.exec(rest)![0];
    const core = rest.slice(0, rest.length - trail.length);
    const next = fn(core);
    return next === core ? url : lead + next + trail;
  };
  if (SINGLE.has(name) || DATA_URL.test(name)) return one(value);
  if (name === 'srcset' || name === 'imagesrcset') {
    // Candidates are "address descriptor" separated by commas.
    return value
      .split(',')
      .map((candidate) => candidate.replace(/^(\s*)(\S+)/, (_, ws: string, url: string) => ws + fn(url)))
      .join(',');
  }
  if (name === 'ping') return value.replace(/\S+/g, (url) => fn(url));
  if (name === 'style') return mapCssUrls(value, fn);
  if (tag === 'meta' && name === 'content' && /^refresh$/i.test(attrs['http-equiv'] ?? '')) {
    return value.replace(/^(\s*\d+(?:\.\d*)?\s*[;,]?\s*(?:url\s*=\s*)?)(['"]?)([^'"]*)\2(\s*)$/i, (whole, head: string, q: string, url: string, tail: string) => {
      if (url === '') return whole;
      const next = fn(url);
      return next === url ? whole : `${head}${q}${next}${q}${tail}`;
    });
  }
  return value;
}
