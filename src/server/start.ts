import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { build, needsBuild } from './build-if-needed.ts';
import { createSiteServer, listenLocal } from './server.ts';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const args = new Set(process.argv.slice(2));

if (!args.has('--no-build') && needsBuild(projectRoot)) build(projectRoot);

const server = createSiteServer({ root: join(projectRoot, 'dist') });
const explicit = process.env['PORT'] !== undefined && process.env['PORT'] !== '';
const port = await listenLocal(server, explicit ? Number(process.env['PORT']) : 4321, explicit);
const url = `http://127.0.0.1:${port}/`;
console.log(`TCP Teardown Lab is running at ${url}`);
console.log('Press Ctrl+C to stop.');

const stop = () => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
