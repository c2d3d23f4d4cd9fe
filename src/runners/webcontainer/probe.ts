/**
 * The capability probe the webcontainer backend runs at boot: WebContainer emulates Node's sockets
 * without a real TCP stack, so instead of assuming Linux behaviour we measure it and report JSON.
 */
export const PROBE_SOURCE = String.raw`import net from 'node:net';
const results = {};
const timeout = (ms) => new Promise((r) => setTimeout(() => r('timeout'), ms));
const withServer = (opts, onConn) => new Promise((resolve) => {
  const server = net.createServer(opts, onConn);
  server.on('error', () => resolve(null));
  server.listen(0, '127.0.0.1', () => resolve(server));
});
async function halfClose() {
  const server = await withServer({ allowHalfOpen: true }, (s) => { s.resume(); s.on('end', () => s.end('after-fin')); });
  if (!server) return false;
  const port = server.address().port;
  const got = await Promise.race([timeout(2000), new Promise((resolve) => {
    const c = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true }, () => c.end('req'));
    let d = ''; c.on('data', (x) => (d += x)); c.on('end', () => resolve(d)); c.on('error', () => resolve('error'));
  })]);
  server.close();
  return got === 'after-fin';
}
async function reset() {
  const server = await withServer({}, (s) => setTimeout(() => s.resetAndDestroy ? s.resetAndDestroy() : s.destroy(), 50));
  if (!server) return false;
  const port = server.address().port;
  const got = await Promise.race([timeout(2000), new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1');
    c.on('error', (e) => resolve(e.code)); c.on('close', () => resolve('close'));
  })]);
  server.close();
  return got === 'ECONNRESET';
}
async function localPort() {
  const server = await withServer({}, (s) => s.end());
  if (!server) return false;
  const port = server.address().port;
  // A port someone else holds makes one attempt fail: try a few.
  for (let attempt = 0; attempt < 4; attempt++) {
    const want = 20000 + Math.floor(Math.random() * 10000);
    const got = await Promise.race([timeout(2000), new Promise((resolve) => {
      const c = net.connect({ port, host: '127.0.0.1', localPort: want }, () => { resolve(c.localPort); c.destroy(); });
      c.on('error', () => resolve(null));
    })]);
    if (got === want) { server.close(); return true; }
  }
  server.close();
  return false;
}
async function selfConnect() {
  const port = 40000 + Math.floor(Math.random() * 5000);
  const got = await Promise.race([timeout(2000), new Promise((resolve) => {
    const c = net.connect({ port, host: '127.0.0.1', localPort: port }, () => { resolve(c.localPort === c.remotePort); c.destroy(); });
    c.on('error', () => resolve(false));
  })]);
  return got === true;
}
for (const [name, fn] of Object.entries({ halfClose, reset, localPort, selfConnect })) {
  try { results[name] = await fn(); } catch { results[name] = false; }
}
console.log('TCPLAB_PROBE ' + JSON.stringify(results));
process.exit(0);
`;

export interface ProbeResult {
  halfClose: boolean;
  reset: boolean;
  localPort: boolean;
  selfConnect: boolean;
}

/** Reads the probe's output; anything missing or unreadable counts as not supported. */
export function parseProbe(output: string): ProbeResult {
  const none: ProbeResult = { halfClose: false, reset: false, localPort: false, selfConnect: false };
  const line = output.split(/\r?\n/).find((l) => l.includes('TCPLAB_PROBE '));
  if (!line) return none;
  try {
    const json = JSON.parse(line.slice(line.indexOf('TCPLAB_PROBE ') + 13)) as Record<string, unknown>;
    return { halfClose: json['halfClose'] === true, reset: json['reset'] === true, localPort: json['localPort'] === true, selfConnect: json['selfConnect'] === true };
  } catch {
    return none;
  }
}
