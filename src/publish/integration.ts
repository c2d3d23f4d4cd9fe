/**
 * The last step of every build (an Astro integration, astro:build:done), which makes dist/ a site any static
 * host can serve, under the base path of SITE_BASE:
 * - every lesson's root-relative addresses put under the base while it is compiled (markdown-base.ts),
 *   and every built page's (rebase-html.ts);
 * - every page's script policy in a <meta> (content-policy.ts);
 * - `_headers` for Netlify and Cloudflare Pages (headers-file.ts);
 * - the service worker that isolates pages on hosts without headers (src/site/isolation-sw.ts);
 * - `.nojekyll`, so that GitHub Pages serving dist/ from a branch keeps the _astro/ folder (Jekyll drops "_" names);
 * - the build manifest `npm start` checks, written last (src/server/build-manifest.ts).
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { build as esbuild } from 'esbuild';
import { writeBuildManifest, type BuildManifest } from '../server/build-manifest.ts';
import { withBase } from '../site/base-path.ts';
import { ISOLATION_SW_FILE } from '../site/isolation-headers.ts';
import { addPolicyMeta } from './content-policy.ts';
import { addBasePathToMarkdown } from './markdown-base.ts';
import { formatHeadersFile, headerRules, HEADERS_FILE } from './headers-file.ts';
import { findEscapingCssUrls, findEscapingUrls, rebaseHtml, type EscapingUrl } from './rebase-html.ts';
import { mapCssUrls } from './url-attributes.ts';

function filesOf(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesOf(path, ext) : name.endsWith(ext) ? [path] : [];
  });
}

/** The service worker, bundled into one classic script (it runs before any page code, in a scope of its own). */
export async function bundleServiceWorker(): Promise<string> {
  const result = await esbuild({
    entryPoints: [fileURLToPath(new URL('../site/isolation-sw.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    write: false,
  });
  return result.outputFiles[0]!.text;
}

/** Every root-relative address of the built site that lies outside its base: pages and style sheets. */
export function escapingUrlsOf(outDir: string, base: string): Array<EscapingUrl & { file: string }> {
  const entries = readdirSync(outDir);
  const found: Array<EscapingUrl & { file: string }> = [];
  for (const file of filesOf(outDir, '.html')) found.push(...findEscapingUrls(readFileSync(file, 'utf8'), base, entries).map((f) => ({ ...f, file: relative(outDir, file) })));
  for (const file of filesOf(outDir, '.css')) found.push(...findEscapingCssUrls(readFileSync(file, 'utf8'), base).map((f) => ({ ...f, file: relative(outDir, file) })));
  return found;
}

interface Log {
  info(message: string): void;
  warn(message: string): void;
}

export async function finishBuild(outDir: string, site: BuildManifest, log: Log): Promise<void> {
  const { base } = site;
  for (const file of filesOf(outDir, '.html')) {
    const html = readFileSync(file, 'utf8');
    const done = addPolicyMeta(rebaseHtml(html, base));
    if (done !== html) writeFileSync(file, done);
  }
  for (const file of filesOf(outDir, '.css')) {
    const css = readFileSync(file, 'utf8');
    const done = base === '/' ? css : mapCssUrls(css, (url) => withBase(url, base));
    if (done !== css) writeFileSync(file, done);
  }
  writeFileSync(join(outDir, HEADERS_FILE), formatHeadersFile(headerRules(base)));
  writeFileSync(join(outDir, ISOLATION_SW_FILE), await bundleServiceWorker());
  writeFileSync(join(outDir, '.nojekyll'), '');
  if (base !== '/') {
    const escaping = escapingUrlsOf(outDir, base);
    for (const e of escaping) log.warn(`${e.file}: ${e.where} ${e.url} is outside the base path ${base}`);
    log.info(`site built for ${site.site}${base}: ${escaping.length === 0 ? 'every address is under the base path' : `${escaping.length} addresses outside the base path (above)`}`);
  }
  writeBuildManifest(outDir, site);
}

export function publishIntegration(site: BuildManifest): AstroIntegration {
  return {
    name: 'tcplab-publish',
    hooks: {
      // Lessons write the site's addresses from its root: this puts them under the base path.
      'astro:config:setup': ({ config }) => addBasePathToMarkdown(config.markdown, site.base),
      'astro:build:done': async ({ dir, logger }) => finishBuild(fileURLToPath(dir), site, logger),
    },
  };
}
