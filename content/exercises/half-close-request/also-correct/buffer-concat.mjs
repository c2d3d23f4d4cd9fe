import net from 'node:net';
const chunks = [];
const s = net.connect({ port: Number(process.env.PEER_PORT), host: '127.0.0.1' });
s.write(process.env.REQUEST);
s.end();
s.on('data', (c) => chunks.push(c));
s.on('end', () => { process.stdout.write(Buffer.concat(chunks)); process.exit(0); });
