/**
 * The webcontainer glue, against a test double of @webcontainer/api's documented surface (boot, mount,
 * spawn with output/input streams, exit, kill, resize) that runs real Node child processes in a temporary
 * directory. WebContainer itself cannot boot here (it loads from StackBlitz's servers).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bundleGrader } from '../../../scripts/bundle-grader.ts';
import { recordingTerminal, runnerContract } from '../runner-contract.ts';
import { resetWebContainerBoot, WebContainerRunner, type WcApi, type WcInstance, type WcProcess } from './webcontainer-runner.ts';

const root = join(import.meta.dirname, '../../..');

function writeTree(dir: string, tree: Record<string, unknown>): void {
  for (const [name, node] of Object.entries(tree)) {
    const n = node as { file?: { contents: string }; directory?: Record<string, unknown> };
    if (n.directory) {
      mkdirSync(join(dir, name), { recursive: true });
      writeTree(join(dir, name), n.directory);
    } else if (n.file) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), n.file.contents);
    }
  }
}

/** A stand-in for WebContainer that keeps its contract: one boot, mount a tree, spawn with streams. */
function fakeApi(counter: { boots: number; resizes: Array<{ cols: number; rows: number }> }, fail?: string): WcApi {
  return {
    async boot() {
      counter.boots++;
      if (fail) throw new Error(fail);
      const dir = mkdtempSync(join(tmpdir(), 'fake-wc-'));
      const instance: WcInstance = {
        mount: async (tree) => writeTree(dir, tree),
        teardown: () => undefined,
        spawn: async (command, args, options) => {
          const jsh = command === '/bin/jsh';
          const child = jsh ? spawn('sh', ['-c', 'printf "\\033]654;interactive\\007$ "; while read l; do echo "jsh: $l"; done'], { cwd: dir }) : spawn(process.execPath, args, { cwd: dir, env: { PATH: process.env['PATH'] ?? '', ...options?.env } });
          const output = new ReadableStream<string>({
            start(controller) {
              let open = 2;
              const done = () => --open === 0 && controller.close();
              child.stdout.on('data', (d: Buffer) => controller.enqueue(d.toString()));
              child.stderr.on('data', (d: Buffer) => controller.enqueue(d.toString()));
              child.stdout.on('end', done);
              child.stderr.on('end', done);
            },
          });
          const input = new WritableStream<string>({ write: (s) => void child.stdin.write(s.replace(/\r/g, '\n')) });
          const exit = new Promise<number>((r) => child.on('close', (code) => r(code ?? 137)));
          const proc: WcProcess = { output, input, exit, kill: () => child.kill('SIGKILL'), resize: (s) => counter.resizes.push(s) };
          return proc;
        },
      };
      return instance;
    },
  };
}

const online = { crossOriginIsolated: true, online: true, secure: true };
const grader = () => readFileSync(join(root, 'public/runtime/tcplab-grade.mjs'), 'utf8');

beforeAll(async () => {
  await bundleGrader();
});
beforeEach(() => resetWebContainerBoot());

/** StackBlitz's servers answer (the default check fetches them; these tests have no network). */
const answers = async (): Promise<void> => undefined;

describe('webcontainer runner (test double): the Runner contract', () => {
  runnerContract(async () => {
    resetWebContainerBoot();
    const r = new WebContainerRunner({ loadApi: async () => fakeApi({ boots: 0, resizes: [] }), fetchGrader: async () => grader(), env: online, reach: answers });
    await r.prepare({});
    return r;
  });
});

