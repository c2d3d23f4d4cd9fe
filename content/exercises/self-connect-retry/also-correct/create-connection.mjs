import net from 'node:net';
const port = Number(process.env.PEER_PORT);
let first = true;
function go() {
  const opts = { port, host: '127.0.0.1' };
  if (first) { opts.localPort = Number(process.env.LOCAL_PORT); first = false; }
  const s = net.createConnection(opts);
  s.once('connect', () => {
    if (s.localPort === s.remotePort && s.localAddress === s.remoteAddress) { s.destroy(); return setTimeout(go, 20); }
    console.log('connected'); s.destroy();
  });
  s.once('error', () => setTimeout(go, 100));
}
go();
