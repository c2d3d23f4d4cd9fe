// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { bundleGrader } from './scripts/bundle-grader.ts';
import { siteConfigFromEnv } from './src/publish/site-config.ts';
import { publishIntegration } from './src/publish/integration.ts';

/** Where the site will live: SITE_BASE (path) and SITE_URL (origin) from the environment; "/" for npm start. */
const site = siteConfigFromEnv(process.env);

/** The webcontainer runner runs `tcplab grade` inside the container: bundle it into public/runtime/ first. */
const graderBundle = {
  name: 'tcplab-grader-bundle',
  hooks: { 'astro:config:setup': async () => bundleGrader() },
};

/**
 * Vite's helper that preloads a dynamic import's dependencies writes <link> tags into the document. Workers
 * that run modules of the page's own build (src/runners/module-worker.ts) have no document: there the helper
 * skips preloading and the import fetches what it needs itself.
 */
const preloadInWorkers = {
  name: 'tcplab-preload-in-workers',
  enforce: /** @type {const} */ ('post'),
  /** @param {string} code @param {string} id */
  transform(code, id) {
    if (!id.includes('vite/preload-helper')) return null;
    const guarded = code.replace('deps && deps.length > 0', 'deps && deps.length > 0 && typeof document !== "undefined"');
    if (guarded === code) throw new Error('tcplab-preload-in-workers: the preload helper changed; update the guard');
    return { code: guarded, map: null };
  },
};

/** WebContainer needs cross-origin isolation; the dev server sends the same headers as `npm start`. */
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  site: site.site,
  base: site.base,
  trailingSlash: 'ignore',
  build: { format: 'directory', inlineStylesheets: 'auto' },
  integrations: [graderBundle, mdx(), publishIntegration(site)],
  markdown: {
    shikiConfig: {
      // The high-contrast GitHub themes: every token colour passes WCAG AA (4.5:1) on the code block's background.
      themes: { light: 'github-light-high-contrast', dark: 'github-dark-high-contrast' },
      defaultColor: false,
      wrap: true,
    },
  },
  server: { host: '127.0.0.1', headers: isolationHeaders },
  vite: {
    server: { headers: isolationHeaders },
    preview: { headers: isolationHeaders },
    worker: { format: 'es' },
    plugins: [preloadInWorkers],
    // Every browser that runs the labs supports <link rel=modulepreload>: no polyfill to ship.
    build: { modulePreload: { polyfill: false } },
  },
  devToolbar: { enabled: false },
});
