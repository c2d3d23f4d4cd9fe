import net from 'node:net';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
const port = Number(process.env.PEER_PORT);
let localPort = Number(process.env.LOCAL_PORT);
for (;;) {
  const s = net.connect({ port, host: '127.0.0.1', ...(localPort ? { localPort } : {}) });
  localPort = 0;
  try {
    await once(s, 'connect');
  } catch {
    await sleep(50);
    continue;
  }
  if (s.localPort === s.remotePort && s.localAddress === s.remoteAddress) {
    s.destroy();
    continue;
  }
  console.log('connected');
  s.end();
  break;
}
