/**
 * Attacks on the jail a learner's program runs in, each by a program written as an attacker would write it.
 * Every defence of jail.ts / node-jail.ts has its attack here: what it tried, and what it could not do.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startJailed, type JailedProcess } from './jailed-process.ts';
import { nodeProgramJail } from './node-jail.ts';
import { EXPOSED, jailArgv } from './jail.ts';
import { resetSupportCache, sandboxSupport } from './support.ts';

const support = sandboxSupport();
if (!support.ok) throw new Error(`these tests need bubblewrap (they attack it): ${support.reason}`);
const tools = support.tools;

function jail(source: string, opts: { env?: Record<string, string>; timeoutMs?: number; outputLimit?: number; network?: 'private' | 'inherit' } = {}): JailedProcess {
  return startJailed(nodeProgramJail(tools, { node: process.execPath, source, env: opts.env ?? {}, network: opts.network ?? 'private' }), {
    outputLimit: opts.outputLimit ?? 1 << 20,
    timeoutMs: opts.timeoutMs ?? 15_000,
  });
}

async function run(source: string, opts: Parameters<typeof jail>[1] = {}): Promise<{ code: number | null; out: string; err: string; stopped: string | null }> {
  const p = jail(source, opts);
  const code = await p.exited;
  return { code, out: p.stdout(), err: p.stderr(), stopped: p.stopped() };
}

/** Processes on this machine whose command line holds `mark`. */
function processesWith(mark: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.includes(mark) && !l.includes('ps -eo'));
}

/** Waits (at most `ms`) until a process whose command line holds `mark` runs; its lines. */
async function untilSeen(mark: string, ms = 5000): Promise<string[]> {
  for (let waited = 0; waited < ms && processesWith(mark).length === 0; waited += 50) await new Promise((r) => setTimeout(r, 50));
  return processesWith(mark);
}

let secretDir: string;
let server: net.Server;
let serverPort = 0;
let connections = 0;

