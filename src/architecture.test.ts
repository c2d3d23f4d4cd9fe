/**
 * One-way imports (DESIGN.md): kernel ← shell/lab ← grading ← runners/client ← pages. Each top-level folder
 * of src/ may import only the folders listed for it; code two layers need lives below both. Tests are
 * exempt (a test may reach across layers to set up its world).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, test } from 'vitest';

const SRC = import.meta.dirname;

/** The layers below (or beside) each folder, that it may import. Its own folder is always allowed. */
const ALLOWED: Record<string, readonly string[]> = {
  kernel: [],
  packetdrill: ['kernel'],
  truth: ['kernel'],
  shell: ['kernel', 'lab'],
  lab: ['kernel', 'shell'],
  'node-sim': ['kernel'],
  sandbox: [],
  course: ['grading'],
  grading: ['kernel', 'shell', 'lab', 'node-sim', 'sandbox', 'course'],
  cli: ['kernel', 'shell', 'lab', 'node-sim', 'sandbox', 'grading', 'course', 'truth', 'packetdrill'],
  runners: ['kernel', 'shell', 'lab', 'node-sim', 'grading', 'course'],
  server: ['kernel', 'shell', 'lab', 'node-sim', 'sandbox', 'grading', 'course', 'runners'],
  client: ['kernel', 'shell', 'lab', 'node-sim', 'grading', 'course', 'runners', 'packetdrill'],
  components: ['kernel', 'shell', 'lab', 'node-sim', 'grading', 'course', 'runners', 'client', 'packetdrill'],
  layouts: ['kernel', 'grading', 'course', 'runners', 'client', 'components'],
  pages: ['kernel', 'shell', 'lab', 'grading', 'course', 'runners', 'client', 'components', 'layouts', 'packetdrill'],
  styles: [],
  // How the site is addressed and served (base path, isolation headers): below everything that renders or fetches.
  site: [],
  // The build's last step (publishing under a base path): Node only, beside the server.
  publish: ['site', 'server'],
};
for (const layer of ['course', 'runners', 'client', 'components', 'layouts', 'pages']) ALLOWED[layer] = [...ALLOWED[layer]!, 'site'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'fixtures' ? [] : files(p);
    return /\.(ts|astro|mjs)$/.test(name) && !/\.test\.ts$/.test(name) ? [p] : [];
  });
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|new URL\(\s*['"](\.[^'"]+)['"]/g;

function layerOf(file: string): string | null {
  const rel = relative(SRC, file);
  if (rel.startsWith('..')) return null;
  const first = rel.split(sep)[0]!;
  return first.includes('.') ? null : first;
}

describe('imports flow one way', () => {
  for (const layer of Object.keys(ALLOWED)) {
    test(`${layer}/ imports only ${ALLOWED[layer]!.join(', ') || 'itself'}`, () => {
      let dir: string;
      try {
        dir = join(SRC, layer);
        statSync(dir);
      } catch {
        return;
      }
      const wrong: string[] = [];
      for (const file of files(dir)) {
        const text = readFileSync(file, 'utf8');
        for (const m of text.matchAll(IMPORT)) {
          const spec = m[1] ?? m[2] ?? m[3];
          if (!spec || !spec.startsWith('.')) continue;
          const target = layerOf(resolve(dirname(file), spec));
          if (target && target !== layer && !ALLOWED[layer]!.includes(target)) wrong.push(`${relative(SRC, file)} → ${spec}`);
        }
      }
      expect(wrong).toEqual([]);
    });
  }

  test('every folder of src/ has a place in the layering', () => {
    const folders = readdirSync(SRC).filter((n) => statSync(join(SRC, n)).isDirectory());
    expect(folders.filter((f) => !(f in ALLOWED))).toEqual([]);
  });
});
