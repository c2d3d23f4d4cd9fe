/**
 * Bundles `tcplab grade` into one ESM file, public/runtime/tcplab-grade.mjs, that the webcontainer runner
 * mounts and runs on the container's own Node (the same graders as the CLI and the sim runner).
 * Astro runs it at the start of every build and dev server (astro.config.mjs); `node scripts/bundle-grader.ts`
 * runs it by hand.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

export async function bundleGrader(): Promise<void> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  await build({
    entryPoints: [`${root}src/cli/grade-standalone.ts`],
    outfile: `${root}public/runtime/tcplab-grade.mjs`,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node18',
    minify: true,
    // Quiz answers and lab sessions are graded by `regrade`, from the sources: never in this bundle.
    external: ['./grade-evidence.ts', './course-catalogue.ts'],
    legalComments: 'none',
    logLevel: 'warning',
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await bundleGrader();
