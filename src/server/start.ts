import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { build, needsBuild } from './build-if-needed.ts';
import { createLocalRunner } from './local-runner/index.ts';
import { createSiteServer, listenLocal } from './server.ts';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const args = new Set(process.argv.slice(2));

if (!args.has('--no-build') && needsBuild(projectRoot)) build(projectRoot);

// The local runner: real Node and a shell on this machine, only for the pages this server serves.
const local = createLocalRunner();
const server = createSiteServer({ root: join(projectRoot, 'dist'), routes: [local.route], transformHtml: local.transformHtml });
server.on('upgrade', (req, socket, head) => {
  if (!local.handleUpgrade(req, socket, head)) socket.destroy();
});
const explicit = process.env['PORT'] !== undefined && process.env['PORT'] !== '';
const port = await listenLocal(server, explicit ? Number(process.env['PORT']) : 4321, explicit);
local.setPort(port);
const url = `http://127.0.0.1:${port}/`;
console.log(`TCP Teardown Lab is running at ${url}`);
console.log('Press Ctrl+C to stop.');

// Nothing the local runner started outlives the server.
process.on('exit', () => void local.stopAll({ now: true }));
const stop = () => {
  server.close();
  server.closeAllConnections();
  void local.stopAll().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 3000).unref();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
process.on('SIGHUP', stop);
