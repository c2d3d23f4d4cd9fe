/**
 * Nothing a session started outlives it: shells, runs and gradings, with everything they spawned (setsid,
 * double fork, nohup), are gone after a disconnect and after the server stops (SIGTERM, and even SIGKILL);
 * gradings count against the session's cap. And only the server's own user can use the runner.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gradingIsolation } from '../../grading/host-launcher.ts';
import { sessionJailSupport } from '../../sandbox/session-jail.ts';
import { noneRunning, poll, running, startTestServer, TestClient, type TestServer } from './test-support.ts';

// These programs kill whatever started them: unjailed, that would be this test runner. Refuse to run them so.
const isolation = gradingIsolation('own code');
if (isolation.isolation.kind !== 'jail') throw new Error(`these tests need the grading sandbox (their programs attack it): ${isolation.reason}`);
if (!sessionJailSupport().jail) throw new Error(`these tests need the session jail: ${sessionJailSupport().reason}`);

const mark = () => `${process.pid}${Math.floor(Math.random() * 1e9)}`;

/** A program that leaves daemons behind three ways, each running `sleep <n>.<mark>`. */
function daemons(m: string): string {
  return [
    "import { spawn } from 'node:child_process';",
    `spawn('setsid', ['sh', '-c', 'sleep 2001.${m} & exit 0'], { detached: true, stdio: 'ignore' }).unref();`,
    `spawn(process.execPath, ['-e', "require('node:child_process').spawn('sleep', ['2002.${m}'], { detached: true, stdio: 'ignore' }).unref()"], { detached: true, stdio: 'ignore' }).unref();`,
    `spawn('nohup', ['sleep', '2003.${m}'], { detached: true, stdio: 'ignore' }).unref();`,
    // It tries to kill whatever started it, too.
    'try { process.kill(process.ppid, "SIGKILL"); } catch {}',
    "console.log('spawned');",
    'setInterval(() => {}, 1000);',
  ].join('\n');
}
const needles = (m: string) => [`2001.${m}`, `2002.${m}`, `2003.${m}`];

const servers: TestServer[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

describe('one process model for everything a session starts', () => {
  it('a run that spawns setsid, double-forked and nohup daemons and kills its parent leaves nothing after a disconnect', async () => {
    const server = await startTestServer();
    servers.push(server);
    const c = await TestClient.open(server);
    const m = mark();
    c.send({ type: 'files', files: { 'main.mjs': daemons(m) } });
    c.send({ type: 'run', id: 'r', file: 'main.mjs' });
    await c.until(() => c.output('r').includes('spawned'), 8000, 'the daemons');
    await poll(() => needles(m).every((n) => running(n).length > 0), 5000, 'every daemon to run');
    await c.close();
    expect(await noneRunning(needles(m))).toBe(true);
  });

  it('a grading whose program leaves daemons leaves nothing after a disconnect, and counts against the cap', async () => {
    const server = await startTestServer({ limits: { maxProcesses: 2 } });
    servers.push(server);
    const c = await TestClient.open(server);
    const m = mark();
    c.send({ type: 'files', files: { 'main.mjs': daemons(m), 'idle.js': 'setInterval(() => {}, 1000)' } });
    c.send({ type: 'grade', id: 'g', exercise: 'four-way-close', file: 'main.mjs' });
    await poll(() => needles(m).every((n) => running(n).length > 0), 10_000, 'the graded program\'s daemons');
    // The grading holds one of the two places: one run fits, a second does not.
    c.send({ type: 'run', id: 'a', file: 'idle.js' });
    await c.waitFor((x) => x.type === 'started' && x.id === 'a');
    c.send({ type: 'run', id: 'b', file: 'idle.js' });
    expect(await c.waitFor((x) => x.type === 'error' && x.id === 'b')).toMatchObject({ message: expect.stringContaining('too many processes in this session (at most 2, gradings included)') });
    await c.close();
    expect(await noneRunning(needles(m))).toBe(true);
  });

  it('runs whose page goes away at any moment of their start leave nothing (bubblewrap killed before its sandbox tied its life to it)', async () => {
    const server = await startTestServer();
    servers.push(server);
    const m = mark();
    const program = `require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000) // 2006.${m}'], { detached: true, stdio: 'ignore' }).unref(); setInterval(() => {}, 1000);`;
    for (let i = 0; i < 16; i++) {
      const c = await TestClient.open(server);
      c.send({ type: 'files', files: { 'main.js': program } });
      c.send({ type: 'run', id: 'r', file: 'main.js' });
      if (i % 4 === 0) await c.waitFor((x) => x.type === 'started');
      await new Promise((r) => setTimeout(r, (i % 4) * 10));
      await c.close();
    }
    // One more whose daemon surely runs before the page goes: the check below can find something.
    const c = await TestClient.open(server);
    c.send({ type: 'files', files: { 'main.js': program } });
    c.send({ type: 'run', id: 'r', file: 'main.js' });
    await poll(() => running(`2006.${m}`).length > 0, 8000, 'the daemon');
    await c.close();
    expect(await noneRunning([`2006.${m}`], 3000)).toBe(true);
  });

  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(`nothing survives the server itself stopping with ${signal}`, async () => {
      const child = spawn(process.execPath, [join(import.meta.dirname, 'test-server-main.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(child);
      const info = await new Promise<{ port: number; token: string; cookie: string; origin: string }>((resolve) => {
        let out = '';
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!));
        });
      });
      const c = await TestClient.open({ port: info.port, origin: info.origin, cookie: info.cookie, local: { token: info.token } } as unknown as TestServer);
      const m = mark();
      c.send({ type: 'files', files: { 'main.mjs': daemons(m) } });
      c.send({ type: 'run', id: 'r', file: 'main.mjs' });
      c.send({ type: 'shell', id: 'sh' });
      await c.waitFor((x) => x.type === 'started' && x.id === 'sh');
      c.send({ type: 'input', id: 'sh', data: `setsid sleep 2004.${m} & nohup sleep 2005.${m} >/dev/null 2>&1 &\r` });
      const all = [...needles(m), `2004.${m}`, `2005.${m}`];
      await poll(() => all.every((n) => running(n).length > 0), 8000, 'every process to run');
      child.kill(signal);
      await new Promise((r) => child.once('exit', r));
      expect(await noneRunning(all, 5000)).toBe(true);
    });
  }
});

