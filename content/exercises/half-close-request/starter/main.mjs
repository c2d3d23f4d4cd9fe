// Lesson 6 — half-close: the FIN as an end-of-request marker.
// The server answers only after it has read the whole request, i.e. after your FIN.
import net from 'node:net';

const socket = net.connect(Number(process.env.PEER_PORT), '127.0.0.1', () => {
  socket.write(process.env.REQUEST);
  // TODO: how does the server know the request is complete?
});

let answer = '';
socket.on('data', (chunk) => {
  answer += chunk;
});
socket.on('end', () => {
  process.stdout.write(answer);
});