beforeAll(async () => {
  secretDir = mkdtempSync(join(tmpdir(), 'tcplab-secret-'));
  writeFileSync(join(secretDir, 'classmate.mjs'), 'the answer of a classmate');
  server = net.createServer((s) => {
    connections++;
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  serverPort = (server.address() as net.AddressInfo).port;
});
afterAll(() => {
  rmSync(secretDir, { recursive: true, force: true });
  server.close();
});

describe('a jailed program', { timeout: 30_000 }, () => {
  test('sees only the system, the Node runtime, its own file and empty private directories', async () => {
    const r = await run(`
      import fs from 'node:fs';
      const tryRead = (p) => { try { return fs.readFileSync(p, 'utf8').slice(0, 40); } catch (e) { return e.code; } };
      const tryList = (p) => { try { return fs.readdirSync(p).join(' '); } catch (e) { return e.code; } };
      console.log(JSON.stringify({
        root: tryList('/'), home: tryList('/home/learner'), tmp: tryList('/tmp'),
        secret: tryRead(${JSON.stringify(join(secretDir, 'classmate.mjs'))}),
        project: tryList(${JSON.stringify(process.cwd())}), passwd: tryRead('/etc/passwd'), shadow: tryRead('/etc/shadow'),
        rootHome: tryList('/root'), cwd: process.cwd(), uid: process.getuid(),
      }));`);
    expect(r.code, r.err).toBe(0);
    const seen = JSON.parse(r.out) as Record<string, string | number>;
    expect(String(seen['root']).split(' ').sort()).toEqual(expect.arrayContaining(['home', 'opt', 'proc', 'tmp', 'usr']));
    expect(String(seen['root'])).not.toMatch(/\b(work|root|srv|var|mnt)\b/);
    expect(seen['home']).toBe('main.mjs');
    expect(seen['tmp']).toBe('');
    expect(seen['secret']).toBe('ENOENT');
    expect(seen['project']).toBe('ENOENT');
    expect(seen['passwd']).toBe('ENOENT');
    expect(seen['shadow']).toBe('ENOENT');
    expect(seen['rootHome']).toBe('ENOENT');
    expect(seen['cwd']).toBe('/home/learner');
  });

  test('gets only the environment the exercise sets', async () => {
    const r = await run('console.log(JSON.stringify(process.env))', { env: { PORT: '4242', REQUEST: 'GET /' } });
    const env = JSON.parse(r.out) as Record<string, string>;
    expect(Object.keys(env).filter((k) => k !== 'PWD').sort()).toEqual(['PORT', 'REQUEST']);
  });

  test('cannot write outside its private directories, and its own file is read-only', async () => {
    const r = await run(`
      import fs from 'node:fs';
      const tryWrite = (p) => { try { fs.writeFileSync(p, 'x'); return 'written'; } catch (e) { return e.code; } };
      console.log(JSON.stringify({ usr: tryWrite('/usr/evil'), self: tryWrite('/home/learner/main.mjs'), rootfs: tryWrite('/evil'), tmp: tryWrite('/tmp/mine'), home: tryWrite('/home/learner/notes') }));`);
    const w = JSON.parse(r.out) as Record<string, string>;
    expect(w['usr']).toMatch(/EROFS|EACCES/);
    expect(w['self']).toMatch(/EROFS|EACCES/);
    expect(w['rootfs']).toMatch(/EROFS|EACCES/);
    expect(w['tmp']).toBe('written');
    expect(w['home']).toBe('written');
  });

  test('what it writes to /tmp stays in the jail and is gone after it', async () => {
    const mark = `exfil-${process.pid}-${Date.now()}`;
    const r = await run(`import fs from 'node:fs'; fs.writeFileSync('/tmp/${mark}', 'classmates'); console.log(fs.existsSync('/tmp/${mark}'));`);
    expect(r.out.trim()).toBe('true');
    expect(existsSync(join('/tmp', mark))).toBe(false);
    const again = await run(`import fs from 'node:fs'; console.log(fs.existsSync('/tmp/${mark}'));`);
    expect(again.out.trim()).toBe('false');
  });

  test('cannot fill the disk: its private directories are small', async () => {
    const r = await run(`
      import fs from 'node:fs';
      let n = 0; const mb = Buffer.alloc(1 << 20, 120);
      try { for (;;) { fs.appendFileSync('/tmp/fill', mb); n++; if (n > 200) break; } console.log('wrote', n); } catch (e) { console.log(e.code, n); }`);
    expect(r.out).toMatch(/^(ENOSPC|EFBIG) \d+/);
    expect(Number(r.out.split(' ')[1])).toBeLessThanOrEqual(16);
  });

  test('cannot see or signal the process that jailed it', async () => {
    const r = await run(`
      import fs from 'node:fs';
      const pids = fs.readdirSync('/proc').filter((d) => /^\\d+$/.test(d));
      let parent = 'no error';
      try { process.kill(process.ppid, 'SIGKILL'); } catch (e) { parent = e.code; }
      fs.writeSync(1, JSON.stringify({ pids, ppid: process.ppid, parent }) + '\\n');
      // Every process it may signal: only its own jail's.
      process.kill(-1, 'SIGKILL');`);
    const seen = JSON.parse(r.out) as { pids: string[]; ppid: number };
    // Its own pid namespace: the jail's init (1) and itself, nothing of this machine.
    expect(seen.pids.sort()).toEqual(['1', '2']);
    expect(seen.ppid).toBe(1);
    // This process (and the test runner) are alive, and so is the machine's init.
    expect(process.kill(process.pid, 0)).toBe(true);
    expect(process.kill(1, 0)).toBe(true);
  });

  test('cannot reach this machine\'s loopback with a private network (a server listens on it here)', async () => {
    const before = connections;
    const r = await run(`
      import net from 'node:net';
      const s = net.connect(${serverPort}, '127.0.0.1');
      s.on('connect', () => { console.log('connected'); process.exit(0); });
      s.on('error', (e) => { console.log(e.code); process.exit(0); });`);
    expect(r.out.trim()).toBe('ECONNREFUSED');
    expect(connections).toBe(before);
  });

  test('leaves nothing running: a setsid double-forked daemon and a nohup child die with it', async () => {
    const mark = `tcplab-daemon-${process.pid}-${Date.now()}`;
    const r = await run(`
      import { spawn } from 'node:child_process';
      const daemon = "const { spawn } = require('node:child_process'); spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000); // ${mark}'], { detached: true, stdio: 'ignore' }).unref(); process.exit(0);";
      spawn(process.execPath, ['-e', daemon, '${mark}'], { detached: true, stdio: 'ignore' }).unref();
      spawn('/usr/bin/nohup', [process.execPath, '-e', 'setInterval(() => {}, 1000); // ${mark}'], { detached: true, stdio: 'ignore' }).unref();
      setTimeout(() => { console.log('parent exits'); process.exit(0); }, 800);`);
    expect(r.out.trim()).toBe('parent exits');
    await new Promise((res) => setTimeout(res, 300));
    expect(processesWith(mark)).toEqual([]);
  });

  test('a fork bomb is contained by the process limit and stopped with the jail', async () => {
    const mark = `tcplab-bomb-${process.pid}-${Date.now()}`;
    const p = jail(`
      import { spawn } from 'node:child_process';
      let ok = 0, failed = 0;
      const go = () => { const c = spawn(process.execPath, ['-e', 'setInterval(()=>{},1000) // ${mark}'], { detached: true, stdio: 'ignore' }); c.on('spawn', () => ok++); c.on('error', () => failed++); c.unref(); };
      for (let i = 0; i < 300; i++) go();
      setTimeout(() => console.log(JSON.stringify({ ok, failed })), 2000);
      setInterval(() => {}, 1000);`, { timeoutMs: 4000 });
    await p.exited;
    const counts = JSON.parse(p.stdout()) as { ok: number; failed: number };
    expect(counts.ok).toBeLessThan(64);
    expect(counts.failed).toBeGreaterThan(200);
    expect(p.stopped()).toBe('time');
    await new Promise((res) => setTimeout(res, 300));
    expect(processesWith(mark)).toEqual([]);
  });

  test('a flood of output is cut at the limit and the program stopped', async () => {
    // A flood that respects back-pressure: as fast as the reader takes it, for ever.
    const p = jail(`const line = 'x'.repeat(1023) + '\\n'; const go = () => { while (process.stdout.write(line)); process.stdout.once('drain', go); }; go();`, { outputLimit: 256 << 10 });
    await p.exited;
    expect(p.stopped()).toBe('output');
    expect(p.stdout().length).toBeLessThanOrEqual(256 << 10);
  });

  test('a flood that never yields dies of its own heap limit, and only the limit of its output is kept', async () => {
    const p = jail(`const line = 'x'.repeat(1023) + '\\n'; for (;;) process.stdout.write(line);`, { outputLimit: 256 << 10 });
    const code = await p.exited;
    expect(p.stdout().length).toBeLessThanOrEqual(256 << 10);
    expect(p.stopped() === 'output' || code !== 0).toBe(true);
  });

  test('an endless loop is stopped by the wall clock', async () => {
    const p = jail('for (;;) {}', { timeoutMs: 1500 });
    const t = Date.now();
    await p.exited;
    expect(p.stopped()).toBe('time');
    expect(Date.now() - t).toBeLessThan(5000);
  });

  test('memory is limited: a program that eats it dies instead of the machine', async () => {
    const r = await run('const a = []; for (;;) a.push(Buffer.alloc(16 << 20, 1));', { timeoutMs: 20_000 });
    expect(r.stopped).toBeNull();
    expect(r.code).not.toBe(0);
  });

  test('inherits no descriptor but its standard streams, and cannot make user namespaces', async () => {
    const r = await run(`
      import fs from 'node:fs';
      import { spawnSync } from 'node:child_process';
      const fds = fs.readdirSync('/proc/self/fd').map(Number).filter((fd) => { try { return !/^(anon_inode|pipe):|\\/dev\\/null/.test(fs.readlinkSync('/proc/self/fd/' + fd)) || fd < 3; } catch { return false; } });
      const unshare = spawnSync('/usr/bin/unshare', ['--user', '--map-root-user', '/usr/bin/true']);
      console.log(JSON.stringify({ fds, unshare: unshare.status }));`);
    const seen = JSON.parse(r.out) as { fds: number[]; unshare: number };
    // 0, 1, 2, and the descriptor readdir itself holds open
    expect(seen.fds.filter((fd) => fd > 2).length).toBeLessThanOrEqual(1);
    expect(seen.unshare).not.toBe(0);
  });

  test('runs as an unprivileged user when the caller is root', async () => {
    if (process.getuid?.() !== 0) return expect(tools.dropTo).toBeUndefined();
    const mark = `tcplab-uid-${process.pid}-${Date.now()}`;
    const p = jail(`import { spawn } from 'node:child_process'; spawn(process.execPath, ['-e', 'setTimeout(() => {}, 1500) // ${mark}']); setTimeout(() => {}, 1500); console.log("up");`);
    await new Promise((res) => setTimeout(res, 700));
    // As the machine sees them (host uids): the program and what it started.
    const owners = execFileSync('ps', ['-eo', 'uid=,args='], { encoding: 'utf8' }).split('\n').filter((l) => !l.includes('bwrap') && (l.includes(mark) || / \/opt\/node\/bin\/node .*\/home\/learner\/main\.mjs/.test(l)));
    await p.exited;
    expect(owners.length).toBeGreaterThanOrEqual(2);
    for (const line of owners) expect(Number(line.trim().split(/\s+/)[0])).toBe(65534);
    expect(readFileSync('/proc/self/status', 'utf8')).toMatch(/Uid:\s+0/);
  });
});

describe('a course in root\'s private home (a private home, as a fresh clone by root has)', { timeout: 30_000 }, () => {
  const isRoot = process.getuid?.() === 0;

  test('the jail binds what the unprivileged user cannot reach through root\'s own view, each path once', () => {
    const spec = nodeProgramJail({ ...tools, dropTo: { uid: 65534, gid: 65534, setpriv: '/usr/bin/setpriv', expose: true } }, { node: '/root/course/node', source: 'x', env: {}, network: 'private' });
    spec.readOnly.push({ from: '/root/course', to: '/root/course' }, { from: '/root/course', to: '/srv/again' });
    const argv = jailArgv(spec, [3]);
    const setpriv = argv.indexOf('/usr/bin/setpriv');
    const outer = argv.slice(0, setpriv);
    const inner = argv.slice(setpriv);
    expect(outer.slice(0, 3)).toEqual([tools.bwrap, '--unshare-pid', '--dev-bind']);
    expect(outer.join(' ')).toContain(`--ro-bind /root/course/node ${EXPOSED}/0 --ro-bind /root/course ${EXPOSED}/1 --die-with-parent --`);
    expect(inner.join(' ')).toContain(`--ro-bind ${EXPOSED}/0 /opt/node/bin/node`);
    expect(inner.join(' ')).toContain(`--ro-bind ${EXPOSED}/1 /root/course --ro-bind ${EXPOSED}/1 /srv/again`);
    expect(inner.slice(0, 6)).toEqual(['/usr/bin/setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', '--']);
  });

  test.runIf(isRoot)('runs there as nobody, reads what it was given and nothing else of that home, and dies whole', async () => {
    // A home only root can enter, holding the Node runtime and a file the program is given.
    const home = mkdtempSync(join(tmpdir(), 'tcplab-private-home-'));
    chmodSync(home, 0o700);
    mkdirSync(join(home, 'course'));
    copyFileSync(process.execPath, join(home, 'course', 'node'));
    chmodSync(join(home, 'course', 'node'), 0o755);
    writeFileSync(join(home, 'course', 'given.txt'), 'given');
    writeFileSync(join(home, 'diary.txt'), 'private');
    try {
      resetSupportCache();
      const s = sandboxSupport([join(home, 'course')]);
      expect(s.ok && s.tools.dropTo).toMatchObject({ uid: 65534, expose: true });
      if (!s.ok) return;
      const mark = `tcplab-home-${process.pid}-${Date.now()}`;
      const spec = nodeProgramJail(s.tools, {
        node: join(home, 'course', 'node'),
        env: {},
        network: 'private',
        source: `
          import fs from 'node:fs';
          import { spawn } from 'node:child_process';
          spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000) // ${mark}'], { detached: true, stdio: 'ignore' }).unref();
          const tryRead = (p) => { try { return fs.readFileSync(p, 'utf8'); } catch (e) { return e.code; } };
          console.log(JSON.stringify({ uid: process.getuid(), given: tryRead('/data/given.txt'), diary: tryRead(${JSON.stringify(join(home, 'diary.txt'))}), exposed: fs.existsSync('${EXPOSED}') }));
          setInterval(() => {}, 1000);`,
      });
      spec.readOnly.push({ from: join(home, 'course'), to: '/data' });
      const p = startJailed(spec, { outputLimit: 1 << 16, timeoutMs: 15_000 });
      for (let i = 0; i < 100 && !p.stdout().includes('}'); i++) await new Promise((r) => setTimeout(r, 50));
      expect(JSON.parse(p.stdout())).toEqual({ uid: 65534, given: 'given', diary: 'ENOENT', exposed: false });
      expect((await untilSeen(mark)).length).toBeGreaterThan(0);
      p.kill();
      await p.exited;
      await new Promise((r) => setTimeout(r, 200));
      expect(processesWith(mark)).toEqual([]);
    } finally {
      resetSupportCache();
      rmSync(home, { recursive: true, force: true });
    }
  });

  test.runIf(isRoot)('a jail through root\'s view dies whole with the process that started it (a grader killed outright)', async () => {
    const mark = `tcplab-orphaned-${process.pid}-${Date.now()}`;
    const here = import.meta.dirname;
    // A grader of its own, forced through root's view, killed with SIGKILL once its jail's daemon runs.
    const grader = join(secretDir, 'grader.ts');
    writeFileSync(grader, `
      import { sandboxSupport } from ${JSON.stringify(join(here, 'support.ts'))};
      import { nodeProgramJail } from ${JSON.stringify(join(here, 'node-jail.ts'))};
      import { startJailed } from ${JSON.stringify(join(here, 'jailed-process.ts'))};
      const s = sandboxSupport();
      if (!s.ok || !s.tools.dropTo) throw new Error('no jail as nobody here');
      const tools = { ...s.tools, dropTo: { ...s.tools.dropTo, expose: true } };
      startJailed(nodeProgramJail(tools, { node: process.execPath, env: { MARK: ${JSON.stringify(mark)} }, network: 'private',
        source: "import { spawn } from 'node:child_process'; spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000) // ${mark}-daemon'], { detached: true, stdio: 'ignore' }).unref(); setInterval(() => {}, 1000);" }),
        { outputLimit: 1 << 16, timeoutMs: 60_000 });
      setInterval(() => {}, 1000);`);
    const child = spawn(process.execPath, [grader], { stdio: 'ignore' });
    try {
      expect((await untilSeen(`${mark}-daemon`)).length).toBe(1);
      // bubblewrap of root's view and the jail's bubblewrap carry the mark too (--setenv), besides the daemon.
      expect(processesWith(mark).some((l) => l.includes('--dev-bind / /'))).toBe(true);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      for (let waited = 0; waited < 3000 && processesWith(mark).length > 0; waited += 50) await new Promise((r) => setTimeout(r, 50));
      expect(processesWith(mark)).toEqual([]);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('a kill at any moment of the start', { timeout: 60_000 }, () => {
  test('leaves no jail behind, even one killed the instant bubblewrap started', async () => {
    const mark = `tcplab-early-${process.pid}-${Date.now()}`;
    const program = `import { spawn } from 'node:child_process'; spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000) // ${mark}'], { detached: true, stdio: 'ignore' }).unref(); setInterval(() => {}, 1000);`;
    for (let i = 0; i < 24; i++) {
      // The mark in the environment puts it on bubblewrap's own command line too (--setenv): a bubblewrap
      // left waiting for a parent that was killed is found as well as a daemon.
      const p = jail(program, { env: { MARK: mark } });
      // From at once to well after the program started: the kill lands in every phase of bubblewrap's set-up.
      const delay = i % 8 === 0 ? 0 : (i % 8) * 15;
      if (delay === 0) p.kill();
      else await new Promise((r) => setTimeout(r, delay)).then(() => p.kill());
      await p.exited;
    }
    // And one killed once its daemon surely runs: the check below is one that can find something.
    const last = jail(program, { env: { MARK: mark } });
    expect((await untilSeen(mark)).length).toBeGreaterThan(0);
    last.kill();
    await last.exited;
    await new Promise((r) => setTimeout(r, 300));
    expect(processesWith(mark)).toEqual([]);
  });
});