describe('webcontainer runner: the glue', () => {
  it('boots once per page, however many runners prepare', async () => {
    const counter = { boots: 0, resizes: [] };
    const api = async () => fakeApi(counter);
    await new WebContainerRunner({ loadApi: api, env: online, reach: answers }).prepare({ 'a.mjs': '' });
    await new WebContainerRunner({ loadApi: api, env: online, reach: answers }).prepare({ 'b.mjs': '' });
    expect(counter.boots).toBe(1);
  });

  it('measures its capabilities at boot with the probe program (here: real Node on Linux, so all hold)', async () => {
    const r = new WebContainerRunner({ loadApi: async () => fakeApi({ boots: 0, resizes: [] }), env: online, reach: answers });
    expect(r.capabilities().halfClose).toBe(false);
    await r.prepare({});
    const caps = r.capabilities();
    expect([caps.halfClose, caps.reset, caps.localPort, caps.selfConnect]).toEqual([true, true, true, true]);
    expect(caps.realKernelStates).toBe(false);
  }, 20_000);

  it('a failed boot is reported in words, and a later prepare tries again', async () => {
    const counter = { boots: 0, resizes: [] };
    const r = new WebContainerRunner({ loadApi: async () => fakeApi(counter, 'Failed to fetch'), env: online, reach: answers });
    await expect(r.prepare({})).rejects.toThrow('WebContainer could not boot: Failed to fetch');
    await expect(r.prepare({})).rejects.toThrow('could not boot');
    expect(counter.boots).toBe(2);
  });

  it('says why it is unavailable: not isolated, offline, insecure', async () => {
    expect(await new WebContainerRunner({ env: { ...online, crossOriginIsolated: false } }).availability()).toEqual({ available: false, reason: expect.stringContaining('cross-origin isolated') });
    expect(await new WebContainerRunner({ env: { ...online, online: false } }).availability()).toEqual({ available: false, reason: expect.stringContaining('offline') });
    expect(await new WebContainerRunner({ env: { ...online, secure: false } }).availability()).toEqual({ available: false, reason: expect.stringContaining('secure context') });
    expect((await new WebContainerRunner({ env: online }).availability()).available).toBe(true);
  });

  it('jsh: keys wait for the interactive signal, the terminal is resized after it', async () => {
    const counter = { boots: 0, resizes: [] as Array<{ cols: number; rows: number }> };
    const r = new WebContainerRunner({ loadApi: async () => fakeApi(counter), env: online, reach: answers });
    await r.prepare({});
    let send: (d: string) => void = () => undefined;
    const term = { ...recordingTerminal(), cols: 100, rows: 30, onInput: (fn: (d: string) => void) => ((send = fn), () => undefined) };
    let text = '';
    term.write = (t: string) => void (text += t);
    const session = await r.startShell(term);
    expect(counter.resizes).toContainEqual({ cols: 100, rows: 30 });
    send('echo hi\r');
    await expect.poll(() => text, { timeout: 3000 }).toContain('jsh: echo hi');
    session.kill();
    await session.exited;
  });

  it('mounting refuses paths that climb out of the workspace', async () => {
    const r = new WebContainerRunner({ loadApi: async () => fakeApi({ boots: 0, resizes: [] }), env: online, reach: answers });
    await r.prepare({});
    await expect(r.prepare({ '../evil.mjs': 'x' })).rejects.toThrow('bad path');
  });
});

describe('webcontainer runner: a boot that never answers', () => {
  it('fails over at once when StackBlitz cannot be reached (a network error), without waiting for the boot timeout', async () => {
    resetWebContainerBoot();
    const never: WcApi = { boot: () => new Promise(() => undefined) };
    const r = new WebContainerRunner({ loadApi: async () => never, env: online, bootTimeoutMs: 60_000, reach: async () => Promise.reject(new TypeError('Failed to fetch')) });
    const started = Date.now();
    await expect(r.prepare({})).rejects.toThrow('StackBlitz’s servers cannot be reached (Failed to fetch)');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('gives up when StackBlitz has not answered within the reach limit (3 s by default), and tries again on the next prepare', async () => {
    resetWebContainerBoot();
    const never: WcApi = { boot: () => new Promise(() => undefined) };
    const r = new WebContainerRunner({ loadApi: async () => never, env: online, bootTimeoutMs: 60_000, reach: () => new Promise(() => undefined), reachMs: 80 });
    await expect(r.prepare({})).rejects.toThrow('did not answer within 0.08 s');
    await expect(r.prepare({})).rejects.toThrow('did not answer');
  });

  it('once StackBlitz answered, a slow boot is waited for', async () => {
    resetWebContainerBoot();
    const counter = { boots: 0, resizes: [] };
    const slow: WcApi = { boot: async (o) => (await new Promise((r) => setTimeout(r, 150)), fakeApi(counter).boot(o)) };
    const r = new WebContainerRunner({ loadApi: async () => slow, env: online, reach: answers, reachMs: 20 });
    await r.prepare({});
    expect(counter.boots).toBe(1);
  }, 20_000);

  it('is reported as failed after the boot timeout', async () => {
    resetWebContainerBoot();
    const never: WcApi = { boot: () => new Promise(() => undefined) };
    const r = new WebContainerRunner({ loadApi: async () => never, env: online, bootTimeoutMs: 50, reach: answers });
    await expect(r.prepare({})).rejects.toThrow('no answer from StackBlitz’s servers within 0.05 s');
  });
});
