import type { ExerciseGrader, ServerLike } from '../exercise-types.ts';
import { clientEnv, exercisePort, lines } from './helpers.ts';

/** Lesson 10: first attempt from LOCAL_PORT = PEER_PORT self-connects; detect it, retry from a kernel-picked port until the real server (started later) answers. */
export const selfConnectRetry: ExerciseGrader = {
  id: 'self-connect-retry',
  role: 'client',
  needs: ['selfConnect', 'localPort'],
  env: (port) => ({ ...clientEnv(port), LOCAL_PORT: String(port) }),
  async run(ctx) {
    const port = exercisePort(ctx);
    const program = ctx.startProgram();
    await program.ready;
    await ctx.sleep(400);
    const early = lines(program.stdout()).includes('connected');
    let accepted = 0;
    let listenError: string | null = null;
    const server: ServerLike = ctx.net.createServer({}, (s) => {
      accepted++;
      s.on('error', () => undefined);
      s.end('hello from the real server\n');
    });
    server.on('error', (e: { code?: string }) => (listenError = e.code ?? 'error'));
    await new Promise<void>((r) => {
      server.listen(port, '127.0.0.1', () => r());
      void ctx.sleep(200).then(() => r());
    });
    const exited = await ctx.waitFor(() => program.exitCode() !== null, 4000);
    const printed = lines(program.stdout()).includes('connected');
    ctx.check({
      name: 'the first connection (from LOCAL_PORT to PEER_PORT, nothing listening) is a self-connection, and is not trusted',
      pass: !early,
      expected: 'no "connected" before the real server exists',
      happened: early ? 'printed "connected" while nothing listened: it talked to itself' : 'waited',
      ...(early ? { hint: 'compare socket.localAddress/localPort with remoteAddress/remotePort after connecting: if equal it is a self-connection; destroy it and connect again without localPort' } : {}),
    });
    ctx.check({
      name: 'the client reaches the real server once it listens',
      pass: accepted > 0,
      expected: `a connection accepted by the server on ${port}`,
      happened: listenError === 'EADDRINUSE' ? `the server could not listen: port ${port} is still held by the self-connection` : accepted > 0 ? 'connected' : 'no connection within 4 s',
      ...(accepted > 0 ? {} : { hint: listenError === 'EADDRINUSE' ? 'destroy the self-connected socket, then retry without localPort' : 'retry (after ECONNREFUSED too, with a short delay) without localPort, letting the kernel pick the port' }),
    });
    ctx.check({
      name: 'then it prints "connected" and exits with status 0',
      pass: printed && exited && program.exitCode() === 0,
      expected: '"connected", exit status 0',
      happened: `${printed ? 'printed "connected"' : 'no "connected"'}, ${exited ? `exit status ${program.exitCode()}` : 'still running'}`,
    });
    program.kill();
    server.close();
  },
};
