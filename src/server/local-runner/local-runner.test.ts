/**
 * The local runner's security and limits, each refusal proven against a real server on port 0.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLOSE_TOO_MANY_SESSIONS } from '../../runners/local/protocol.ts';
import { createLocalRunner } from './manager.ts';
import { noneRunning, poll, rawRequest, running, startTestServer, TestClient, type TestServer } from './test-support.ts';
import { checkRelativePath, PathError } from './workspace.ts';

let server: TestServer;
let clients: TestClient[] = [];

beforeEach(async () => {
  server = await startTestServer();
  clients = [];
});

afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server.close();
});

async function open(opts: { token?: string; origin?: string } = {}): Promise<TestClient> {
  const c = await TestClient.open(server, opts);
  clients.push(c);
  return c;
}

const host = () => `127.0.0.1:${server.port}`;
const good = () => ({ Host: host(), Origin: server.origin, Cookie: server.cookie });
/** A mark no other process of the machine has in its command line. */
const mark = () => `${process.pid}${Math.floor(Math.random() * 1e9)}`;
const wsPath = (token = server.local.token) => `/api/local?token=${encodeURIComponent(token)}`;

describe('who may use the local runner', () => {
  it('answers the status of its own page (token by header or query) and nobody else', async () => {
    const ok = await rawRequest(server.port, '/api/local/status', { Host: host(), 'X-Tcplab-Token': server.local.token, Cookie: server.cookie });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, node: process.version, platform: process.platform });
    expect(ok.headers['cross-origin-resource-policy']).toBe('same-origin');
    expect((await rawRequest(server.port, `/api/local/status?token=${server.local.token}`, { Host: `localhost:${server.port}`, Origin: `http://localhost:${server.port}`, Cookie: server.cookie })).status).toBe(200);

    const refused: Record<string, string>[] = [
      { Host: host(), 'X-Tcplab-Token': server.local.token }, // no session cookie
      { Host: host(), 'X-Tcplab-Token': server.local.token, Cookie: 'tcplab_runner=forged' }, // a forged one
      { Host: host(), Cookie: server.cookie }, // no token
      { Host: host(), 'X-Tcplab-Token': 'x'.repeat(server.local.token.length), Cookie: server.cookie }, // wrong token
      { Host: host(), 'X-Tcplab-Token': `${server.local.token}x`, Cookie: server.cookie },
      { Host: host(), 'X-Tcplab-Token': server.local.token, Origin: 'http://evil.example', Cookie: server.cookie }, // another site
      { Host: `evil.example:${server.port}`, 'X-Tcplab-Token': server.local.token, Cookie: server.cookie }, // DNS rebinding
      { Host: `127.0.0.1:${server.port + 1}`, 'X-Tcplab-Token': server.local.token, Cookie: server.cookie },
    ];
    for (const headers of refused) {
      const r = await rawRequest(server.port, '/api/local/status', headers);
      expect(r.status, JSON.stringify(headers)).toBe(403);
      expect(r.body).not.toContain(server.local.token);
    }
    // A request that changes state must carry this server's Origin.
    expect((await rawRequest(server.port, '/api/local/status', { Host: host(), 'X-Tcplab-Token': server.local.token, Cookie: server.cookie }, { method: 'POST' })).status).toBe(403);
  });

  it('accepts the WebSocket of its own page only', async () => {
    expect((await rawRequest(server.port, wsPath(), good(), { upgrade: true })).status).toBe(101);
    expect((await rawRequest(server.port, wsPath(), { Host: `localhost:${server.port}`, Origin: `http://localhost:${server.port}`, Cookie: server.cookie }, { upgrade: true })).status).toBe(101);

    const refusals: [string, string, Record<string, string>][] = [
      ['no token', '/api/local', good()],
      ['empty token', '/api/local?token=', good()],
      ['wrong token', wsPath('not-the-token'), good()],
      ['token of the same length', wsPath('A'.repeat(server.local.token.length)), good()],
      ['no session cookie', wsPath(), { Host: host(), Origin: server.origin }],
      ['a forged session cookie', wsPath(), { Host: host(), Origin: server.origin, Cookie: 'tcplab_runner=AAAA' }],
      ['no Origin', wsPath(), { Host: host(), Cookie: server.cookie }],
      ['another site', wsPath(), { Host: host(), Origin: 'http://evil.example', Cookie: server.cookie }],
      ['another port', wsPath(), { Host: host(), Origin: `http://127.0.0.1:${server.port + 1}`, Cookie: server.cookie }],
      ['https origin', wsPath(), { Host: host(), Origin: `https://127.0.0.1:${server.port}`, Cookie: server.cookie }],
      ['null origin', wsPath(), { Host: host(), Origin: 'null', Cookie: server.cookie }],
      ['DNS rebinding', wsPath(), { Host: `evil.example:${server.port}`, Origin: `http://evil.example:${server.port}`, Cookie: server.cookie }],
      ['rebinding, loopback origin', wsPath(), { Host: `evil.example:${server.port}`, Origin: server.origin, Cookie: server.cookie }],
    ];
    for (const [what, path, headers] of refusals) {
      const r = await rawRequest(server.port, path, headers, { upgrade: true });
      expect(r.status, what).toBe(403);
    }
    expect(server.local.sessions).toHaveLength(0);
  });

  it('puts the secret only in pages asked for by the owner\'s session, on a loopback Host', async () => {
    const page = await rawRequest(server.port, '/', { Host: host(), Cookie: server.cookie });
    expect(page.body).toContain(`<head><meta name="tcplab-local" content="${server.local.token}">`);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(Number(page.headers['content-length'])).toBe(Buffer.byteLength(page.body));
    const rebound = await rawRequest(server.port, '/', { Host: `evil.example:${server.port}`, Cookie: server.cookie });
    expect(rebound.status).toBe(200);
    expect(rebound.body).not.toContain(server.local.token);
    expect(rebound.body).not.toContain('tcplab-local');
    // Without the session: the course, and a note that the runner is behind the login link.
    const anonymous = await rawRequest(server.port, '/', { Host: host() });
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).not.toContain(server.local.token);
    expect(anonymous.body).toContain('<meta name="tcplab-local-login" content="required">');
  });

  it('the login link sets an HttpOnly, SameSite=Strict cookie and takes the token out of the address; a wrong token sets nothing', async () => {
    const r = await rawRequest(server.port, `/lessons/x/?a=1&token=${server.local.login.token}`, { Host: host() });
    expect(r.status).toBe(303);
    expect(r.headers['location']).toBe('/lessons/x/?a=1');
    const cookie = String(r.headers['set-cookie']);
    expect(cookie).toMatch(/^tcplab_runner=[A-Za-z0-9_-]{40,}; HttpOnly; SameSite=Strict; Path=\/$/);
    const page = await rawRequest(server.port, '/', { Host: host(), Cookie: cookie.split(';')[0]! });
    expect(page.body).toContain(server.local.token);
    const wrong = await rawRequest(server.port, `/?token=${'x'.repeat(server.local.login.token.length)}`, { Host: host() });
    expect(wrong.status).toBe(303);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    expect(wrong.headers['location']).toBe('/');
    // Another site's Host gets no cookie either (DNS rebinding).
    expect((await rawRequest(server.port, `/?token=${server.local.login.token}`, { Host: `evil.example:${server.port}` })).headers['set-cookie']).toBeUndefined();
  });

  it('every response forbids framing, and a page allows only its own scripts', async () => {
    for (const path of ['/', '/nope/', '/api/local/status']) {
      const r = await rawRequest(server.port, path, { Host: host() });
      expect(r.headers['x-frame-options'], path).toBe('DENY');
      expect(r.headers['content-security-policy'], path).toContain("frame-ancestors 'none'");
    }
    const page = await rawRequest(server.port, '/', { Host: host() });
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
  });

  it('refuses a fifth session with a message and close code 1013', async () => {
    const four = await Promise.all([open(), open(), open(), open()]);
    expect(server.local.sessions).toHaveLength(4);
    const fifth = await open();
    await fifth.until(() => fifth.closed, 3000, 'the close');
    expect(fifth.closed?.code).toBe(CLOSE_TOO_MANY_SESSIONS);
    expect(fifth.messages[0]).toMatchObject({ type: 'error', message: expect.stringContaining('too many local sessions (at most 4)') });
    expect(server.local.sessions).toHaveLength(4);
    // Closing one frees its place.
    await four[0]!.close();
    await poll(() => server.local.sessions.length === 3, 3000, 'the session to end');
    const again = await open();
    again.send({ type: 'files', id: 1, files: { 'a.txt': 'a' } });
    expect(await again.reply(1)).toEqual({ type: 'ok', id: 1 });
  });
});

