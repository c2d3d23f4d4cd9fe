import type { ExerciseGrader } from '../exercise-types.ts';
import { show } from '../exercise-types.ts';
import { exchange, exercisePort, payload, serverEnv } from './helpers.ts';

/** Lesson 2: after the client's FIN the server still answers `got N bytes\n`, then ends. */
export const fourWayClose: ExerciseGrader = {
  id: 'four-way-close',
  role: 'server',
  needs: ['halfClose'],
  env: serverEnv,
  async run(ctx) {
    const port = exercisePort(ctx);
    await ctx.startProgram().ready;
    const sizes = [1234, 7, 0];
    // Two connections at once, then one more: each must be counted on its own.
    const first = await Promise.all([exchange(ctx, port, payload(sizes[0]!, 1), { halfClose: true, ms: 3000 }), exchange(ctx, port, payload(sizes[1]!, 2), { halfClose: true, ms: 3000 })]);
    const third = await exchange(ctx, port, payload(sizes[2]!, 3), { halfClose: true, ms: 3000 });
    const results = [...first, third];
    results.forEach((r, i) => {
      const n = sizes[i]!;
      const want = `got ${n} bytes\n`;
      const name = `connection ${i + 1} (${n} bytes, then the client's FIN): the server answers ${show(want)}`;
      if (!r.connected) {
        ctx.check({ name, pass: false, expected: `a server listening on 127.0.0.1:${port}`, happened: r.error === 'ECONNREFUSED' ? 'connection refused' : (r.error ?? 'no connection'), hint: 'listen on process.env.PORT, host 127.0.0.1' });
        return;
      }
      let hint: string | undefined;
      if (r.data === want) hint = undefined;
      else if (r.data === '' && r.gotEnd) hint = "the server closed its side before answering. Either Node's default allowHalfOpen: false ended it right after the client's FIN (create the server with net.createServer({ allowHalfOpen: true }, …) and answer in the 'end' handler), or the socket was destroyed (a `for await` loop over a socket destroys it when the loop ends)";
      else if (r.data === '' && r.error) hint = `the connection failed with ${r.error} before any answer`;
      else if (/^got \d+ bytes\n$/.test(r.data)) hint = 'count the bytes of each connection separately (a counter per socket, reset for every connection), and count bytes, not chunks';
      else if (r.data === '') hint = "write the answer in the socket's 'end' handler: 'end' is how the server learns the client sent its FIN";
      ctx.check({ name, pass: r.data === want, expected: show(want), happened: show(r.data), ...(hint ? { hint } : {}) });
      ctx.check({
        name: `connection ${i + 1}: the server ends the connection after answering`,
        pass: r.gotEnd,
        expected: "the server's FIN after the answer",
        happened: r.gotEnd ? 'FIN received' : r.error ? `error ${r.error}` : 'no FIN within 3 s',
        ...(r.gotEnd ? {} : { hint: 'call socket.end() after writing the answer' }),
      });
    });
  },
};
