/**
 * How a built site was made: the build writes this small manifest into its output directory
 * (src/publish/integration.ts), and `npm start` reads it so that it never serves a build made for another
 * base path or for publishing (src/server/build-if-needed.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const BUILD_MANIFEST_FILE = '.tcplab-build.json';

/** The address `npm start` serves the site at, and what a build without SITE_URL assumes. */
export const LOCAL_SITE = 'http://127.0.0.1:4321';

export interface BuildManifest {
  version: 1;
  /** The base path, with its leading and trailing slash ("/" for npm start). */
  base: string;
  /** The site's origin (LOCAL_SITE unless SITE_URL was given). */
  site: string;
}

/** What `npm start` serves: a build at the root, for this machine. */
export const LOCAL_BUILD: BuildManifest = { version: 1, base: '/', site: LOCAL_SITE };

export function writeBuildManifest(outDir: string, manifest: BuildManifest): void {
  writeFileSync(join(outDir, BUILD_MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** The manifest of a build, or null when there is none or it cannot be read (an older or foreign build). */
export function readBuildManifest(outDir: string): BuildManifest | null {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(join(outDir, BUILD_MANIFEST_FILE), 'utf8'));
  } catch {
    return null;
  }
  if (typeof data !== 'object' || data === null) return null;
  const { version, base, site } = data as Record<string, unknown>;
  return version === 1 && typeof base === 'string' && typeof site === 'string' ? { version, base, site } : null;
}

/** Why a build is not the one wanted, in words for the console, or null when it is. */
export function manifestMismatch(found: BuildManifest | null, wanted: BuildManifest): string | null {
  if (!found) return 'it records no build settings (made by an older version, or by hand)';
  if (found.base !== wanted.base) return `it was built for the base path ${found.base}, not ${wanted.base}`;
  if (found.site !== wanted.site) return `it was built for publishing at ${found.site}, not for ${wanted.site}`;
  return null;
}
