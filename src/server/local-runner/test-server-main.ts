/**
 * A site server with the local runner, as a process of its own, for tests that must kill the server itself
 * (SIGTERM, SIGKILL). Prints one JSON line — its port, the runner's secret and the owner's cookie — and
 * serves until it is stopped, cleaning up as `npm start` does.
 */
import { startTestServer } from './test-support.ts';

const server = await startTestServer();
process.stdout.write(`${JSON.stringify({ port: server.port, token: server.local.token, cookie: server.cookie, origin: server.origin })}\n`);
const stop = () => void server.close().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('exit', () => void server.local.stopAll({ now: true }));
