/**
 * Writes public/runtime/tcplab-grade.mjs, the one-file `tcplab grade` that the webcontainer runner mounts and
 * runs on the container's own Node (src/cli/grader-bundle.ts). Astro runs it at the start of every build and
 * dev server (astro.config.mjs); `node scripts/bundle-grader.ts` runs it by hand.
 */
import { fileURLToPath } from 'node:url';
import { bundleGrader as bundleTo } from '../src/cli/grader-bundle.ts';

export async function bundleGrader(): Promise<void> {
  await bundleTo(fileURLToPath(new URL('../public/runtime/tcplab-grade.mjs', import.meta.url)));
}

if (import.meta.url === `file://${process.argv[1]}`) await bundleGrader();
