/**
 * Lesson content under the base path. A hast plugin for Sätteri, Astro's Markdown and MDX processor: every
 * root-relative address written in a lesson — a Markdown link or image ([the sandbox](/sandbox/)), or an HTML
 * element in MDX (<a href="/progress/">) — is put under SITE_BASE at build time, so authors write addresses
 * from the root and the lesson works under any base. Components' own props are theirs (their output is
 * rebased with the page, rebase-html.ts). Nothing is added to the pipeline when the base is "/".
 */
import { withBase } from '../site/base-path.ts';
import { mapAttributeUrls } from './url-attributes.ts';

/** The parts of a hast element and of an MDX JSX element that the plugin reads. */
interface HastElement {
  tagName: string;
  properties?: Record<string, unknown>;
}
interface JsxElement {
  name: string | null;
  attributes: ReadonlyArray<{ type: string; name?: string; value?: unknown }>;
}
interface VisitorContext {
  setProperty(node: object, key: string, value: unknown): void;
}

/** hast's property names are the DOM's (srcSet, dataHref, xLinkHref); the attribute rules speak HTML. */
export function attributeName(property: string): string {
  if (property === 'xLinkHref') return 'xlink:href';
  if (/^data[A-Z]/.test(property)) return `data${property.slice(4).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  return property.toLowerCase();
}

function rebased(tag: string, name: string, value: unknown, attrs: Record<string, string>, base: string): unknown {
  const fn = (url: string) => withBase(url, base);
  if (typeof value === 'string') return mapAttributeUrls(tag, name, value, attrs, fn);
  // hast keeps list-valued properties (srcSet, ping) as arrays of their items.
  if (Array.isArray(value)) return value.map((item: unknown) => (typeof item === 'string' ? mapAttributeUrls(tag, name, item, attrs, fn) : item));
  return value;
}

function changed(a: unknown, b: unknown): boolean {
  return Array.isArray(a) && Array.isArray(b) ? a.some((x, i) => x !== b[i]) : a !== b;
}

/** The Sätteri hast plugin that puts a lesson's root-relative addresses under `base`. */
export function basePathPlugin(base: string) {
  const element = (node: HastElement, ctx: VisitorContext) => {
    const props = node.properties ?? {};
    const attrs = Object.fromEntries(Object.entries(props).flatMap(([k, v]) => (typeof v === 'string' ? [[attributeName(k), v]] : [])));
    for (const [prop, value] of Object.entries(props)) {
      const next = rebased(node.tagName, attributeName(prop), value, attrs, base);
      if (changed(next, value)) ctx.setProperty(node, prop, next);
    }
  };
  // <a href="/x/"> written in MDX: a JSX element named in lower case is plain HTML; a component's props are its own.
  const jsx = (node: JsxElement, ctx: VisitorContext) => {
    if (!node.name || !/^[a-z]/.test(node.name)) return;
    const attrs: Record<string, string> = {};
    for (const a of node.attributes) if (a.type === 'mdxJsxAttribute' && a.name && typeof a.value === 'string') attrs[a.name.toLowerCase()] = a.value;
    for (const a of node.attributes) {
      if (a.type !== 'mdxJsxAttribute' || !a.name || typeof a.value !== 'string') continue;
      const next = rebased(node.name, a.name.toLowerCase(), a.value, attrs, base);
      if (next !== a.value) ctx.setProperty(node, a.name, next);
    }
  };
  return {
    name: 'tcplab-base-path',
    element: { filter: [] as string[], visit: element },
    mdxJsxFlowElement: { filter: [] as string[], visit: jsx },
    mdxJsxTextElement: { filter: [] as string[], visit: jsx },
  };
}

/** The resolved `markdown` setting of Astro's config, as far as this reads it. */
interface MarkdownConfig {
  processor?: { name: string; options: unknown };
}

/**
 * Adds the plugin to the Markdown processor (Astro runs the same one for .mdx): called from the
 * integration's config hook, where integrations may extend the processor's plugin lists.
 */
export function addBasePathToMarkdown(markdown: MarkdownConfig, base: string): void {
  if (base === '/') return;
  const processor = markdown.processor;
  if (processor?.name !== 'satteri') {
    throw new Error(`SITE_BASE: lesson links are put under the base path by a Sätteri plugin, but the Markdown processor is ${processor ? `"${processor.name}"` : 'not set'}`);
  }
  (processor.options as { hastPlugins: unknown[] }).hastPlugins.push(basePathPlugin(base));
}
