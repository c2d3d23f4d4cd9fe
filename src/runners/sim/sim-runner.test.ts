/** The Runner contract on the sim backend, with its worker running in-process. */
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { GRADERS } from '../../grading/graders/index.ts';
import type { TerminalPort } from '../types.ts';
import { recordingTerminal, runnerContract } from '../runner-contract.ts';
import type { LadderModel } from '../../lab/ladder-model.ts';
import { SimRunner, type WorkerLike } from './sim-runner.ts';
import { createWorkerCore } from './worker-core.ts';

function inProcessWorker(): WorkerLike {
  let terminated = false;
  const w: WorkerLike = {
    onmessage: null,
    postMessage: (m) => void setImmediate(() => void core.handle(m)),
    terminate: () => void (terminated = true),
  };
  const core = createWorkerCore({
    post: (m) => setImmediate(() => !terminated && w.onmessage?.({ data: m })),
    now: () => performance.now(),
    yieldTask: () => new Promise((r) => setImmediate(r)),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  });
  return w;
}

describe('sim runner: the Runner contract', () => {
  runnerContract(() => new SimRunner({ createWorker: inProcessWorker }));
});

describe('sim runner: what only the simulated kernel shows', () => {
  it("streams the run's segments as a ladder diagram: a self-connection is one column", async () => {
    const traces: LadderModel[] = [];
    const r = new SimRunner({ createWorker: inProcessWorker, onTrace: (m) => traces.push(m) });
    await r.prepare({
      'self.mjs': "import net from 'node:net';\nconst s = net.connect({ port: 6666, host: '127.0.0.1', localPort: 6666 }, () => { console.log(`${s.localPort} -> ${s.remotePort}`); s.destroy(); });\n",
    });
    const res = await r.run('self.mjs', { terminal: recordingTerminal() });
    expect(res.output).toContain('6666 -> 6666');
    const last = traces.at(-1)!;
    expect(last.columns.map((c) => c.endpoint)).toEqual(['127.0.0.1:6666']);
    const first = last.rows.find((row) => row.kind === 'segment');
    expect(first).toMatchObject({ from: 0, to: 0, flags: 'S' });
    expect(last.total).toBeGreaterThanOrEqual(3);
  });

  it('has every capability an exercise needs except a shell and real kernel states', () => {
    const caps = new SimRunner().capabilities();
    expect(caps.selfConnect && caps.halfClose && caps.reset && caps.localPort && caps.processKill && caps.trace).toBe(true);
    expect(caps.shell || caps.realKernelStates).toBe(false);
  });
});

describe('sim runner: Run gives the program its peer', () => {
  const solution = (id: string) => readFileSync(new URL(`../../../content/exercises/${id}/solution/main.mjs`, import.meta.url), 'utf8');
  const envOf = (id: string) => GRADERS[id]!.env(8080, 'demo');

  for (const id of ['half-close-request', 'reset-on-unread', 'self-connect-retry']) {
    it(`a client exercise (${id}): the reference solution meets a practice server and exits 0, and Run says so`, async () => {
      const r = new SimRunner({ createWorker: inProcessWorker });
      await r.prepare({ 'main.mjs': solution(id) });
      const term = recordingTerminal();
      const res = await r.run('main.mjs', { terminal: term, env: envOf(id), peer: id, timeoutMs: 10_000 });
      expect(res.exitCode).toBe(0);
      expect(term.text()).toMatch(/\[practice server[^\]]*listening on 127\.0\.0\.1:8080/);
      await r.stop();
    });
  }

  it('without a peer, the same client is refused (nothing listens), as before', async () => {
    const r = new SimRunner({ createWorker: inProcessWorker });
    await r.prepare({ 'main.mjs': solution('half-close-request') });
    const res = await r.run('main.mjs', { terminal: recordingTerminal(), env: envOf('half-close-request') });
    expect(res.exitCode).toBe(1);
    expect(res.output).toContain('ECONNREFUSED');
  });

  it('a server exercise: Run says where it listens, and a shell on the same machine (PORT exported) reaches it; Stop says it stopped the program', async () => {
    const r = new SimRunner({ createWorker: inProcessWorker });
    await r.prepare({ 'main.mjs': solution('four-way-close') });
    const term = recordingTerminal();
    let typed: ((data: string) => void) | null = null;
    let shellText = '';
    const shell: TerminalPort = { write: (t) => void (shellText += t), onInput: (fn) => ((typed = fn), () => (typed = null)), cols: 80, rows: 24 };
    const done = r.run('main.mjs', { terminal: term, env: envOf('four-way-close'), peer: 'four-way-close', shell, timeoutMs: 60_000 });
    await vi.waitFor(() => expect(term.text()).toContain('[listening on 127.0.0.1:8080'), { timeout: 5000 });
    await vi.waitFor(() => expect(shellText).toContain('learner@tcplab'), { timeout: 5000 });
    for (const keys of ['echo $PORT\r', 'nc -N 127.0.0.1 $PORT\r']) typed!(keys);
    await vi.waitFor(() => expect(shellText).toContain('8080'), { timeout: 5000 });
    await new Promise((res) => setTimeout(res, 300));
    typed!('hello\r');
    typed!('\x04');
    await vi.waitFor(() => expect(shellText).toContain('got 6 bytes'), { timeout: 5000 });
    await r.stop();
    const res = await done;
    expect(res.stopped).toBe('stopped');
    expect(term.text()).toContain('[stopped the program]');
    expect(term.text()).not.toContain('connection to the local server');
  });
});
