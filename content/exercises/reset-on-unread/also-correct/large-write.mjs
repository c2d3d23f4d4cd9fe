import net from 'node:net';
const s = net.createConnection({ host: '127.0.0.1', port: Number(process.env.PEER_PORT) });
s.on('connect', () => s.write(Buffer.alloc(100000, 120)));
s.on('error', (e) => { if (e.code === 'ECONNRESET' || e.code === 'EPIPE') console.log('reset'); else throw e; });
