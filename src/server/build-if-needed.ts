import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BUILD_MANIFEST_FILE, LOCAL_BUILD, manifestMismatch, readBuildManifest, type BuildManifest } from './build-manifest.ts';

const SOURCES = ['src', 'content', 'public', 'astro.config.mjs', 'package.json'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = s.mtimeMs;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, name)));
  }
  return newest;
}

export interface BuildTarget {
  /** Where the site is built (default: dist/ of the project). */
  outDir?: string;
  /** How it must be built (default: what `npm start` serves, at the root). */
  wanted?: BuildManifest;
}

/**
 * Why the built site in outDir cannot be served as the wanted build, whatever its age: missing, or made with
 * other settings (another base path, or for publishing at another address). Null when it can.
 */
export function unservableReason(projectRoot: string, target: BuildTarget = {}): string | null {
  const outDir = target.outDir ?? join(projectRoot, 'dist');
  const where = relative(projectRoot, outDir) || '.';
  if (!existsSync(join(outDir, 'index.html'))) return `there is no built site in ${where}/`;
  const mismatch = manifestMismatch(readBuildManifest(outDir), target.wanted ?? LOCAL_BUILD);
  return mismatch ? `the site in ${where}/ cannot be served here: ${mismatch}` : null;
}

/** Why the site must be built (missing, made with other settings, or older than a source file), or null. */
export function buildReason(projectRoot: string, target: BuildTarget = {}): string | null {
  const unservable = unservableReason(projectRoot, target);
  if (unservable) return unservable;
  // The manifest is the last file a build writes: its time is when the build finished.
  const built = statSync(join(target.outDir ?? join(projectRoot, 'dist'), BUILD_MANIFEST_FILE)).mtimeMs;
  return SOURCES.some((s) => newestMtime(join(projectRoot, s)) > built) ? 'sources changed since the last build' : null;
}

/** True when dist/ is missing, was built with other settings than `npm start` serves, or is older than any source file. */
export function needsBuild(projectRoot: string): boolean {
  return buildReason(projectRoot) !== null;
}

/**
 * Builds the site. By default the build `npm start` serves: at the root, whatever SITE_BASE or SITE_URL this
 * shell has exported (they are for publishing). A target's `wanted` settings are passed to the build instead.
 */
export function build(projectRoot: string, target: BuildTarget = {}): void {
  const reason = buildReason(projectRoot, target);
  console.log(`Building the site${reason ? ` (${reason})` : ''}…`);
  const { SITE_BASE: _base, SITE_URL: _url, ...env } = process.env;
  const wanted = target.wanted ?? LOCAL_BUILD;
  if (wanted.base !== LOCAL_BUILD.base) env['SITE_BASE'] = wanted.base;
  if (wanted.site !== LOCAL_BUILD.site) env['SITE_URL'] = wanted.site;
  const args = [join(projectRoot, 'node_modules', 'astro', 'bin', 'astro.mjs'), 'build', ...(target.outDir ? ['--outDir', target.outDir] : [])];
  const result = spawnSync(process.execPath, args, { cwd: projectRoot, stdio: 'inherit', env: { ...env, ASTRO_TELEMETRY_DISABLED: '1' } });
  if (result.status !== 0) throw new Error('the site build failed; see the messages above');
}
