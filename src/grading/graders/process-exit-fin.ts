import type { ExerciseGrader } from '../exercise-types.ts';
import { lines, serverEnv } from './helpers.ts';

/** A client the grader starts and then kills: connects (retrying while refused) and stays. */
export const IDLE_CLIENT = `import net from 'node:net';
const port = Number(process.env.PORT);
function attempt() {
  const s = net.connect(port, '127.0.0.1', () => console.log('connected'));
  s.on('error', () => setTimeout(attempt, 50));
}
attempt();
setInterval(() => {}, 1000);
`;

/** Lesson 3: the server prints `clients: N` whenever the count changes; a killed client's FIN lowers it. */
export const processExitFin: ExerciseGrader = {
  id: 'process-exit-fin',
  role: 'server',
  needs: ['processKill'],
  env: serverEnv,
  async run(ctx) {
    const program = ctx.startProgram();
    await program.ready;
    const counts = () => lines(program.stdout()).flatMap((l) => (/^clients: (\d+)$/.test(l) ? [Number(l.slice(9))] : []));
    const last = () => counts().at(-1);
    const a = ctx.spawn(IDLE_CLIENT, { PORT: ctx.env['PORT']! });
    await a.ready;
    const aConnected = await ctx.waitFor(() => a.stdout().includes('connected'), 4000);
    if (!aConnected) {
      ctx.check({ name: 'a client can connect', pass: false, expected: `a server on 127.0.0.1:${ctx.env['PORT']}`, happened: 'no connection within 4 s', hint: 'listen on process.env.PORT' });
      a.kill();
      return;
    }
    const steps: Array<{ name: string; act: () => void | Promise<void>; want: number; hint: string }> = [];
    let b: ReturnType<typeof ctx.spawn> | null = null;
    steps.push({ name: 'one client connects: the server prints "clients: 1"', act: () => {}, want: 1, hint: "print the count in the server's 'connection' handler, on its own line: console.log(`clients: ${n}`)" });
    steps.push({
      name: 'a second client connects: "clients: 2"',
      act: async () => {
        b = ctx.spawn(IDLE_CLIENT, { PORT: ctx.env['PORT']! });
        await b.ready;
        await ctx.waitFor(() => b!.stdout().includes('connected'), 3000);
      },
      want: 2,
      hint: 'count every open connection',
    });
    steps.push({
      name: 'the first client is killed (kill -9): its kernel sends a FIN and the server prints "clients: 1"',
      act: () => a.kill(),
      want: 1,
      hint: "a killed process's kernel closes its sockets with a FIN: your socket gets 'end' and then 'close' (no 'error'). Decrement in the 'close' handler",
    });
    steps.push({ name: 'the second client is killed: "clients: 0"', act: () => b?.kill(), want: 0, hint: "decrement once per connection, in 'close'" });
    for (const step of steps) {
      await step.act();
      const ok = await ctx.waitFor(() => last() === step.want, 1500);
      ctx.check({ name: step.name, pass: ok, expected: `clients: ${step.want}`, happened: last() === undefined ? 'no "clients: N" line printed' : `last line printed: clients: ${last()}`, ...(ok ? {} : { hint: step.hint }) });
      if (!ok) break;
    }
    a.kill();
    (b as { kill(): void } | null)?.kill();
  },
};
