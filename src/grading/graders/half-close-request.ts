import { clientEnv, exercisePort } from './helpers.ts';
import type { ExerciseGrader } from '../exercise-types.ts';
import { show } from '../exercise-types.ts';

function answerFor(token: string): string[] {
  return [`200 OK ${token}\n`, 'the answer comes in pieces,\n', 'and only after your FIN.\n', `end of answer ${token.split('').reverse().join('')}\n`];
}

/** Lesson 6: the client writes REQUEST, half-closes, reads the whole answer until 'end', prints it exactly, exits 0. */
export const halfCloseRequest: ExerciseGrader = {
  id: 'half-close-request',
  role: 'client',
  needs: ['halfClose'],
  env: (port, token) => ({ ...clientEnv(port), REQUEST: `GET /teardown/${token}\n` }),
  async run(ctx) {
    const port = exercisePort(ctx);
    const request = ctx.env['REQUEST']!;
    const token = request.split('/').pop()!.trim();
    const answer = answerFor(token);
    let received: string | null = null;
    let connections = 0;
    // The server answers only once it has read the end of the request (the client's FIN).
    const server = ctx.net.createServer({ allowHalfOpen: true }, (s) => {
      connections++;
      let req = '';
      s.on('data', (d: Uint8Array | string) => (req += typeof d === 'string' ? d : new TextDecoder().decode(d)));
      s.on('error', () => undefined);
      s.on('end', async () => {
        received = req;
        for (const part of answer) {
          s.write(part);
          await ctx.sleep(30);
        }
        s.end();
      });
    });
    server.on('error', () => undefined);
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
    const program = ctx.startProgram();
    await program.ready;
    const exited = await ctx.waitFor(() => program.exitCode() !== null, 4000);
    const got = received as string | null;
    ctx.check({
      name: 'the server receives exactly REQUEST, ended by your FIN (socket.end())',
      pass: got === request,
      expected: show(request),
      happened: got === null ? (connections ? 'the request never ended: no FIN from the client within 4 s' : 'no connection') : show(got),
      ...(got === request ? {} : { hint: got === null ? 'after writing the request, call socket.end(): it sends your FIN, and the server answers only then' : 'write process.env.REQUEST exactly, once' }),
    });
    const whole = answer.join('');
    const out = program.stdout();
    const okOut = out === whole || out === `${whole}\n`;
    ctx.check({
      name: "the client prints the whole answer, exactly, after the server's 'end'",
      pass: okOut,
      expected: show(whole),
      happened: show(out),
      ...(okOut ? {} : { hint: out.length > 0 && whole.startsWith(out.replace(/\n$/, '')) ? "the answer comes in several 'data' events: collect them all and print in the 'end' handler" : 'print what you received, nothing else (process.stdout.write(answer))' }),
    });
    ctx.check({
      name: 'the client exits with status 0',
      pass: exited && program.exitCode() === 0,
      expected: 'exit status 0',
      happened: exited ? `exit status ${program.exitCode()}` : 'still running after 4 s',
      ...(exited && program.exitCode() === 0 ? {} : { hint: "once 'end' arrived and you printed, let the socket close (or call process.exit(0))" }),
    });
    program.kill();
    server.close();
  },
};
