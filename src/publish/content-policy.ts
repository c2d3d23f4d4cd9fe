/**
 * The script policy of `npm start` (src/server/security-headers.ts: this site's scripts and the page's own
 * inline scripts by hash) travels inside each built page as a <meta http-equiv="Content-Security-Policy">, so
 * every static host applies it, GitHub Pages too. Why a tag and not a headers file: the policy differs from
 * page to page, and a host's path rules cannot tell pages from the scripts beside them (the simulated kernel's
 * worker compiles the learner's program, which a page's policy would forbid).
 */
import { parse, type DefaultTreeAdapterTypes } from 'parse5';
import { documentPolicy } from '../server/security-headers.ts';

/** The page's policy without the directives a <meta> cannot carry (frame-ancestors: browsers ignore it there, with a warning). */
export function metaPolicy(html: string): string {
  return documentPolicy(html)
    .split(';')
    .map((d) => d.trim())
    .filter((d) => d !== '' && !/^(frame-ancestors|report-uri|sandbox)\b/i.test(d))
    .join('; ');
}

function findElement(node: DefaultTreeAdapterTypes.Node, test: (el: DefaultTreeAdapterTypes.Element) => boolean): DefaultTreeAdapterTypes.Element | undefined {
  if ('tagName' in node && test(node)) return node;
  if ('childNodes' in node) {
    for (const child of node.childNodes) {
      const found = findElement(child, test);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * The page with its policy in a <meta> right after <meta charset> (before any script it governs). A page that
 * has a policy tag already, or no <head> in its source, is left as it is.
 */
export function addPolicyMeta(html: string): string {
  const doc = parse(html, { sourceCodeLocationInfo: true });
  const attr = (el: DefaultTreeAdapterTypes.Element, name: string) => el.attrs.find((a) => a.name === name)?.value;
  if (findElement(doc, (el) => el.tagName === 'meta' && /^content-security-policy$/i.test(attr(el, 'http-equiv') ?? ''))) return html;
  const head = findElement(doc, (el) => el.tagName === 'head');
  const at = findElement(doc, (el) => el.tagName === 'meta' && attr(el, 'charset') !== undefined)?.sourceCodeLocation?.endOffset ?? head?.sourceCodeLocation?.startTag?.endOffset;
  if (at === undefined) return html;
  const tag = `<meta http-equiv="Content-Security-Policy" content="${metaPolicy(html).replace(/&/g, '&amp;').replace(/"/g, '&quot;')}">`;
  return html.slice(0, at) + tag + html.slice(at);
}
