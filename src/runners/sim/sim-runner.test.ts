/** The Runner contract on the sim backend, with its worker running in-process. */
import { describe, expect, it } from 'vitest';
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
