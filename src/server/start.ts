/**
 * `npm start [-- --no-build] [-- --no-local-runner]`: builds the site if needed and serves it on 127.0.0.1,
 * with the local runner (real Node and a shell on this machine) for whoever opens the link it prints.
 * TCPLAB_TOKEN sets the login token (scripts and tests); PORT the port.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { build, needsBuild, unservableReason } from './build-if-needed.ts';
import { createLocalRunner, type LocalRunnerManager } from './local-runner/index.ts';
import { createSiteServer, listenLocal } from './server.ts';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const args = new Set(process.argv.slice(2));

if (!args.has('--no-build') && needsBuild(projectRoot)) build(projectRoot);
// Built or not, never serve a site made for another base path or for publishing (SITE_BASE, SITE_URL).
const unservable = unservableReason(projectRoot);
if (unservable) {
  console.error(`${unservable}: run \`npm start\` without --no-build, or \`npm run build\` without SITE_BASE and SITE_URL.`);
  process.exit(1);
}

// The local runner: real Node and a shell on this machine, only for the person who started the server.
const local: LocalRunnerManager | null = args.has('--no-local-runner') ? null : createLocalRunner({ ...(process.env['TCPLAB_TOKEN'] ? { loginToken: process.env['TCPLAB_TOKEN'] } : {}) });
const server = createSiteServer({ root: join(projectRoot, 'dist'), routes: local ? [local.route] : [], ...(local ? { transformHtml: local.transformHtml } : {}) });
server.on('upgrade', (req, socket, head) => {
  if (!local?.handleUpgrade(req, socket, head)) socket.destroy();
});
const explicit = process.env['PORT'] !== undefined && process.env['PORT'] !== '';
const port = await listenLocal(server, explicit ? Number(process.env['PORT']) : 4321, explicit);
local?.setPort(port);
if (local) {
  console.log(`TCP Teardown Lab is running at ${local.login.link()}`);
  console.log('Open that link: it lets your browser (and only it) run code on this computer. Without its token the course works on the simulated kernel.');
} else console.log(`TCP Teardown Lab is running at http://127.0.0.1:${port}/ (no local runner)`);
console.log('Press Ctrl+C to stop.');

// Nothing the local runner started outlives the server.
process.on('exit', () => void local?.stopAll({ now: true }));
const stop = () => {
  server.close();
  server.closeAllConnections();
  void (local ? local.stopAll() : Promise.resolve()).finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 3000).unref();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
process.on('SIGHUP', stop);
