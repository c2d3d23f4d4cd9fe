/**
 * Bundles `tcplab grade` (and its grading host) into one ESM file that runs on any Node >= 20 with nothing
 * installed: the webcontainer runner mounts it in the container, and GitHub Classroom assignments carry it.
 * Quiz answers and lab sessions are graded by `regrade` from the sources, never by this bundle.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

export async function bundleGrader(outfile: string): Promise<void> {
  await build({
    entryPoints: [fileURLToPath(new URL('./grade-standalone.ts', import.meta.url))],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    external: ['./grade-evidence.ts', './course-catalogue.ts'],
    legalComments: 'none',
    logLevel: 'warning',
  });
}
