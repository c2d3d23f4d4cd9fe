import { load, ready } from '../lazy.ts';
import { quoteBytes } from '../../kernel/scenario/quote.ts';
import type { ProcCall } from '../../kernel/scenario/ast.ts';
import { done, type Command } from '../types.ts';

const HELP_TEXT = `Type one socket call per line (the calls of a scenario script):
  s = socket                      create a socket named s
  bind s 127.0.0.1:8080           listen s [backlog]        a = accept s
  connect s 127.0.0.1:8080        send s "text\\n"           recv s 100
  shutdown s SHUT_RD|SHUT_WR|SHUT_RDWR                     linger s 0
  reuseaddr s                     close s                   sockets
  keepalive s on idle=60 intvl=5 cnt=3                      keepalive s off
  usertimeout s 3000ms            reuseport s               linger2 s 5
  t = dup s                       (a second descriptor for the socket s)
Calls that would block wait (Ctrl-C gives up waiting). Ctrl-D or "exit" ends the program,
which closes every socket it still holds.
`;

/** The calls that take a socket name first. */
const CALLS = ['bind', 'listen', 'connect', 'send', 'recv', 'shutdown', 'linger', 'reuseaddr', 'close'];

/**
 * `sock`: an interactive program whose every line is one socket call, answered the way the scenario
 * runner prints results (3, 0, "hello\\n", EOF, ECONNRESET …). It lets a learner make calls nc cannot,
 * such as shutdown(SHUT_RD) or SO_LINGER {1, 0}.
 */
export const sock: Command = (env) => {
  if (env.argv.length > 1 && env.argv[1] !== '-q') {
    env.err('usage: sock   (then type calls; "help" lists them)\n');
    return done(2);
  }
  const sys = env.world.sys;
  const k = env.world.kernel;
  const pid = env.spawn('sock');
  const fds = new Map<string, number>();
  let status: number | null = null;
  let waiting: { text: string; poll: () => string | null } | null = null;
  const prompt = () => env.out('sock> ');
  if (env.argv[1] !== '-q') env.out('sock: one socket call per line ("help" lists them, Ctrl-D ends)\n');
  prompt();

  const exit = (s: number) => {
    if (status !== null) return;
    status = s;
    sys.exit(pid);
  };
  const answer = (text: string) => {
    env.out(`${text}\n`);
  };

  const start = (call: ProcCall): (() => string | null) | string => {
    if (call.op === 'socket') {
      const r = sys.socket(pid);
      if (!r.ok) return r.errno;
      fds.set(call.name, r.value);
      return String(r.value);
    }
    const fd = fds.get(call.sock);
    if (fd === undefined) return `no socket named ${call.sock}: create it with "${call.sock} = socket"`;
    const errno = (r: { ok: boolean; errno?: string }) => (r.ok ? '0' : r.errno!);
    switch (call.op) {
      case 'bind':
        return errno(sys.bind(pid, fd, call.addr));
      case 'listen':
        return errno(sys.listen(pid, fd, call.backlog ?? 128));
      case 'reuseaddr':
        return errno(sys.reuseaddr(pid, fd));
      case 'linger':
        return errno(sys.linger(pid, fd, call.seconds));
      case 'shutdown':
        return errno(sys.shutdown(pid, fd, call.how));
      case 'keepalive':
      case 'usertimeout':
      case 'reuseport':
      case 'linger2':
        return errno(sys.sockopt(pid, fd, call));
      case 'close':
        return errno(sys.close(pid, fd));
      case 'connect': {
        const r = sys.connect(pid, fd, call.addr);
        if (!r.ok) return r.errno;
        return () => {
          const c = k.connectResult(pid, fd);
          if (!c.ok) return c.errno;
          return c.value === 'pending' ? null : '0';
        };
      }
      case 'dup': {
        const r = sys.dup(pid, fd);
        if (!r.ok) return r.errno;
        fds.set(call.name, r.value);
        return String(r.value);
      }
      case 'accept':
        return () => {
          const r = sys.accept(pid, fd);
          if (!r.ok) return r.errno === 'EAGAIN' ? null : r.errno;
          fds.set(call.name, r.value.fd);
          return `${r.value.fd} (from ${r.value.peer})`;
        };
      case 'send': {
        let offset = 0;
        return () => {
          const r = sys.send(pid, fd, call.data.subarray(offset));
          if (!r.ok) return r.errno === 'EAGAIN' ? null : offset > 0 ? String(offset) : r.errno;
          offset += r.value;
          return offset >= call.data.length ? String(offset) : null;
        };
      }
      case 'recv':
        return () => {
          const r = sys.recv(pid, fd, call.max);
          if (!r.ok) return r.errno === 'EAGAIN' ? null : r.errno;
          return r.value.length === 0 ? 'EOF' : quoteBytes(r.value);
        };
    }
  };

  const line = (text: string) => {
    const t = text.trim();
    if (t === '') return prompt();
    if (t === 'exit' || t === 'quit') return exit(0);
    if (t === 'help') {
      env.out(HELP_TEXT);
      return prompt();
    }
    if (t === 'sockets') {
      for (const [name, fd] of fds) env.out(`${name} = fd ${fd}: ${k.socketOf(pid, fd) === undefined ? 'closed' : k.stateOf(k.socketOf(pid, fd)!)}\n`);
      return prompt();
    }
    const parsed = parser!.parseCallText(t);
    if (!parsed.ok) {
      env.err(`sock: ${parsed.error}\n`);
      return prompt();
    }
    const r = start(parsed.call);
    if (typeof r === 'string') {
      answer(r);
      return prompt();
    }
    const first = r();
    if (first !== null) {
      answer(first);
      return prompt();
    }
    waiting = { text: t, poll: r };
  };

  let pendingLines: string[] = [];
  // The call parser loads on first use; lines typed before it is there wait in pendingLines.
  let parser = ready('parse');
  if (!parser)
    void load('parse').then((m) => {
      parser = m;
      env.world.notify();
    });
  return {
    pid,
    get status() {
      return status;
    },
    tick() {
      if (status !== null) return;
      if (waiting) {
        const r = waiting.poll();
        if (r === null) return;
        waiting = null;
        answer(r);
        prompt();
      }
      while (parser && !waiting && pendingLines.length > 0 && status === null) line(pendingLines.shift()!);
    },
    stdin(text) {
      pendingLines.push(...text.split('\n').filter((_, i, a) => i < a.length - 1 || a[i] !== ''));
      this.tick();
    },
    eof() {
      exit(0);
    },
    complete(text, cursor) {
      // The calls first; then, after a call, the names of this program's sockets.
      const before = text.slice(0, cursor);
      const start = before.length - (/\S*$/.exec(before)![0].length);
      const words = before.slice(0, start).trim().split(/\s+/).filter(Boolean);
      const names = [...fds.keys()];
      if (words.length === 0) return { start, candidates: [...CALLS, 'help', 'sockets', 'exit', ...names] };
      if (words[1] === '=') return { start, candidates: words.length === 2 ? ['socket', 'accept'] : names };
      if (words.length === 1) return { start, candidates: names };
      if (words[0] === 'shutdown' && words.length === 2) return { start, candidates: ['SHUT_RD', 'SHUT_WR', 'SHUT_RDWR'] };
      return { start, candidates: [] };
    },
    signal(sig) {
      if (sig === 'INT' && waiting) {
        waiting = null;
        pendingLines = [];
        env.out('^C (interrupted)\n');
        prompt();
        return;
      }
      exit(sig === 'KILL' ? 137 : sig === 'TERM' ? 143 : 130);
    },
  };
};
