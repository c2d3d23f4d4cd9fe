import { describe, expect, test } from 'vitest';
// The processor Astro compiles lessons with: the plugin is tested where it runs.
import { markdownToHtml, mdxToJs } from 'satteri';
import { addBasePathToMarkdown, attributeName, basePathPlugin } from './markdown-base.ts';

describe('lesson links under the base path (Sätteri hast plugin)', () => {
  const plugin = basePathPlugin('/tcp-lab/');

  test('Markdown links and images written from the root go under the base; other addresses stay', async () => {
    const { html } = await markdownToHtml('[sandbox](/sandbox/?scenario=16-self-connect) [rel](lessons/) [far](https://example.org/x) [top](#top) ![icon](/favicon.svg) [proto](//cdn.example/x)', { hastPlugins: [plugin] });
    expect(html).toContain('href="/tcp-lab/sandbox/?scenario=16-self-connect"');
    expect(html).toContain('src="/tcp-lab/favicon.svg"');
    expect(html).toContain('href="lessons/"');
    expect(html).toContain('href="https://example.org/x"');
    expect(html).toContain('href="#top"');
    expect(html).toContain('href="//cdn.example/x"');
  });

  test('HTML elements in MDX are rebased; a component’s props are left to the component', async () => {
    const { code } = await mdxToJs('<a href="/progress/">progress</a> [lesson](/lessons/lifecycle/) <Link href="/exercises/" />\n\n<img src="/favicon.svg" alt="" />\n', { hastPlugins: [plugin] });
    expect(code).toContain('"/tcp-lab/progress/"');
    expect(code).toContain('"/tcp-lab/lessons/lifecycle/"');
    expect(code).toContain('"/tcp-lab/favicon.svg"');
    expect(code).toContain('"/exercises/"');
    expect(code).not.toContain('"/progress/"');
  });

  test('an address already under the base is not rebased twice', async () => {
    const { html } = await markdownToHtml('[x](/tcp-lab/lessons/)', { hastPlugins: [plugin] });
    expect(html).toContain('href="/tcp-lab/lessons/"');
  });

  test('hast property names map to HTML attribute names', () => {
    expect(attributeName('href')).toBe('href');
    expect(attributeName('srcSet')).toBe('srcset');
    expect(attributeName('dataHref')).toBe('data-href');
    expect(attributeName('dataNextUrl')).toBe('data-next-url');
    expect(attributeName('xLinkHref')).toBe('xlink:href');
  });

  test('joins the Sätteri processor only for a base other than "/", and refuses a processor it cannot join', () => {
    const satteri = { processor: { name: 'satteri', options: { hastPlugins: [] as unknown[] } } };
    addBasePathToMarkdown(satteri, '/');
    expect(satteri.processor.options.hastPlugins).toHaveLength(0);
    addBasePathToMarkdown(satteri, '/tcp-lab/');
    expect(satteri.processor.options.hastPlugins).toHaveLength(1);
    expect(() => addBasePathToMarkdown({ processor: { name: 'unified', options: {} } }, '/tcp-lab/')).toThrow(/SITE_BASE: .*"unified"/);
    expect(() => addBasePathToMarkdown({ processor: { name: 'unified', options: {} } }, '/')).not.toThrow();
  });
});
