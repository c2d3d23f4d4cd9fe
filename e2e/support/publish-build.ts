/**
 * The build e2e/publish.spec.ts serves: the site for SITE_BASE=/tcp-lab/ at https://example.org, in a directory
 * of its own (never the dist/ the other specs serve). `npm test` makes it before the browser tests start
 * (`node e2e/support/publish-build.ts`), so no build competes with them for the machine; the spec makes it
 * itself when it is missing or older than the sources.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, buildReason } from '../../src/server/build-if-needed.ts';
import type { BuildManifest } from '../../src/server/build-manifest.ts';

export const PUBLISH_BASE = '/tcp-lab/';
export const PUBLISH_SITE: BuildManifest = { version: 1, base: PUBLISH_BASE, site: 'https://example.org' };
export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
export const publishOutDir = join(projectRoot, '.cache', 'publish-e2e', 'dist');

/** Builds the site for publishing under /tcp-lab/ unless an up-to-date build is there. */
export function ensurePublishBuild(): void {
  const target = { outDir: publishOutDir, wanted: PUBLISH_SITE };
  if (buildReason(projectRoot, target)) build(projectRoot, target);
}

if (import.meta.url === `file://${process.argv[1]}`) ensurePublishBuild();
