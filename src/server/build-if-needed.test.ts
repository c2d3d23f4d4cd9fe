import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { buildReason, unservableReason } from './build-if-needed.ts';
import { LOCAL_BUILD, readBuildManifest, writeBuildManifest } from './build-manifest.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A project with one source file and a built site, the source older than the build. */
function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'tcplab-build-'));
  dirs.push(root);
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'src', 'a.ts'), 'x');
  utimesSync(join(root, 'src', 'a.ts'), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
  utimesSync(join(root, 'src'), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
  mkdirSync(join(root, 'dist'));
  writeFileSync(join(root, 'dist', 'index.html'), '<!doctype html>');
  return root;
}

describe('npm start serves only a build made for it', () => {
  test('a fresh build for the root is served as it is', () => {
    const root = project();
    writeBuildManifest(join(root, 'dist'), LOCAL_BUILD);
    expect(readBuildManifest(join(root, 'dist'))).toEqual(LOCAL_BUILD);
    expect(buildReason(root)).toBeNull();
    expect(unservableReason(root)).toBeNull();
  });

  test('a build for another base path, or for publishing, is rebuilt, and refused without building', () => {
    const root = project();
    writeBuildManifest(join(root, 'dist'), { version: 1, base: '/tcp-lab/', site: 'https://example.org' });
    expect(buildReason(root)).toMatch(/built for the base path \/tcp-lab\/, not \//);
    expect(unservableReason(root)).toMatch(/cannot be served here/);
    writeBuildManifest(join(root, 'dist'), { version: 1, base: '/', site: 'https://example.org' });
    expect(buildReason(root)).toMatch(/built for publishing at https:\/\/example.org/);
  });

  test('a build that says nothing of how it was made (older, or by hand) is rebuilt', () => {
    const root = project();
    expect(buildReason(root)).toMatch(/records no build settings/);
    writeFileSync(join(root, 'dist', '.tcplab-build.json'), '{"version":1,"base":7}');
    expect(buildReason(root)).toMatch(/records no build settings/);
  });

  test('a missing build, or one older than a source, is built; an old one is still servable with --no-build', () => {
    const root = project();
    rmSync(join(root, 'dist', 'index.html'));
    expect(buildReason(root)).toMatch(/no built site/);
    writeFileSync(join(root, 'dist', 'index.html'), '<!doctype html>');
    writeBuildManifest(join(root, 'dist'), LOCAL_BUILD);
    writeFileSync(join(root, 'src', 'b.ts'), 'y');
    utimesSync(join(root, 'src', 'b.ts'), new Date(Date.now() + 60_000), new Date(Date.now() + 60_000));
    expect(buildReason(root)).toBe('sources changed since the last build');
    expect(unservableReason(root)).toBeNull();
  });

  test('another output directory is judged against the settings it must have', () => {
    const root = project();
    const outDir = join(root, 'out');
    mkdirSync(outDir);
    writeFileSync(join(outDir, 'index.html'), '<!doctype html>');
    const wanted = { version: 1, base: '/tcp-lab/', site: 'https://example.org' } as const;
    writeBuildManifest(outDir, wanted);
    expect(buildReason(root, { outDir, wanted })).toBeNull();
    expect(buildReason(root, { outDir })).toMatch(/base path \/tcp-lab\//);
  });
});
