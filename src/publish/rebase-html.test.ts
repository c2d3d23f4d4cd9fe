import { describe, expect, test } from 'vitest';
import { findEscapingScriptUrls, findEscapingUrls, rebaseHtml } from './rebase-html.ts';

const page = (body: string, head = '') => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">${head}<title>t</title></head><body>${body}</body></html>`;
const BASE = '/tcp-lab/';
const ENTRIES = ['_astro', 'lessons', 'scenarios', 'favicon.svg'];

describe('rebaseHtml: a built page under the base path', () => {
  test('every root-relative address in a URL attribute goes under the base, and nothing else of the page changes', () => {
    const html = page(
      `<a href="/lessons/lifecycle/">1</a><a href="#main">skip</a><a href="x/">rel</a><a href="https://example.org/">far</a>` +
        `<img src="/favicon.svg" srcset="/a.png 1x, /b.png 2x, c.png 3x" alt=""><form action="/search"><button formaction="/go">go</button></form>` +
        `<li data-href="/lessons/half-close/" data-checkpoints="/not/a/url">x</li><video poster="/p.png"></video><a ping="/p1 /p2" href="//cdn.example/x">p</a>` +
        `<div style="background: url('/bg.png')"></div><svg><use href="/icons.svg#x"></use></svg><template><a href="/in-template/">t</a></template>`,
      `<link rel="icon" href="/favicon.svg"><script type="module" src="/_astro/a.js"></script><script>var a = "/lessons/"; if (1 < 2 && "href=\\"/x\\"") {}</script><style>.a{background:url(/_astro/x.png)}</style>`,
    );
    const out = rebaseHtml(html, BASE);
    for (const expected of [
      'href="/tcp-lab/lessons/lifecycle/"', 'href="#main"', 'href="x/"', 'href="https://example.org/"', 'src="/tcp-lab/favicon.svg"',
      'srcset="/tcp-lab/a.png 1x, /tcp-lab/b.png 2x, c.png 3x"', 'action="/tcp-lab/search"', 'formaction="/tcp-lab/go"',
      'data-href="/tcp-lab/lessons/half-close/"', 'data-checkpoints="/not/a/url"', 'poster="/tcp-lab/p.png"', 'ping="/tcp-lab/p1 /tcp-lab/p2"',
      'href="//cdn.example/x"', `url('/tcp-lab/bg.png')`, 'href="/tcp-lab/icons.svg#x"', 'href="/tcp-lab/in-template/"',
      'rel="icon" href="/tcp-lab/favicon.svg"', 'src="/tcp-lab/_astro/a.js"', '.a{background:url(/tcp-lab/_astro/x.png)}',
    ])
      expect(out).toContain(expected);
    // Scripts are code, not markup: left byte for byte (a script's addresses are the helper's job).
    expect(out).toContain('<script>var a = "/lessons/"; if (1 < 2 && "href=\\"/x\\"") {}</script>');
    expect(out.replace(/\/tcp-lab(?=\/)/g, '')).toBe(html);
  });

  test('keeps how an attribute was written apart from its value, and escapes what it writes', () => {
    const out = rebaseHtml(page(`<a HREF='/a?x=1&amp;y="2"'>x</a><a href=/b>y</a>`), BASE);
    expect(out).toContain('<a HREF="/tcp-lab/a?x=1&amp;y=&quot;2&quot;">x</a>');
    expect(out).toContain('<a href="/tcp-lab/b">y</a>');
  });

  test('a <meta> refresh to a page of the site is rebased', () => {
    expect(rebaseHtml(page('', '<meta http-equiv="refresh" content="0;url=/lessons/">'), BASE)).toContain('content="0;url=/tcp-lab/lessons/"');
  });

  test('is idempotent, and the identity at the root', () => {
    const html = page('<a href="/lessons/">x</a>');
    const once = rebaseHtml(html, BASE);
    expect(rebaseHtml(once, BASE)).toBe(once);
    expect(rebaseHtml(html, '/')).toBe(html);
  });
});

describe('findEscapingUrls: the check that nothing points outside the base', () => {
  test('finds a root-relative address outside the base in attributes, style and inline scripts', () => {
    const html = page(
      '<a href="/lessons/x/">a</a><img src="/tcp-lab/ok.png" alt=""><li data-src="/scenarios/a.tcplab"></li><div style="background:url(/bg.png)"></div>',
      '<style>@import "/_astro/x.css";</style><script type="module">import("/_astro/chunk.js")</script><script type="application/json">{"next":"/lessons/y/"}</script>',
    );
    expect(findEscapingUrls(html, BASE, ENTRIES)).toEqual([
      { where: 'style', url: '/_astro/x.css' },
      { where: 'inline script', url: '/_astro/chunk.js' },
      { where: 'inline script', url: '/lessons/y/' },
      { where: 'a[href]', url: '/lessons/x/' },
      { where: 'li[data-src]', url: '/scenarios/a.tcplab' },
      { where: 'div[style]', url: '/bg.png' },
    ]);
  });

  test('finds nothing in a page that keeps to the base, or in text that only looks like a path', () => {
    const html = page('<a href="/tcp-lab/">home</a><pre>cat /proc/net/tcp</pre>', '<script>const p = "/proc/net/tcp"; const s = "/";</script>');
    expect(findEscapingUrls(html, BASE, ENTRIES)).toEqual([]);
    expect(findEscapingUrls(rebaseHtml(page('<a href="/lessons/">x</a><img src="/favicon.svg" alt="">'), BASE), BASE, ENTRIES)).toEqual([]);
  });

  test('nothing escapes the root', () => {
    expect(findEscapingUrls(page('<a href="/lessons/">x</a>'), '/', ENTRIES)).toEqual([]);
  });

  test('script literals naming a path of the site', () => {
    expect(findEscapingScriptUrls('fetch("/scenarios/" + n); x = `/lessons/${s}/`; y = "/lessons"', BASE, ENTRIES).map((f) => f.url)).toEqual(['/scenarios/', '/lessons/${s}/', '/lessons']);
    expect(findEscapingScriptUrls('x = "/lessonsx"; y = "/tcp-lab/lessons/"', BASE, ENTRIES)).toEqual([]);
  });
});
