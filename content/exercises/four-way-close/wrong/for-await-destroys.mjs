import net from 'node:net';
const server = net.createServer({ allowHalfOpen: true });
server.on('connection', async (socket) => {
  let n = 0;
  for await (const chunk of socket) n += chunk.length;
  socket.end(`got ${n} bytes\n`);
});
server.listen({ port: Number(process.env.PORT) });