describe('files stay in the session directory', () => {
  it('rejects paths that escape, and writes nothing outside', async () => {
    const c = await open();
    const dir = server.local.sessions[0]!.workspace.dir;
    expect(dirname(dir)).toBe(realpathSync(tmpdir()));
    const name = `tcplab-escape-${process.pid}-${Date.now()}`;
    const escapes = [`../${name}`, `/etc/${name}`, `/tmp/${name}`, `a/../../${name}`, `a/../../../${name}`, `..\\${name}`, `a\0b`, '', '..', './..', `C:/${name}`];
    let id = 0;
    for (const path of escapes) {
      c.send({ type: 'files', id: ++id, files: { [path]: 'pwned' } });
      const r = await c.reply(id);
      expect(r.type, JSON.stringify(path)).toBe('error');
    }
    expect(existsSync(join(dirname(dir), name))).toBe(false);
    expect(existsSync(join('/etc', name))).toBe(false);
    expect(existsSync(join('/tmp', name))).toBe(false);
    expect(existsSync(join(dirname(dirname(dir)), name))).toBe(false);
    // One bad path among good ones: nothing is written.
    c.send({ type: 'files', id: ++id, files: { 'good.js': '1', [`../${name}`]: 'x' } });
    expect((await c.reply(id)).type).toBe('error');
    expect(existsSync(join(dir, 'good.js'))).toBe(false);
    // Subdirectories inside are fine.
    c.send({ type: 'files', id: ++id, files: { 'lib/util.js': 'u', './main.js': 'm' } });
    expect(await c.reply(id)).toEqual({ type: 'ok', id });
    expect(readdirSync(dir).sort()).toEqual(['lib', 'main.js']);
  });

  it('does not follow symbolic links out of the directory', async () => {
    const c = await open();
    const dir = server.local.sessions[0]!.workspace.dir;
    const outside = join(tmpdir(), `tcplab-outside-${process.pid}-${Date.now()}`);
    mkdirSync(outside);
    try {
      symlinkSync(outside, join(dir, 'link'));
      symlinkSync(join(outside, 'target.js'), join(dir, 'file-link.js'));
      c.send({ type: 'files', id: 1, files: { 'link/x.js': 'pwned' } });
      expect(await c.reply(1)).toMatchObject({ type: 'error', message: expect.stringContaining('symbolic link') });
      c.send({ type: 'files', id: 2, files: { 'file-link.js': 'pwned' } });
      expect(await c.reply(2)).toMatchObject({ type: 'error', message: expect.stringContaining('symbolic link') });
      expect(readdirSync(outside)).toEqual([]);
      // Nor run or grade a file through one.
      symlinkSync('/etc/hostname', join(dir, 'host.js'));
      c.send({ type: 'run', id: 3, file: 'host.js' });
      expect(await c.reply(3)).toMatchObject({ type: 'error', message: expect.stringContaining('out of the workspace') });
      c.send({ type: 'run', id: 4, file: '../x.js' });
      expect((await c.reply(4)).type).toBe('error');
      c.send({ type: 'grade', id: 5, exercise: 'four-way-close', file: '/etc/hostname' });
      expect((await c.reply(5)).type).toBe('error');
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('removes the directories of a server that died without cleaning up', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'tcplab-parent-'));
    try {
      for (const name of ['tcplab-local-99999999-abc', `tcplab-local-${process.pid}-mine`, 'tcplab-local-other', 'unrelated']) mkdirSync(join(parent, name));
      createLocalRunner({ tmpDir: parent });
      expect(readdirSync(parent).sort()).toEqual([`tcplab-local-${process.pid}-mine`, 'tcplab-local-other', 'unrelated']);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('checks paths without touching the disk', () => {
    expect(checkRelativePath('a/b.js')).toEqual(['a', 'b.js']);
    for (const p of ['../x', '/etc/x', 'a/../../x', 'a\0', '', 'x/..', '\\\\server\\x']) expect(() => checkRelativePath(p), p).toThrow(PathError);
  });
});

describe('limits', () => {
  it('stops a program that runs too long, and its process is gone', async () => {
    const c = await open();
    const file = `loop-${mark()}.js`;
    c.send({ type: 'files', files: { [file]: 'console.log("PID " + process.pid); while (true) {}' } });
    c.send({ type: 'run', id: 'r', file, timeoutMs: 600 });
    await c.pid('r');
    expect(running(file).length).toBeGreaterThan(0);
    const exit = await c.exit('r');
    expect(exit).toMatchObject({ code: null, stopped: 'time', message: 'stopped: ran longer than 0.6 s' });
    expect(c.output('r')).toContain('\r\n[stopped: ran longer than 0.6 s]\r\n');
    expect(await noneRunning([file])).toBe(true);
  });

  it('stops a program that floods its output at 1 MiB', async () => {
    const c = await open();
    const file = `flood-${mark()}.js`;
    c.send({ type: 'files', files: { [file]: 'console.log("PID " + process.pid); const s = "x".repeat(8191) + "\\n"; for (;;) process.stdout.write(s);' } });
    c.send({ type: 'run', id: 'f', file });
    const exit = await c.exit('f', 15000);
    expect(exit).toMatchObject({ code: null, stopped: 'output', message: 'stopped: more than 1 MiB of output' });
    const out = c.output('f');
    expect(out.endsWith('\r\n[stopped: more than 1 MiB of output]\r\n')).toBe(true);
    expect(Buffer.byteLength(out)).toBeGreaterThanOrEqual(1 << 20);
    expect(Buffer.byteLength(out)).toBeLessThan((1 << 20) + 100);
    expect(await noneRunning([file])).toBe(true);
  });

  it('kills the programs of a page that disconnects, and removes its directory', async () => {
    const c = await open();
    const dir = server.local.sessions[0]!.workspace.dir;
    const file = `server-${mark()}.js`;
    c.send({ type: 'files', files: { [file]: 'console.log("PID " + process.pid); setInterval(() => {}, 1000);' } });
    c.send({ type: 'run', id: 'long', file });
    await c.pid('long');
    expect(running(file).length).toBeGreaterThan(0);
    await c.close();
    expect(await noneRunning([file])).toBe(true);
    await poll(() => !existsSync(dir), 3000, 'the directory to go');
    expect(server.local.sessions).toHaveLength(0);
  });

  it('leaves nothing running after stopAll: programs, shells, their jobs and daemons', async () => {
    const c = await open();
    const dirs = server.local.sessions.map((s) => s.workspace.dir);
    const m = mark();
    // Each process is told apart by a sleep length of its own (the machine's pids are not theirs to print).
    const spawner = [
      "import { spawn } from 'node:child_process';",
      `const d = spawn('sleep', ['1000.${m}'], { detached: true, stdio: 'ignore' }); d.unref();`,
      'console.log("PID " + process.pid + " DAEMON " + d.pid);',
      'setInterval(() => {}, 1000);',
    ].join('\n');
    c.send({ type: 'files', files: { [`spawner-${m}.mjs`]: spawner } });
    c.send({ type: 'run', id: 'a', file: `spawner-${m}.mjs` });
    c.send({ type: 'shell', id: 'sh', cols: 80, rows: 24 });
    await c.waitFor((x) => x.type === 'started' && x.id === 'sh');
    c.send({ type: 'input', id: 'sh', data: `sleep 1001.${m} & echo "JOBS $!"; setsid sh -c 'echo "SETSID"; exec sleep 1002.${m}' & nohup sleep 1003.${m} >/dev/null 2>&1 &\r` });
    await c.until(() => /DAEMON (\d+)/.exec(c.output('a')), 5000, 'the daemon');
    await c.until(() => /JOBS (\d+)/.exec(c.output('sh')), 5000, 'the jobs');
    await c.until(() => /SETSID/.exec(c.output('sh')), 5000, 'the setsid job');
    const needles = [`spawner-${m}.mjs`, `1000.${m}`, `1001.${m}`, `1002.${m}`, `1003.${m}`];
    await poll(() => needles.every((n) => running(n).length > 0), 5000, 'every process to run');
    await server.local.stopAll();
    expect(await noneRunning(needles, 3000)).toBe(true);
    for (const d of dirs) expect(existsSync(d)).toBe(false);
    // And it takes no new sessions.
    expect((await rawRequest(server.port, wsPath(), good(), { upgrade: true })).status).toBe(503);
  });

  it('kills what a finished program left behind', async () => {
    const c = await open();
    const m = mark();
    const src = `import { spawn } from 'node:child_process'; const d = spawn('sleep', ['1004.${m}'], { detached: true, stdio: 'ignore' }); d.unref(); console.log('DAEMON ' + d.pid);`;
    c.send({ type: 'files', files: { 'bg.mjs': src } });
    c.send({ type: 'run', id: 'bg', file: 'bg.mjs' });
    expect(await c.exit('bg')).toMatchObject({ code: 0 });
    expect(c.output('bg')).toMatch(/DAEMON \d+/);
    expect(await noneRunning([`1004.${m}`])).toBe(true);
  });
});

describe('the protocol', () => {
  it('answers nonsense with an error and carries on', async () => {
    const c = await open();
    c.send('{not json');
    c.send('[1,2]');
    c.send(JSON.stringify({ type: 'launch-missiles', id: 7 }));
    c.send(JSON.stringify({ type: 'run', id: 8 }));
    c.send(JSON.stringify({ type: 'grade', id: 9, exercise: 'no-such-exercise', file: 'x.js' }));
    c.send(JSON.stringify({ type: 'grade', id: 10, exercise: '__proto__', file: 'x.js' }));
    c.send(JSON.stringify({ type: 'run', id: 11, file: 'missing.js' }));
    c.send(JSON.stringify({ type: 'run', id: 12, file: 'x.js', env: { 'A=B': 'c' } }));
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await c.until(() => c.messages.length >= 9, 5000, 'nine errors');
    expect(c.messages.every((m) => m.type === 'error')).toBe(true);
    expect(c.messages.find((m) => m.id === 7)).toMatchObject({ message: 'unknown message type: "launch-missiles"' });
    expect(c.messages.find((m) => m.id === 9)).toMatchObject({ message: 'unknown exercise: "no-such-exercise"' });
    expect(c.messages.find((m) => m.id === 11)).toMatchObject({ message: expect.stringContaining('no such file') });
    c.send({ type: 'files', id: 'f', files: { 'hello.js': 'console.log("hello " + process.argv.length + " " + process.env.GREETING)' } });
    c.send({ type: 'run', id: 'h', file: 'hello.js', env: { GREETING: 'hi' } });
    expect(await c.exit('h')).toEqual({ type: 'exit', id: 'h', code: 0 });
    expect(c.output('h')).toBe('hello 2 hi\r\n');
    expect(c.messages.find((m) => m.id === 'h')).toEqual({ type: 'started', id: 'h', kind: 'run', env: { GREETING: 'hi' } });
  });

  it('passes keys to the program, reports its exit status, stops it on request', async () => {
    const c = await open();
    c.send({
      type: 'files',
      files: {
        'ask.js': 'process.stdin.once("data", (d) => { console.log("tty " + process.stdout.isTTY + " got " + String(d).trim()); process.exit(3); });',
        'wait-keys.js': 'console.log("PID " + process.pid); setInterval(() => {}, 1000);',
      },
    });
    c.send({ type: 'run', id: 'ask', file: 'ask.js' });
    c.send({ type: 'input', id: 'ask', data: 'yes\r' });
    expect(await c.exit('ask')).toMatchObject({ code: 3 });
    expect(c.output('ask')).toContain('tty true got yes');
    c.send({ type: 'run', id: 'w', file: 'wait-keys.js' });
    await c.pid('w');
    c.send({ type: 'kill', id: 'w' });
    expect(await c.exit('w')).toMatchObject({ code: null, stopped: 'stopped' });
    expect(await noneRunning([`${server.local.sessions.at(-1)?.workspace.dir ?? ''}/wait-keys.js`])).toBe(true);
  });
});
