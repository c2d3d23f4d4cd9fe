/**
 * The Runner contract on the `local` backend: a LocalRunner (Node's global WebSocket, as in a browser)
 * against a real site server with the local runner on port 0.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { noneRunning, poll, startTestServer, type TestServer } from '../../server/local-runner/test-support.ts';
import type { TerminalPort } from '../types.ts';
import { LocalRunner, NO_LOCAL_SERVER } from './local-runner.ts';
import { runnerContract } from '../runner-contract.ts';

let server: TestServer;
const runners: LocalRunner[] = [];

beforeAll(async () => {
  server = await startTestServer();
});

afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
});

afterAll(async () => {
  await server.close();
});

function runner(token = server.local.token): LocalRunner {
  const r = new LocalRunner({ baseUrl: server.origin, token, headers: { Origin: server.origin, Cookie: server.cookie } });
  runners.push(r);
  return r;
}

/** A terminal double: records what is written, lets the test type and resize. */
function fakeTerminal(cols = 80, rows = 24) {
  let text = '';
  const inputs = new Set<(d: string) => void>();
  const resizes = new Set<(s: { cols: number; rows: number }) => void>();
  const term: TerminalPort & { text(): string; type(d: string): void; resize(cols: number, rows: number): void } = {
    cols,
    rows,
    write: (t) => void (text += t),
    onInput: (l) => (inputs.add(l), () => inputs.delete(l)),
    onResize: (l) => (resizes.add(l), () => resizes.delete(l)),
    text: () => text,
    type: (d) => inputs.forEach((l) => l(d)),
    resize: (c, r) => resizes.forEach((l) => l({ cols: c, rows: r })),
  };
  return term;
}

const SOLUTION = "import net from 'node:net'; net.createServer({allowHalfOpen:true}, s => { let n = 0; s.on('data', d => n += d.length); s.on('end', () => s.end(`got ${n} bytes\\n`)); }).listen(Number(process.env.PORT), '127.0.0.1');";

describe('LocalRunner', () => {
  it('is unavailable, with the reason, without a token or with a wrong one', async () => {
    expect(await new LocalRunner({ baseUrl: server.origin }).availability()).toEqual({ available: false, reason: NO_LOCAL_SERVER });
    expect((await runner('wrong').availability()).available).toBe(false);
    expect(await new LocalRunner({ baseUrl: 'http://127.0.0.1:1', token: 't' }).availability()).toEqual({ available: false, reason: NO_LOCAL_SERVER });
    await expect(runner('wrong').prepare({ 'a.js': '' })).rejects.toThrow(/local server/);
  });

  it('is available with the token, and says what it can show', async () => {
    const r = runner();
    expect(await r.availability()).toEqual({ available: true });
    expect(r.kind).toBe('local');
    const caps = r.capabilities();
    expect(Object.entries(caps).filter(([, v]) => !v).map(([k]) => k)).toEqual(['trace']);
  });

  it('prepares files and runs a program to completion, streaming its output', async () => {
    const r = runner();
    await r.prepare({ 'hello.js': "console.log('hello from ' + process.env.WHO); process.exitCode = 0;", 'fail.js': 'process.exit(4)' });
    const term = fakeTerminal();
    const result = await r.run('hello.js', { env: { WHO: 'node' }, terminal: term });
    expect(result).toEqual({ exitCode: 0, output: 'hello from node\r\n' });
    expect(term.text()).toBe('hello from node\r\n');
    expect((await r.run('fail.js')).exitCode).toBe(4);
    const missing = await r.run('nope.js', { terminal: term });
    expect(missing).toMatchObject({ exitCode: null, message: expect.stringContaining('no such file') });
    expect(term.text()).toContain('no such file');
    await r.stop();
  });

  it('stops a program that runs too long', async () => {
    const r = runner();
    const file = `spin-${process.pid}-${Date.now()}.js`;
    await r.prepare({ [file]: 'console.log("PID " + process.pid); for (;;) {}' });
    const result = await r.run(file, { timeoutMs: 300 });
    expect(result).toMatchObject({ exitCode: null, stopped: 'time', message: 'stopped: ran longer than 0.3 s' });
    expect(await noneRunning([file])).toBe(true);
    await r.stop();
  });

  it('runs a shell in the terminal, both ways, with resize', async () => {
    const r = runner();
    await r.prepare({ 'marker.txt': 'here' });
    const term = fakeTerminal(100, 30);
    const shell = await r.startShell(term);
    term.type('echo hi\r');
    await poll(() => /[\r\n]hi\r\n/.test(term.text()), 5000, 'hi'); // the output line, not the echoed command
    term.type('ls; stty size\r');
    await poll(() => term.text().includes('marker.txt') && term.text().includes('30 100'), 5000, 'ls and the size');
    term.resize(120, 40);
    term.type('stty size\r');
    await poll(() => term.text().includes('40 120'), 5000, 'the new size');
    term.type('exit 5\r');
    expect(await shell.exited).toBe(5);
    const second = await r.startShell(fakeTerminal());
    second.kill();
    expect(await second.exited).toBe(null);
    await r.stop();
  });

  it('grades four-way-close: a correct solution passes', async () => {
    const r = runner();
    await r.prepare({ 'server.mjs': SOLUTION });
    const result = await r.grade('four-way-close', 'server.mjs');
    expect(result.status, JSON.stringify(result, null, 2)).toBe('pass');
    expect(result.exercise).toBe('four-way-close');
    expect(result.checks.length).toBeGreaterThanOrEqual(6);
    // A wrong answer fails: the result is the grader's, not a constant.
    await r.prepare({ 'server.mjs': SOLUTION.replace('got ', 'read ') });
    const wrong = await r.grade('four-way-close', 'server.mjs');
    expect(wrong.status).toBe('fail');
    await expect(r.grade('no-such-exercise', 'server.mjs')).rejects.toThrow('unknown exercise');
    await r.stop();
  });

  it('stop() ends what it started, and the terminal says so', async () => {
    const r = runner();
    const file = `forever-${process.pid}-${Date.now()}.js`;
    await r.prepare({ [file]: 'console.log("PID " + process.pid); setInterval(() => {}, 1000);' });
    const term = fakeTerminal();
    const running = r.run(file, { terminal: term });
    await poll(() => /PID (\d+)/.test(term.text()), 5000, 'the pid');
    await r.stop();
    const result = await running;
    expect(result.exitCode).toBe(null);
    expect(result.stopped).toBe('stopped');
    expect(term.text()).toMatch(/\[stopped|\[the connection/);
    expect(await noneRunning([file])).toBe(true);
    await poll(() => server.local.sessions.length === 0, 3000, 'the sessions to close');
  });
});

describe('local runner: the shared Runner contract', () => {
  runnerContract(() => runner());
});
