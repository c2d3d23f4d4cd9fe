/**
 * `npm run bench:lab-prompt`: how soon each lesson's kernel lab shows its prompt after navigation, in Debian's
 * Chromium against the built site (e2e/lab-prompt.bench.ts, one worker so the figures are not shared with
 * another browser). Prints each lesson's cold and warm figures and the medians as ratios of the 400 ms goal.
 * Needs a build (`npm run build`, which `npm start` also makes).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(`${root}dist/index.html`)) {
  console.error('No build in dist/: run `npm run build` first.');
  process.exit(1);
}
const r = spawnSync(`${root}node_modules/.bin/playwright`, ['test', '--workers=1', '--project=desktop'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, TCPLAB_BENCH: '1' },
});
process.exit(r.status ?? 1);
