/**
 * Commands a lab session seldom runs (process control, fault injection, the kernel log, descriptors, reading
 * and setting sysctls): they load on first use (lazy.ts), so a lab that never runs them never fetches them.
 */
import { formatSockstat } from '../../kernel/render/sockstat.ts';
import { done, type Command } from '../types.ts';
import { getopt } from './getopt.ts';
import { procPath } from './proc-path.ts';

export { ls } from './ls.ts';

/** `ps`: the processes of the lab machine. */
export const ps: Command = (env) => {
  const lines = ['    PID TTY          TIME CMD'];
  for (const p of env.world.kernel.processes()) lines.push(`${String(p.pid).padStart(7)} pts/0    00:00:00 ${p.name}`);
  env.out(`${lines.join('\n')}\n`);
  return done(0);
};

const SIGNALS: Record<string, 'INT' | 'TERM' | 'KILL'> = { '9': 'KILL', KILL: 'KILL', SIGKILL: 'KILL', '15': 'TERM', TERM: 'TERM', SIGTERM: 'TERM', '2': 'INT', INT: 'INT', SIGINT: 'INT' };

/** `kill [-9|-KILL|-s SIG] PID|%JOB …`: the process ends; its kernel closes every descriptor it held. */
export const kill: Command = (env) => {
  let args = env.argv.slice(1);
  let sig: 'INT' | 'TERM' | 'KILL' = 'TERM';
  if (args[0] === '-l') {
    env.out(' 2) SIGINT\t 9) SIGKILL\t15) SIGTERM\n');
    return done(0);
  }
  if (args[0] === '-s' && args[1]) {
    const s = SIGNALS[args[1].toUpperCase()];
    if (!s) {
      env.err(`bash: kill: ${args[1]}: invalid signal specification\n`);
      return done(1);
    }
    sig = s;
    args = args.slice(2);
  } else if (args[0]?.startsWith('-')) {
    const s = SIGNALS[args[0].slice(1).toUpperCase()];
    if (!s) {
      env.err(`bash: kill: ${args[0].slice(1)}: invalid signal specification\n`);
      return done(1);
    }
    sig = s;
    args = args.slice(1);
  }
  if (args.length === 0) {
    env.err('kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n');
    return done(2);
  }
  let status = 0;
  for (const target of args) {
    if (!/^(%\d+|\d+)$/.test(target)) {
      env.err(`bash: kill: ${target}: arguments must be process or job IDs\n`);
      status = 1;
    } else if (!env.services.killTarget(target, sig)) {
      env.err(target.startsWith('%') ? `bash: kill: ${target}: no such job\n` : `bash: kill: (${target}) - No such process\n`);
      status = 1;
    }
  }
  return done(status);
};

export const history: Command = (env) => {
  env.services.history().forEach((line, i) => env.out(`${String(i + 1).padStart(5)}  ${line}\n`));
  return done(0);
};

export const jobs: Command = (env) => {
  for (const j of env.services.jobs()) env.out(`[${j.id}]+  ${j.state.padEnd(24)}${j.text}\n`);
  return done(0);
};

const DROP_USAGE =
  'usage: drop next|all FLAGS from PORT   (FLAGS in tcpdump notation: S S. . P. F. FP. R R. any)\n       drop clear                       (the network delivers everything again)\n';

/**
 * `drop next FLAGS from PORT`, `drop all FLAGS from PORT`, `drop clear`: lab-only fault injection (a real
 * machine would use nftables). `all` makes whatever uses the port go silent — a crashed host, a partition —
 * until `drop clear`.
 */
