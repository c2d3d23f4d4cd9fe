import net from 'node:net';

const socket = net.connect(Number(process.env.PEER_PORT), '127.0.0.1', () => {
  // Send the request, then our FIN: the server reads to EOF, then answers.
  socket.end(process.env.REQUEST);
});

let answer = '';
socket.setEncoding('utf8');
socket.on('data', (chunk) => {
  answer += chunk;
});
socket.on('end', () => {
  process.stdout.write(answer);
});
socket.on('error', (err) => {
  console.error('error:', err.code);
  process.exitCode = 1;
});
