import { ERRNO_TEXT, type Errno } from '../../kernel/types.ts';
import { done, type Command } from '../types.ts';
import { afterLoading } from '../lazy.ts';
import { getopt } from './getopt.ts';

const SERVICES: Record<number, string> = { 22: 'ssh', 25: 'smtp', 80: 'http', 443: 'https', 8080: 'http-alt' };
const enc = new TextEncoder();
const dec = new TextDecoder();

function resolveHost(host: string): string | null {
  if (host === 'localhost') return '127.0.0.1';
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) ? host : null;
}

/**
 * OpenBSD netcat as Debian ships it (netcat-openbsd): connect (or listen with -l, once) and relay the
 * terminal to the socket, following netcat.c's readwrite(): on network EOF it stops reading the socket;
 * a listener then exits, a client keeps going until its input ends (Ctrl-D) or a write fails.
 * With -N, the end of input half-closes the connection (shutdown SHUT_WR). -z connects and closes.
 */
export const nc: Command = (env) => {
  const parsed = getopt(env.argv.slice(1), '46CDdFhklNnrStUuvZzI:i:M:m:O:P:p:q:s:T:V:W:w:X:x:');
  if (!parsed.ok) return afterLoading(env, 'help', ({ USAGE }) => (env.err(`nc: ${parsed.error}\n${USAGE.nc}`), done(1)));
  const f = parsed.flags;
  if (f.has('h')) return afterLoading(env, 'help', ({ USAGE }) => (env.err(`OpenBSD netcat (Debian patchlevel 1.219-1)\n${USAGE.nc}`), done(1)));
  if (f.has('u')) {
    env.err('nc: UDP is not modelled in this lab: it is about TCP\n');
    return done(1);
  }
  const listen = f.has('l');
  const verbose = f.has('v');
  const ops = parsed.operands;
  const pOpt = parsed.values.get('p');
  let host: string | null = null;
  let port: number | null = null;
  if (listen) {
    if (ops.length === 2) {
      host = resolveHost(ops[0]!);
      port = Number(ops[1]);
    } else if (ops.length === 1) port = Number(ops[0]);
    else if (ops.length === 0 && pOpt !== undefined) port = Number(pOpt);
  } else if (ops.length === 2) {
    host = resolveHost(ops[0]!);
    port = Number(ops[1]);
    if (host === null) {
      env.err(`nc: getaddrinfo for host "${ops[0]}" port ${ops[1]}: Name or service not known\n`);
      return done(1);
    }
  }
  if (port === null || (!listen && host === null)) return afterLoading(env, 'help', ({ USAGE }) => (env.err(USAGE.nc), done(1)));
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    env.err(`nc: port number invalid: ${listen && ops.length === 0 ? pOpt : ops.at(-1)}\n`);
    return done(1);
  }
  const srcPort = pOpt !== undefined && !listen ? Number(pOpt) : null;
  if (srcPort !== null && (!Number.isInteger(srcPort) || srcPort < 1 || srcPort > 65535)) {
    env.err(`nc: port number invalid: ${pOpt}\n`);
    return done(1);
  }

  const sys = env.world.sys;
  const k = env.world.kernel;
  const pid = env.spawn('nc');
  let status: number | null = null;
  let fd = -1;
  let lfd = -1;
  let phase: 'connecting' | 'listening' | 'relay' = 'connecting';
  let stdinBuf = '';
  let stdinGone = false;
  let netInGone = false;
  let netOutGone = false;
  let stdoutGone = false;

  const exit = (s: number) => {
    if (status !== null) return;
    status = s;
    sys.exit(pid);
  };
  const fail = (what: string, errno: Errno) => {
    env.err(`nc: ${what}: ${ERRNO_TEXT[errno]}\n`);
    exit(1);
  };

  if (listen) {
    const s = sys.socket(pid);
    if (!s.ok) return (fail('socket', s.errno), self());
    lfd = s.value;
    sys.reuseaddr(pid, lfd);
    const addr = `${host ?? '0.0.0.0'}:${port}`;
    const b = sys.bind(pid, lfd, addr);
    if (!b.ok) {
      env.err(`nc: ${ERRNO_TEXT[b.errno]}\n`);
      exit(1);
      return self();
    }
    const l = sys.listen(pid, lfd, 1);
    if (!l.ok) return (fail('listen', l.errno), self());
    if (verbose) env.err(`Listening on ${host ?? '0.0.0.0'} ${port}\n`);
    phase = 'listening';
  } else {
    const s = sys.socket(pid);
    if (!s.ok) return (fail('socket', s.errno), self());
    fd = s.value;
    if (srcPort !== null) {
      sys.reuseaddr(pid, fd);
      const b = sys.bind(pid, fd, `0.0.0.0:${srcPort}`);
      if (!b.ok) return (fail('bind failed', b.errno), self());
    }
    const c = sys.connect(pid, fd, `${host}:${port}`);
    if (!c.ok) {
      if (verbose) env.err(`nc: connect to ${host} port ${port} (tcp) failed: ${ERRNO_TEXT[c.errno]}\n`);
      exit(1);
    }
  }

  function relay(): void {
    // Terminal → network.
    if (!netOutGone && stdinBuf.length > 0) {
      const bytes = enc.encode(stdinBuf);
      const r = sys.send(pid, fd, bytes);
      if (r.ok) stdinBuf = dec.decode(bytes.subarray(r.value));
      else if (r.errno !== 'EAGAIN') {
        netOutGone = true;
        stdinBuf = '';
      }
    }
    // Network → terminal.
    while (!netInGone) {
      const r = sys.recv(pid, fd, 16384);
      if (r.ok) {
        if (r.value.length === 0) {
          netInGone = true;
          sys.shutdown(pid, fd, 'SHUT_RD');
        } else if (!stdoutGone) env.out(dec.decode(r.value));
        continue;
      }
      if (r.errno !== 'EAGAIN') netInGone = true;
      break;
    }
    if (netInGone) stdoutGone = true;
    // A POLLHUP on the socket ends the network output too.
    const p = k.poll(pid, fd);
    if (p.ok && p.value.hup && !netOutGone) {
      if (f.has('N')) sys.shutdown(pid, fd, 'SHUT_WR');
      netOutGone = true;
    }
    // End of terminal input: with -N, half-close.
    if (stdinGone && stdinBuf.length === 0 && !netOutGone) {
      if (f.has('N')) sys.shutdown(pid, fd, 'SHUT_WR');
      netOutGone = true;
    }
    if ((stdinGone && netInGone) || (netOutGone && stdoutGone) || (listen && netInGone)) exit(0);
  }

  function tick(): void {
    if (status !== null) return;
    if (phase === 'listening') {
      const a = sys.accept(pid, lfd);
      if (!a.ok) return;
      fd = a.value.fd;
      if (verbose) {
        const [ip, p] = [a.value.peer.slice(0, a.value.peer.lastIndexOf(':')), a.value.peer.slice(a.value.peer.lastIndexOf(':') + 1)];
        env.err(`Connection received on ${ip} ${p}\n`);
      }
      if (!f.has('k')) sys.close(pid, lfd);
      phase = 'relay';
    }
    if (phase === 'connecting') {
      const r = k.connectResult(pid, fd);
      if (!r.ok) {
        if (verbose) env.err(`nc: connect to ${host} port ${port} (tcp) failed: ${ERRNO_TEXT[r.errno]}\n`);
        exit(1);
        return;
      }
      if (r.value === 'pending') return;
      if (verbose) env.err(`Connection to ${host} ${port} port [tcp/${f.has('n') ? '*' : (SERVICES[port!] ?? '*')}] succeeded!\n`);
      if (f.has('z')) {
        exit(0);
        return;
      }
      phase = 'relay';
    }
    if (phase === 'relay') relay();
  }

  function self() {
    return {
      pid,
      get status() {
        return status;
      },
      tick,
      stdin(text: string) {
        if (!stdinGone) stdinBuf += text;
        tick();
      },
      eof() {
        stdinGone = true;
        tick();
      },
      signal(sig: 'INT' | 'TERM' | 'KILL') {
        exit(sig === 'KILL' ? 137 : sig === 'TERM' ? 143 : 130);
      },
    };
  }
  return self();
};