export const drop: Command = (env) => {
  const [, mode, flags, from, port] = env.argv;
  const FLAGS = ['S', 'S.', '.', 'P.', 'F.', 'FP.', 'R', 'R.', 'any'];
  const k = env.world.kernel;
  if (mode === 'clear' && env.argv.length === 2) {
    env.world.sys.undropAll();
    env.out('no more segments will be lost\n');
    return done(0);
  }
  if ((mode !== 'next' && mode !== 'all') || !flags || !FLAGS.includes(flags) || from !== 'from' || !port || !/^\d+$/.test(port)) {
    env.err(DROP_USAGE);
    return done(2);
  }
  const f = flags === 'any' ? null : flags;
  // `all` also covers the port's listener, so connections it accepts later are silent too.
  const socks = k.sockets().filter((s) => s.local.endsWith(`:${port}`) && (mode === 'all' || s.state !== 'LISTEN'));
  if (socks.length === 0) {
    env.err(`drop: no ${mode === 'all' ? 'socket' : 'connection'} uses local port ${port}\n`);
    return done(1);
  }
  for (const s of socks) {
    if (mode === 'next') {
      if (s.owner) env.world.sys.dropNext(s.owner.pid, s.owner.fd, f);
      else k.dropNext(s.id, f);
    } else if (s.owner) env.world.sys.dropAll(s.owner.pid, s.owner.fd, f);
    else k.dropAll(s.id, f);
  }
  env.out(mode === 'next' ? `the next ${flags} segment from port ${port} will be lost\n` : `every ${flags === 'any' ? '' : `${flags} `}segment from port ${port} will be lost (drop clear stops it)\n`);
  return done(0);
};

/** `dmesg`: the kernel log, as `[seconds.micros] message` (the lab's clock stands in for the time since boot). */
export const dmesg: Command = (env) => {
  if (env.argv.length > 1) {
    env.err(`dmesg: options are not supported in this lab\n`);
    return done(1);
  }
  for (const m of env.world.kernel.messages) {
    const secs = Math.floor(m.t / 1e6);
    env.out(`[${String(secs).padStart(5)}.${String(Math.floor(m.t % 1e6)).padStart(6, '0')}] ${m.text}\n`);
  }
  return done(0);
};

/** `cat` of /proc/sys files (the kernel's sysctls) and /proc/net/sockstat; nothing else exists on this lab machine. */
export const cat: Command = (env) => {
  const files = env.argv.slice(1);
  if (files.length === 0) {
    env.err('cat: reading standard input is not supported in this lab\n');
    return done(1);
  }
  let status = 0;
  for (const file of files) {
    if (file === '/proc/net/sockstat') {
      env.out(formatSockstat(env.world.kernel));
      continue;
    }
    const key = procPath(file);
    const value = key ? env.world.kernel.sysctl.get(key) : undefined;
    if (value === undefined) {
      env.err(`cat: ${file}: No such file or directory\n`);
      status = 1;
    } else env.out(`${value}\n`);
  }
  return done(status);
};

/** `sysctl key`, `sysctl -w key=value`, `sysctl key=value` (as root), `sysctl -a`. */
export const sysctl: Command = (env) => {
  const parsed = getopt(env.argv.slice(1), 'wanq');
  if (!parsed.ok) {
    env.err(`sysctl: ${parsed.error}\nUsage:\n sysctl [options] [variable[=value] ...]\n`);
    return done(2);
  }
  const k = env.world.kernel;
  const quiet = parsed.flags.has('q');
  const valueOnly = parsed.flags.has('n');
  if (parsed.flags.has('a')) {
    for (const [key, value] of k.sysctl.entries()) env.out(`${key} = ${value}\n`);
    return done(0);
  }
  if (parsed.operands.length === 0) {
    env.err('sysctl: no variables specified\nTry `sysctl --help\' for more information.\n');
    return done(2);
  }
  let status = 0;
  for (const op of parsed.operands) {
    const eq = op.indexOf('=');
    if (eq >= 0) {
      const key = op.slice(0, eq).trim();
      const value = op.slice(eq + 1).trim();
      if (!k.sysctl.has(key)) {
        env.err(`sysctl: cannot stat /proc/sys/${key.replace(/\./g, '/')}: No such file or directory\n`);
        status = 255;
        continue;
      }
      const r = env.world.sys.sysctl(key, value);
      if (!r.ok) {
        env.err(`sysctl: setting key "${key}": ${r.message}\n`);
        status = 255;
        continue;
      }
      if (!quiet) env.out(`${key} = ${r.value}\n`);
    } else {
      const value = k.sysctl.get(op);
      if (value === undefined) {
        env.err(`sysctl: cannot stat /proc/sys/${op.replace(/\./g, '/')}: No such file or directory\n`);
        status = 255;
      } else env.out(valueOnly ? `${value}\n` : `${op} = ${value}\n`);
    }
  }
  return done(status);
};
