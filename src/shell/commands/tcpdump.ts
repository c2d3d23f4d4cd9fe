import { clockStamp, formatTcpdumpLine } from '../../kernel/render/tcpdump.ts';
import type { SegmentEvent } from '../../kernel/trace.ts';
import { done, type Command } from '../types.ts';
import { getopt } from './getopt.ts';

const SERVICES: Record<string, string> = { '22': 'ssh', '80': 'http', '443': 'https', '8080': 'http-alt' };

/** tcpdump 4.99 on lo: prints every segment live until Ctrl-C (or -c N), then the capture statistics. */
export const tcpdump: Command = (env) => {
  const parsed = getopt(env.argv.slice(1), 'i:nSc:tvlUA');
  if (!parsed.ok) {
    env.err(`tcpdump: ${parsed.error}\ntcpdump version 4.99.3\nUsage: tcpdump [-AnStUv] [-c count] [-i interface] [ expression ]\n`);
    return done(1);
  }
  const iface = parsed.values.get('i') ?? 'lo';
  if (iface !== 'lo' && iface !== 'any') {
    env.err(`tcpdump: ${iface}: No such device exists\n(SIOCGIFHWADDR: No such device)\n`);
    return done(1);
  }
  const countArg = parsed.values.get('c');
  const count = countArg === undefined ? Infinity : Number(countArg);
  if (!Number.isInteger(count) && count !== Infinity) {
    env.err(`tcpdump: invalid packet count ${countArg}\n`);
    return done(1);
  }
  // A small filter language: [tcp] [and] [port N | src port N | dst port N | host A] joined by and.
  const expr = parsed.operands.filter((w) => w !== 'and' && w !== 'tcp');
  const tests: Array<(e: SegmentEvent) => boolean> = [];
  for (let i = 0; i < expr.length; i++) {
    const w = expr[i]!;
    const next = expr[i + 1];
    const portOf = (ep: string) => ep.slice(ep.lastIndexOf(':') + 1);
    if (w === 'port' && next && /^\d+$/.test(next)) {
      tests.push((e) => portOf(e.src) === next || portOf(e.dst) === next);
      i++;
    } else if ((w === 'src' || w === 'dst') && next === 'port' && expr[i + 2] && /^\d+$/.test(expr[i + 2]!)) {
      const p = expr[i + 2]!;
      tests.push((e) => portOf(w === 'src' ? e.src : e.dst) === p);
      i += 2;
    } else if (w === 'host' && next) {
      tests.push((e) => e.src.startsWith(`${next}:`) || e.dst.startsWith(`${next}:`));
      i++;
    } else {
      env.err(`tcpdump: syntax error in filter expression: syntax error\n`);
      return done(1);
    }
  }
  // -n: numeric hosts; -nn: numeric ports too.
  const nCount = env.argv
    .slice(1)
    .filter((a) => /^-[a-zA-Z]+$/.test(a))
    .join('')
    .split('')
    .filter((c) => c === 'n').length;
  const numericHosts = nCount >= 1;
  const numericPorts = nCount >= 2;
  const name = (line: string) => {
    if (numericHosts && numericPorts) return line;
    return line.replace(/(\d+\.\d+\.\d+\.\d+)\.(\d+)/g, (_, ip: string, port: string) => {
      const host = !numericHosts && ip === '127.0.0.1' ? 'localhost' : ip;
      const svc = !numericPorts && SERVICES[port] ? SERVICES[port] : port;
      return `${host}.${svc}`;
    });
  };
  const pid = env.spawn('tcpdump');
  let status: number | null = null;
  let captured = 0;
  env.err(`tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\nlistening on ${iface}, link-type ${iface === 'any' ? 'LINUX_SLL2 (Linux cooked v2)' : 'EN10MB (Ethernet)'}, snapshot length 262144 bytes\n`);
  const stop = (s: number) => {
    if (status !== null) return;
    status = s;
    unsubscribe();
    env.err(`\n${captured} packet${captured === 1 ? '' : 's'} captured\n${captured * 2} packets received by filter\n0 packets dropped by kernel\n`);
    env.world.sys.exit(pid);
  };
  const unsubscribe = env.world.kernel.trace.subscribe((e) => {
    if (status !== null || e.kind !== 'segment' || e.dropped) return;
    if (!tests.every((t) => t(e))) return;
    captured++;
    env.out(`${name(formatTcpdumpLine(e, { absolute: parsed.flags.has('S'), stamp: parsed.flags.has('t') ? null : clockStamp }))}\n`);
    if (captured >= count) stop(0);
  });
  return {
    pid,
    get status() {
      return status;
    },
    tick() {},
    signal(sig) {
      stop(sig === 'INT' || sig === 'TERM' ? 0 : 137);
    },
  };
};
