#!/usr/bin/env node
// Launcher for `npx tcplab`: runs the TypeScript CLI on a Node that can strip types (>= 22.18), started with
// --disable-sigusr1 so that no signal can open an inspector in it (the CLI judges other people's code). On an
// older Node it re-executes itself with the project's pinned Node (node_modules/.bin/node).
// A JS listener keeps SIGUSR1 from opening the inspector while this launcher runs.
process.on('SIGUSR1', () => {});
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
const modern = major > 22 || (major === 22 && minor >= 18);
const guarded = process.execArgv.includes('--disable-sigusr1');
if (!modern || !guarded) {
  const pinned = fileURLToPath(new URL('../node_modules/.bin/node', import.meta.url));
  const node = modern ? process.execPath : pinned;
  if (!modern && !existsSync(pinned)) {
    console.error(`tcplab needs Node >= 22.18 (this is ${process.versions.node}); run \`npm install\` in the project first.`);
    process.exit(2);
  }
  const r = spawnSync(node, ['--disable-sigusr1', fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? (r.signal ? 128 + 9 : 1));
}
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
// Everything written reaches the pipe before the process ends (a grader's timers may still be pending).
await new Promise((r) => process.stdout.write('', r));
process.exit(code);
