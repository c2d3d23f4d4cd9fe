import type { ExerciseGrader } from '../exercise-types.ts';
import { show } from '../exercise-types.ts';
import { exchange, exercisePort, payload, serverEnv } from './helpers.ts';

/** Lesson 4: echo every byte and end every connection the client ended, within 1 s (no CLOSE_WAIT left). */
export const closeWaitLeak: ExerciseGrader = {
  id: 'close-wait-leak',
  role: 'server',
  needs: ['halfClose'],
  env: serverEnv,
  async run(ctx) {
    const port = exercisePort(ctx);
    // Time the program from when its own code starts, not from when it was launched.
    await ctx.startProgram().ready;
    const sent = [`hello ${ctx.env['TOKEN'] ?? ''}\n${payload(3000, 4)}`, 'short', payload(40000, 5)];
    const results = await Promise.all(sent.map((p) => exchange(ctx, port, p, { halfClose: true, ms: 1000 })));
    results.forEach((r, i) => {
      const want = sent[i]!;
      ctx.check({
        name: `connection ${i + 1}: every byte is echoed back (${want.length} bytes)`,
        pass: r.data === want,
        expected: `${want.length} bytes, the same as sent`,
        happened: r.connected ? `${r.data.length} bytes${r.data === want ? '' : `: ${show(r.data.slice(0, 40))}`}` : (r.error ?? 'no connection'),
        ...(r.data === want ? {} : { hint: "write back every chunk you receive in 'data', and end only after the client's 'end'" }),
      });
      ctx.check({
        name: `connection ${i + 1}: after the client's FIN the server ends the connection within 1 s (no CLOSE_WAIT left)`,
        pass: r.gotEnd,
        expected: "the server's FIN within 1 s of the client's",
        happened: r.gotEnd ? 'FIN received' : r.error ? `error ${r.error}` : 'no FIN: the server socket stays in CLOSE_WAIT',
        ...(r.gotEnd ? {} : { hint: "with allowHalfOpen: true Node leaves ending to you: call socket.end() in the 'end' handler (no kernel timer ends CLOSE_WAIT: your program has to close)" }),
      });
    });
  },
};
