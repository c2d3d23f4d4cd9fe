import net from 'node:net';

const socket = net.connect(Number(process.env.PEER_PORT), '127.0.0.1', () => socket.write(process.env.REQUEST));
let answer = '';
socket.on('data', (chunk) => (answer += chunk));
socket.on('end', () => process.stdout.write(answer));
