/**
 * Built pages under a base path. Pages and components write the site's addresses from its root
 * (href="/lessons/x/"), whoever wrote them and whenever: after the build, `rebaseHtml` puts every such address of
 * a page under the base, editing only those attribute values (the rest of the page stays byte for byte, inline
 * scripts included). `findEscapingUrls` is the check that nothing was left pointing outside the base.
 * Parsed with parse5 (the HTML standard's parsing, positions of every attribute).
 */
import { parse, type DefaultTreeAdapterTypes } from 'parse5';
import { isRootRelative, isUnderBase, withBase } from '../site/base-path.ts';
import { mapAttributeUrls, mapCssUrls } from './url-attributes.ts';

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;

function* elementsOf(node: Node): Generator<Element> {
  if ('tagName' in node) yield node;
  if ('childNodes' in node) for (const child of node.childNodes) yield* elementsOf(child);
  if ('content' in node && node.nodeName === 'template') yield* elementsOf(node.content);
}

const nameOf = (a: { name: string; prefix?: string }) => (a.prefix ? `${a.prefix}:${a.name}` : a.name);

function attributeMap(el: Element): Record<string, string> {
  return Object.fromEntries(el.attrs.map((a) => [nameOf(a), a.value]));
}

/** The text of a raw-text element (<style>, <script>) and where it sits in the source. */
function rawText(el: Element): { text: string; start: number; end: number } | null {
  const child = el.childNodes[0];
  if (!child || !('value' in child) || child.nodeName !== '#text' || !child.sourceCodeLocation) return null;
  return { text: child.value, start: child.sourceCodeLocation.startOffset, end: child.sourceCodeLocation.endOffset };
}

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** The page with every root-relative address in its attributes and style sheets put under `base`. */
export function rebaseHtml(html: string, base: string): string {
  if (base === '/') return html;
  const rebase = (url: string) => withBase(url, base);
  const edits: Edit[] = [];
  for (const el of elementsOf(parse(html, { sourceCodeLocationInfo: true }))) {
    const loc = el.sourceCodeLocation;
    if (!loc) continue;
    const attrs = attributeMap(el);
    for (const a of el.attrs) {
      const name = nameOf(a);
      const next = mapAttributeUrls(el.tagName, name, a.value, attrs, rebase);
      const where = loc.attrs?.[name];
      if (next === a.value || !where) continue;
      const raw = html.slice(where.startOffset, where.endOffset);
      edits.push({ start: where.startOffset, end: where.endOffset, text: `${raw.slice(0, raw.indexOf('=')).trimEnd()}="${escapeAttribute(next)}"` });
    }
    if (el.tagName === 'style') {
      const css = rawText(el);
      const next = css && mapCssUrls(css.text, rebase);
      if (css && next !== css.text) edits.push({ start: css.start, end: css.end, text: next! });
    }
  }
  let out = html;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

export interface EscapingUrl {
  /** Where: an element and attribute ("a[href]"), a style sheet, or a script. */
  where: string;
  url: string;
}

const escapes = (url: string, base: string) => isRootRelative(url.trim()) && !isUnderBase(url.trim(), base);

/** Root-relative addresses in a style sheet that lie outside `base`. */
export function findEscapingCssUrls(css: string, base: string, where = 'style sheet'): EscapingUrl[] {
  const found: EscapingUrl[] = [];
  mapCssUrls(css, (url) => {
    if (escapes(url, base)) found.push({ where, url });
    return url;
  });
  return found;
}

/**
 * String literals in a script that name a path of the site from its root outside `base` ("/_astro/x.js",
 * "/lessons/"). `entries` are the names at the top of the built site, which tell a path of the site from any
 * other text that starts with a slash ("/proc/net/tcp" in a lesson's shell).
 */
export function findEscapingScriptUrls(js: string, base: string, entries: readonly string[], where = 'script'): EscapingUrl[] {
  if (entries.length === 0) return [];
  const names = entries.map((e) => e.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  const literal = new RegExp(`(["'\`])(/(?:${names})(?:[/?#][^"'\`\\s]*)?)\\1`, 'g');
  return [...js.matchAll(literal)].map((m) => m[2]!).filter((url) => escapes(url, base)).map((url) => ({ where, url }));
}

/** Every address in a page that is root-relative and outside `base`: attributes, style sheets, inline scripts. */
export function findEscapingUrls(html: string, base: string, entries: readonly string[] = []): EscapingUrl[] {
  const found: EscapingUrl[] = [];
  for (const el of elementsOf(parse(html))) {
    const attrs = attributeMap(el);
    for (const a of el.attrs) {
      const name = nameOf(a);
      mapAttributeUrls(el.tagName, name, a.value, attrs, (url) => {
        if (escapes(url, base)) found.push({ where: `${el.tagName}[${name}]`, url });
        return url;
      });
    }
    const text = el.tagName === 'style' || el.tagName === 'script' ? el.childNodes.map((c) => ('value' in c ? c.value : '')).join('') : '';
    if (el.tagName === 'style') found.push(...findEscapingCssUrls(text, base, 'style'));
    if (el.tagName === 'script' && !attrs['src']) found.push(...findEscapingScriptUrls(text, base, entries, 'inline script'));
  }
  return found;
}