describe('only the person who started it', () => {
  const isRoot = process.getuid?.() === 0;
  // Switching to another user needs root (as CI runs); elsewhere the test has no second user to be.
  it.runIf(isRoot)('another local user gets no secret and cannot open the runner, even with the owner\'s cookie and token', async () => {
    const server = await startTestServer();
    servers.push(server);
    const probe = `
      const port = ${server.port};
      const get = (path, headers) => fetch('http://127.0.0.1:' + port + path, { headers, redirect: 'manual' }).then(async (r) => ({ status: r.status, body: await r.text(), cookie: r.headers.get('set-cookie') }));
      const page = await get('/', { Cookie: ${JSON.stringify(server.cookie)} });
      const login = await get('/?token=${server.local.login.token}', {});
      const status = await get('/api/local/status', { Cookie: ${JSON.stringify(server.cookie)}, 'X-Tcplab-Token': ${JSON.stringify(server.local.token)} });
      // A WebSocket handshake by hand (node:http only: the project's own modules may sit where this user cannot read).
      const { request } = await import('node:http');
      const ws = await new Promise((resolve) => {
        const q = request({ host: '127.0.0.1', port, path: '/api/local?token=${server.local.token}', headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', Origin: 'http://127.0.0.1:' + port, Cookie: ${JSON.stringify(server.cookie)} } });
        q.on('upgrade', (_res, socket) => { socket.destroy(); resolve('open'); }); q.on('response', (res) => resolve('refused ' + res.statusCode)); q.on('error', () => resolve('error')); q.end();
      });
      console.log(JSON.stringify({ secret: page.body.includes(${JSON.stringify(server.local.token)}), loginCookie: login.cookie, status: status.status, ws }));`;
    // Asynchronously: the server answers from this very process.
    const probeAs = (asNobody: boolean) =>
      new Promise<{ secret: boolean; loginCookie: string | null; status: number; ws: string }>((resolve, reject) => {
        const node = [process.execPath, '--input-type=module', '-e', probe];
        const p = asNobody ? spawn('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', ...node]) : spawn(node[0]!, node.slice(1));
        let stdout = '';
        let stderr = '';
        p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        p.on('close', (status) => (status === 0 ? resolve(JSON.parse(stdout)) : reject(new Error(`probe exited ${status}: ${stderr}`))));
      });
    expect(await probeAs(true)).toEqual({ secret: false, loginCookie: null, status: 403, ws: 'refused 403' });
    // The owner, with the same cookie and token and the same probe, is let in (so the refusals above are real).
    expect(await probeAs(false)).toMatchObject({ secret: true, status: 200, ws: 'open' });
  });
});
