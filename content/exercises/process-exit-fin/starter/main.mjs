// Lesson 3 — who sends the FIN when a process dies?
// Print `clients: N` whenever the number of open connections changes.
import net from 'node:net';

let clients = 0;

const server = net.createServer((socket) => {
  clients++;
  console.log(`clients: ${clients}`);
  // TODO: a killed client never calls end(). How does this server learn it is gone?
});

server.listen(Number(process.env.PORT), '127.0.0.1');
