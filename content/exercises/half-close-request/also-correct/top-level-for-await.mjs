import net from 'node:net';
const s = net.connect(Number(process.env.PEER_PORT), '127.0.0.1');
s.end(process.env.REQUEST);
let answer = '';
for await (const chunk of s) answer += chunk;
process.stdout.write(answer);
