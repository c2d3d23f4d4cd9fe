import { formatNetstat } from '../../kernel/render/netstat.ts';
import { formatSs, SS_FILTER_STATES } from '../../kernel/render/ss.ts';
import type { TcpState } from '../../kernel/types.ts';
import { afterLoading } from '../lazy.ts';
import { done, type Command } from '../types.ts';
import { getopt } from './getopt.ts';
import { procPath } from './proc-path.ts';

/** `ss` (iproute2): -t -a -n -l -o -p -H and `state NAME` filters. */
export const ss: Command = (env) => {
  const opts: string[] = [];
  const filter: string[] = [];
  let inFilter = false;
  for (const a of env.argv.slice(1)) {
    if (!inFilter && a.startsWith('-')) opts.push(a);
    else {
      inFilter = true;
      filter.push(a);
    }
  }
  const parsed = getopt(opts, 'tanlopH4ehxuwrs');
  if (!parsed.ok) return afterLoading(env, 'help', ({ USAGE }) => (env.err(`ss: ${parsed.error}\n${USAGE.ss}`), done(255)));
  if (parsed.flags.has('h')) return afterLoading(env, 'help', ({ USAGE }) => (env.out(USAGE.ss), done(0)));
  let states: TcpState[] | undefined;
  for (let i = 0; i < filter.length; i++) {
    if (filter[i] === 'state' || filter[i] === 'exclude') {
      const name = filter[++i];
      const set = name ? SS_FILTER_STATES[name] : undefined;
      if (!set) {
        env.err(`ss: wrong state name: ${name ?? ''}\n`);
        return done(255);
      }
      states = filter[i - 1] === 'exclude' ? (states ?? SS_FILTER_STATES['all']!).filter((s) => !set.includes(s)) : [...(states && filter[i - 1] === 'state' && i > 1 ? states : []), ...set];
    } else {
      env.err(`ss: bad filter expression near "${filter[i]}"\n`);
      return done(255);
    }
  }
  const f = parsed.flags;
  // Service names (without -n) come from a table loaded on first use.
  if (!f.has('n')) return afterLoading(env, 'services', (m) => ssNow(env, f, states, m.serviceName));
  return ssNow(env, f, states, undefined);
};

function ssNow(env: Parameters<Command>[0], f: Set<string>, states: TcpState[] | undefined, serviceName: ((port: number) => string | null) | undefined) {
  const sockets = env.world.kernel.sockets();
  if (f.has('u') || f.has('w') || f.has('x')) {
    env.out('Netid State Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n');
    return done(0);
  }
  const range = (env.world.kernel.sysctl.get('net.ipv4.ip_local_port_range') ?? '32768 60999').split(/\s+/).map(Number);
  const text = formatSs(sockets, {
    all: f.has('a'),
    listening: f.has('l'),
    timers: f.has('o'),
    processes: f.has('p'),
    noHeader: f.has('H'),
    numeric: f.has('n'),
    allKinds: !f.has('t'),
    ...(states ? { states } : {}),
    ...(env.columns !== undefined ? { screenWidth: env.columns } : {}),
    ...(range.length === 2 ? { ephemeral: [range[0]!, range[1]!] as [number, number] } : {}),
    ...(serviceName ? { serviceName } : {}),
  });
  env.out(text === '' ? '' : `${text}\n`);
  return done(0);
}

/** `netstat` (net-tools): -n -t -a -l -o -p. */
export const netstat: Command = (env) => {
  const parsed = getopt(env.argv.slice(1), 'ntalopeuw');
  if (!parsed.ok) {
    env.err(`netstat: ${parsed.error}\nusage: netstat [-vWeenNcCF] [<Af>] -r\n       netstat [-vWnNcaeol] [<Socket> ...]\n`);
    return done(1);
  }
  const f = parsed.flags;
  env.out(`${formatNetstat(env.world.kernel.sockets(), { all: f.has('a'), listening: f.has('l'), timers: f.has('o'), processes: f.has('p') })}\n`);
  return done(0);
};

/** `echo`, including `echo 5 > /proc/sys/net/ipv4/tcp_fin_timeout`. */
export const echo: Command = (env) => {
  let args = env.argv.slice(1);
  let newline = true;
  if (args[0] === '-n') {
    newline = false;
    args = args.slice(1);
  }
  const text = args.join(' ') + (newline ? '\n' : '');
  if (env.redirect) {
    const key = procPath(env.redirect);
    if (!key || !env.world.kernel.sysctl.has(key)) {
      env.err(`bash: ${env.redirect}: ${key ? 'No such file or directory' : 'Read-only file system'}\n`);
      return done(1);
    }
    const r = env.world.sys.sysctl(key, text.trim());
    if (!r.ok) {
      env.err(`bash: echo: write error: ${r.message}\n`);
      return done(1);
    }
    return done(0);
  }
  env.out(text);
  return done(0);
};

/** `sleep N` on the lab clock (fractions allowed, like GNU sleep; suffixes s m h). */
export const sleep: Command = (env) => {
  const arg = env.argv[1];
  const m = arg ? /^(\d+(?:\.\d+)?)([smh]?)$/.exec(arg) : null;
  if (!m) {
    env.err(arg ? `sleep: invalid time interval '${arg}'\nTry 'sleep --help' for more information.\n` : "sleep: missing operand\nTry 'sleep --help' for more information.\n");
    return done(1);
  }
  const seconds = Number(m[1]) * (m[2] === 'm' ? 60 : m[2] === 'h' ? 3600 : 1);
  const pid = env.spawn('sleep');
  const until = env.world.now() + Math.round(seconds * 1e6);
  env.world.wakeAt(until);
  let status: number | null = null;
  const finish = (s: number) => {
    if (status !== null) return;
    status = s;
    env.world.sys.exit(pid);
  };
  return {
    pid,
    get status() {
      return status;
    },
    tick() {
      if (env.world.now() >= until) finish(0);
    },
    signal(sig) {
      finish(sig === 'KILL' ? 137 : sig === 'TERM' ? 143 : 130);
    },
  };
};

/** `help` and `man`: one line per command. */
export const help: Command = (env) => afterLoading(env, 'help', ({ HELP, HELP_GROUPS, HELP_KEYS }) => {
  const name = env.argv[1];
  if (!name) {
    // Short enough for a phone's terminal: one line per group, the details with `help COMMAND`.
    env.out(`${HELP_GROUPS.map(([group, names]) => `  ${`${group}:`.padEnd(13)}${names.join('  ')}`).join('\n')}\n`.replace(/^/, 'Commands on this lab machine (help COMMAND explains one):\n') + HELP_KEYS);
    return done(0);
  }
  const h = HELP[name];
  if (!h) {
    env.err(env.argv[0] === 'man' ? `No manual entry for ${name}\n` : `bash: help: no help topics match \`${name}'.\n`);
    return done(env.argv[0] === 'man' ? 16 : 1);
  }
  env.out(`${name} - ${h.summary}\nusage: ${h.usage}\n`);
  return done(0);
});

export const clear: Command = (env) => {
  env.services.clear();
  return done(0);
};

export const trueCmd: Command = () => done(0);
export const falseCmd: Command = () => done(1);

