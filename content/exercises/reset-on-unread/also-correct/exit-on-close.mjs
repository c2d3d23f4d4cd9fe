import net from 'node:net';
const s = net.connect({ port: Number(process.env.PEER_PORT), host: '127.0.0.1' });
s.on('connect', () => s.write('x'.repeat(10)));
s.on('error', (e) => console.log(e.code === 'ECONNRESET' ? 'reset' : e.code));
s.on('close', (hadError) => process.exit(0));
