import net from 'node:net';

let clients = 0;
net
  .createServer(() => {
    clients++;
    console.log(`clients: ${clients}`);
  })
  .listen(Number(process.env.PORT), '127.0.0.1');
