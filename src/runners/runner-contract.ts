/**
 * The Runner contract as tests: every backend that can run here (sim in-process, local against a real
 * server) runs the same cases. Imported by each backend's *.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { Runner, TerminalPort } from './types.ts';

const exercises = join(import.meta.dirname, '../../content/exercises');

export function recordingTerminal(): TerminalPort & { text: () => string } {
  let text = '';
  return { write: (t) => void (text += t), onInput: () => () => undefined, cols: 80, rows: 24, text: () => text };
}

export function runnerContract(make: () => Runner | Promise<Runner>): void {
  it('prepares files and runs a program to completion, streaming its output', async () => {
    const r = await make();
    await r.prepare({ 'main.mjs': "console.log('hello from', typeof process.version);\nconsole.error('to stderr');\n" });
    const term = recordingTerminal();
    const res = await r.run('main.mjs', { terminal: term });
    expect(res.exitCode).toBe(0);
    expect(res.output).toContain('hello from string');
    expect(res.output).toContain('to stderr');
    expect(term.text()).toContain('hello from string');
    await r.stop();
  });

  it("reports the program's exit status and an uncaught exception's", async () => {
    const r = await make();
    await r.prepare({ 'three.mjs': 'process.exit(3);\n', 'throws.mjs': "setTimeout(() => { throw new Error('boom'); }, 5);\n" });
    expect((await r.run('three.mjs')).exitCode).toBe(3);
    const thrown = await r.run('throws.mjs');
    expect(thrown.exitCode).toBe(1);
    expect(thrown.output).toContain('boom');
    await r.stop();
  });

  it('a program that does not parse fails with a SyntaxError, and the runner keeps working', async () => {
    const r = await make();
    await r.prepare({ 'bad.mjs': "import net from 'node:net';\nnet.createServer((s) => { s.end( }).listen(1);\n", 'ok.mjs': "console.log('fine');\n" });
    const bad = await r.run('bad.mjs');
    expect(bad.exitCode).toBe(1);
    expect(bad.output).toContain('SyntaxError');
    expect((await r.run('ok.mjs')).output).toContain('fine');
    await r.stop();
  });

  it('passes the environment (PORT …) to the program', async () => {
    const r = await make();
    await r.prepare({ 'env.mjs': 'console.log(`port=${process.env.PORT}`);\n' });
    expect((await r.run('env.mjs', { env: { PORT: '4567' } })).output).toContain('port=4567');
    await r.stop();
  });

  it('stops a program that never exits, with a message', async () => {
    const r = await make();
    await r.prepare({ 'forever.mjs': "setInterval(() => {}, 50);\nconsole.log('started');\n" });
    const term = recordingTerminal();
    // Long enough for a real Node to start on a loaded machine (the limit counts from the spawn).
    const res = await r.run('forever.mjs', { timeoutMs: 2500, terminal: term });
    expect(res.exitCode).toBeNull();
    expect(res.stopped).toBe('time');
    expect(res.output).toContain('started');
    expect(term.text()).toMatch(/stopped/);
    await r.stop();
  });

  it('stops a program that floods its output', async () => {
    const r = await make();
    await r.prepare({ 'flood.mjs': "const line = 'x'.repeat(4096);\nsetInterval(() => { for (let i = 0; i < 64; i++) console.log(line); }, 1);\n" });
    const res = await r.run('flood.mjs', { timeoutMs: 20_000 });
    expect(res.stopped).toBe('output');
    expect(res.output.length).toBeLessThan(2 << 20);
    await r.stop();
  });

  it('grades an exercise: the reference solution passes, the starter fails with reasons', async () => {
    const r = await make();
    const id = 'half-close-request';
    await r.prepare({
      'solution.mjs': readFileSync(join(exercises, id, 'solution/main.mjs'), 'utf8'),
      'starter.mjs': readFileSync(join(exercises, id, 'starter/main.mjs'), 'utf8'),
    });
    expect((await r.grade(id, 'solution.mjs')).status).toBe('pass');
    const failed = await r.grade(id, 'starter.mjs');
    expect(failed.status).toBe('fail');
    expect(failed.checks.find((c) => !c.pass)?.hint).toContain('socket.end()');
    await r.stop();
  }, 20_000);

  it('describes its capabilities as data', async () => {
    const r = await make();
    const caps = r.capabilities();
    for (const key of ['halfClose', 'reset', 'localPort', 'selfConnect', 'realKernelStates', 'shell', 'processKill', 'trace']) expect(typeof caps[key as keyof typeof caps]).toBe('boolean');
    await r.stop();
  });
}
