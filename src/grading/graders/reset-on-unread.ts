import type { ExerciseGrader, SocketLike } from '../exercise-types.ts';
import { clientEnv, exercisePort, lines } from './helpers.ts';

/** Lesson 5: the client writes, the server never reads and closes; the client prints `reset` on ECONNRESET and exits 0. */
export const resetOnUnread: ExerciseGrader = {
  id: 'reset-on-unread',
  role: 'client',
  needs: ['reset'],
  env: clientEnv,
  async run(ctx) {
    const port = exercisePort(ctx);
    let conn: SocketLike | null = null;
    // The server never reads: it does not even start reading (pauseOnConnect), so the bytes stay in its
    // kernel, and its close() turns into a RST.
    const server = ctx.net.createServer({ pauseOnConnect: true }, (s) => {
      conn = s;
    });
    server.on('error', () => undefined);
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
    const program = ctx.startProgram();
    await program.ready;
    const connected = await ctx.waitFor(() => conn !== null, 3000);
    ctx.check({ name: 'the client connects to 127.0.0.1:PEER_PORT', pass: connected, expected: `a connection to 127.0.0.1:${port}`, happened: connected ? 'connected' : 'no connection within 3 s', ...(connected ? {} : { hint: 'connect to Number(process.env.PEER_PORT) on host 127.0.0.1' }) });
    if (!connected) return void server.close();
    await ctx.sleep(300);
    (conn as unknown as SocketLike).destroy();
    server.close();
    const exited = await ctx.waitFor(() => program.exitCode() !== null, 3000);
    const out = lines(program.stdout());
    const err = program.stderr();
    const crashed = program.exitCode() !== null && program.exitCode() !== 0;
    ctx.check({
      name: 'when the server resets the connection, the client prints "reset"',
      pass: out.includes('reset'),
      expected: 'a line "reset"',
      happened: out.length ? `printed ${JSON.stringify(out.slice(-3))}` : crashed ? 'the program crashed before printing anything' : 'nothing printed',
      ...(out.includes('reset')
        ? {}
        : { hint: /ECONNRESET/.test(err) ? "your program got ECONNRESET without an 'error' listener, so Node crashed: add socket.on('error', (e) => { if (e.code === 'ECONNRESET') … })" : "write some bytes the server will never read: its close() then sends a RST and your socket emits 'error' with code ECONNRESET" }),
    });
    ctx.check({
      name: 'the client exits with status 0 (it handles the error instead of crashing)',
      pass: exited && program.exitCode() === 0,
      expected: 'exit status 0',
      happened: exited ? `exit status ${program.exitCode()}` : 'still running 3 s after the reset',
      ...(exited && program.exitCode() === 0 ? {} : { hint: exited ? "an 'error' event with no listener crashes Node with status 1: listen for 'error'" : "after the reset, let the program end (the socket closes after 'error'; clear your timers) or call process.exit(0)" }),
    });
    program.kill();
  },
};
