import { createServer } from 'net';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
createServer({ allowHalfOpen: true }, async (s) => {
  const chunks = [];
  s.on('data', (c) => chunks.push(c));
  await once(s, 'end');
  await sleep(100);
  s.write(`got ${Buffer.concat(chunks).length} bytes\n`);
  s.end();
}).listen(Number(process.env.PORT), '127.0.0.1');
