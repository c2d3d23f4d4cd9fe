/**
 * Shim fidelity: the same small programs on real Node (real sockets on 127.0.0.1) and on the simulated
 * runtime print the same events. Each line is an event of one actor; the order between actors is timing,
 * the order within one actor is Node's semantics, and that is what must match.
 */
import { describe, expect, test } from 'vitest';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { runInProcess } from './run-in-process.ts';

const dir = join(import.meta.dirname, 'fixtures');
const src = (name: string) => readFileSync(join(dir, name), 'utf8');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function realNode(file: string, env: Record<string, string>): Promise<{ stdout: string; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(dir, file)], { env: { ...process.env, ...env } });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.on('close', (code) => resolve({ stdout, code }));
  });
}

const byActor = (out: string) => {
  const groups: Record<string, string[]> = {};
  for (const line of out.split('\n').filter(Boolean)) {
    const actor = line.startsWith('server') ? 'server' : line.startsWith('client') ? 'client' : 'main';
    (groups[actor] ??= []).push(line);
  }
  return groups;
};

describe('the simulated node:net behaves like Node on Linux', () => {
  for (const program of ['echo.mjs', 'half-close.mjs', 'unread-reset.mjs', 'self-connect.mjs', 'refused.mjs', 'streams.mjs', 'late-reply.mjs', 'iterate.mjs', 'pull.mjs', 'never-reads.mjs']) {
    test(`${program}: same events, same exit code`, async () => {
      const port = await freePort();
      const real = await realNode(program, { PORT: String(port) });
      const sim = await runInProcess([{ name: 'node', source: src(program), env: { PORT: String(port) } }]);
      expect(byActor(sim.runs[0]!.stdout)).toEqual(byActor(real.stdout));
      expect(sim.runs[0]!.exitCode).toBe(real.code);
    }, 20_000);
  }

  test('process exit: the peer of a program that exits sees end and close', async () => {
    const port = await freePort();
    const server = realNode('exit-server.mjs', { PORT: String(port) });
    await new Promise((r) => setTimeout(r, 300));
    await realNode('exit-client.mjs', { PORT: String(port) });
    const real = await server;
    const sim = await runInProcess([
      { name: 'server', source: src('exit-server.mjs'), env: { PORT: String(port) } },
      { name: 'client', source: src('exit-client.mjs'), env: { PORT: String(port) }, startAfterUs: 10_000 },
    ]);
    expect(sim.runs[0]!.stdout).toBe(real.stdout);
    expect(real.stdout).toBe('connection\ndata bye\nend (the peer process exited)\nclose false\n');
  }, 20_000);

  test('an error with no listener crashes the program like Node (exit code 1, the error printed)', async () => {
    const port = await freePort();
    const sim = await runInProcess([{ name: 'node', source: src('no-error-handler.mjs'), env: { PORT: String(port) } }]);
    expect(sim.runs[0]!.exitCode).toBe(1);
    expect(sim.runs[0]!.stderr).toContain(`Error: connect ECONNREFUSED 127.0.0.1:${port}`);
    expect(sim.runs[0]!.stderr).toContain("Unhandled 'error' event");
  });

  test('a module the simulated runtime does not have fails with a clear message', async () => {
    const sim = await runInProcess([{ name: 'node', source: "import fs from 'node:fs';\nconsole.log(fs);" }]);
    expect(sim.runs[0]!.exitCode).toBe(1);
    expect(sim.runs[0]!.stderr).toMatch(/The module "fs" is not available in the simulated runtime/);
  });

  test('process.exit() ends the program where it is called', async () => {
    const sim = await runInProcess([{ name: 'node', source: "console.log('a');\nprocess.exit(3);\nconsole.log('b');" }]);
    expect(sim.runs[0]!).toMatchObject({ stdout: 'a\n', exitCode: 3 });
  });
});
