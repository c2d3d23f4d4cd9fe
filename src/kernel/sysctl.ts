/**
 * The sysctls the model honours, with Linux's defaults and validation. Keys as `sysctl` prints them.
 * Delayed-ACK timing has no sysctl in Linux (TCP_DELACK_MIN/TCP_ATO_MIN are compile-time constants,
 * tunable per route or with TCP_QUICKACK), so it is a constant here too: see delack.ts.
 */
export interface SysctlSpec {
  key: string;
  default: string;
  /** Returns the normalised value, or an error message. */
  parse(value: string): { ok: true; value: string } | { ok: false; message: string };
  /** What it does, in a line. Optional: the browser never shows it, so newer rows say it in a comment instead. */
  help?: string;
}

const intIn = (min: number, max: number) => (value: string) => {
  const v = value.trim();
  if (!/^-?\d+$/.test(v)) return { ok: false as const, message: 'Invalid argument' };
  const n = Number(v);
  if (n < min || n > max) return { ok: false as const, message: 'Invalid argument' };
  return { ok: true as const, value: String(n) };
};

/** proc_do_large_bitmap: "8080,9000-9010" (ascending ranges, ports below 65536); printed back the same way. */
function parsePortList(value: string): { ok: true; value: string } | { ok: false; message: string } {
  const v = value.trim();
  if (v === '') return { ok: true, value: '' };
  const ports = new Set<number>();
  for (const part of v.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return { ok: false, message: 'Invalid argument' };
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi < lo || hi > 65535) return { ok: false, message: 'Invalid argument' };
    for (let p = lo; p <= hi; p++) ports.add(p);
  }
  return { ok: true, value: formatPortList(ports) };
}

/** Ports as the kernel prints the bitmap: ascending, runs as ranges. */
export function formatPortList(ports: Iterable<number>): string {
  const sorted = [...new Set(ports)].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    out.push(j === i ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j;
  }
  return out.join(',');
}

export const SYSCTLS: readonly SysctlSpec[] = [
  // seconds an orphaned socket (closed by its program) may stay in FIN_WAIT_2
  {
    key: 'net.ipv4.tcp_fin_timeout',
    default: '60',
    parse: intIn(0, 2147483),
  },
  // the ports the kernel picks from for connect() and bind(port 0)
  {
    key: 'net.ipv4.ip_local_port_range',
    default: '32768\t60999',
    parse: (value) => {
      const parts = value.trim().split(/\s+/);
      if (parts.length !== 2 || !parts.every((p) => /^\d+$/.test(p))) return { ok: false, message: 'Invalid argument' };
      const [lo, hi] = parts.map(Number) as [number, number];
      if (lo < 1 || hi > 65535 || lo > hi) return { ok: false, message: 'Invalid argument' };
      return { ok: true, value: `${lo}\t${hi}` };
    },
  },
  // how many times connect() retransmits its SYN before giving up with ETIMEDOUT
  {
    key: 'net.ipv4.tcp_syn_retries',
    default: '6',
    parse: intIn(1, 127),
  },
  // how many SYN retransmissions wait a constant initial RTO before the exponential backoff (Linux ≥ 6.5)
  {
    key: 'net.ipv4.tcp_syn_linear_timeouts',
    default: '4',
    parse: intIn(0, 255),
  },
  // how many times a listener retransmits a SYN-ACK
  {
    key: 'net.ipv4.tcp_synack_retries',
    default: '5',
    parse: intIn(0, 255),
  },
  // retransmissions of data before an established connection is given up
  {
    key: 'net.ipv4.tcp_retries2',
    default: '15',
    parse: intIn(0, 255),
  },
  // retransmissions for an orphaned socket (0 means 8)
  {
    key: 'net.ipv4.tcp_orphan_retries',
    default: '0',
    parse: intIn(0, 255),
  },
  // pending connections (SYN_RECV) a listener keeps
  {
    key: 'net.ipv4.tcp_max_syn_backlog',
    default: '4096',
    parse: intIn(1, 1 << 20),
  },
  // the cap on listen() backlog
  {
    key: 'net.core.somaxconn',
    default: '4096',
    parse: intIn(0, 1 << 20),
  },
  // seconds a connection with SO_KEEPALIVE stays idle before the first keepalive probe (TCP_KEEPIDLE overrides it)
  {
    key: 'net.ipv4.tcp_keepalive_time',
    default: '7200',
    parse: intIn(-8589934, 8589934),
  },
  // seconds between keepalive probes that get no answer (TCP_KEEPINTVL overrides it)
  {
    key: 'net.ipv4.tcp_keepalive_intvl',
    default: '75',
    parse: intIn(-8589934, 8589934),
  },
  // unanswered keepalive probes before the connection is reset with ETIMEDOUT (TCP_KEEPCNT overrides it)
  {
    key: 'net.ipv4.tcp_keepalive_probes',
    default: '9',
    parse: intIn(0, 255),
  },
  // let connect() take over a TIME_WAIT 4-tuple older than tcp_tw_reuse_delay: 0 never, 1 always, 2 loopback only
  {
    key: 'net.ipv4.tcp_tw_reuse',
    default: '2',
    parse: intIn(0, 2),
  },
  // milliseconds a TIME_WAIT must have lasted before tcp_tw_reuse may take it over (Linux ≥ 6.14; 1 s before)
  {
    key: 'net.ipv4.tcp_tw_reuse_delay',
    default: '1000',
    parse: intIn(1, 60000),
  },
  // TIME_WAIT sockets (and orphaned FIN_WAIT_2 ones) kept at most; past it a closing socket skips TIME_WAIT
  {
    key: 'net.ipv4.tcp_max_tw_buckets',
    default: '131072',
    parse: intIn(-2147483648, 2147483647),
  },
  // sockets closed by their program that the kernel still finishes; past it close() resets ("too many orphaned sockets")
  {
    key: 'net.ipv4.tcp_max_orphans',
    default: '131072',
    parse: intIn(-2147483648, 2147483647),
  },
  // ports connect() and bind(port 0) never pick (an explicit bind may still use them), e.g. 8080,9000-9010
  {
    key: 'net.ipv4.ip_local_reserved_ports',
    default: '',
    parse: parsePortList,
  },
  // milliseconds between two ACKs sent in answer to out-of-window segments (keepalive and window probes)
  {
    key: 'net.ipv4.tcp_invalid_ratelimit',
    default: '500',
    parse: intIn(-2147483, 2147483),
  },
  {
    key: 'net.ipv4.tcp_rfc1337',
    default: '0',
    parse: intIn(-2147483648, 2147483647),
    help: 'non-zero: an RST does not end TIME_WAIT (RFC 1337)',
  },
  {
    key: 'net.ipv4.tcp_timestamps',
    default: '1',
    parse: intIn(0, 255),
    help: 'RFC 7323 timestamps (2: without random offsets)',
  },
  {
    key: 'net.ipv4.tcp_sack',
    default: '1',
    parse: intIn(-2147483648, 2147483647),
    help: 'selective acknowledgements (RFC 2018)',
  },
  {
    key: 'net.ipv4.tcp_dsack',
    default: '1',
    parse: intIn(-2147483648, 2147483647),
    help: 'D-SACK blocks for duplicates (RFC 2883)',
  },
  {
    key: 'net.ipv4.tcp_window_scaling',
    default: '1',
    parse: intIn(0, 255),
    help: 'window scaling (RFC 7323)',
  },
];

export class Sysctls {
  private values = new Map<string, string>();

  constructor(overrides: Record<string, string | number> = {}) {
    for (const spec of SYSCTLS) this.values.set(spec.key, spec.default);
    for (const [k, v] of Object.entries(overrides)) {
      const r = this.set(k, String(v));
      if (!r.ok) throw new Error(`sysctl ${k}: ${r.message}`);
    }
  }

  static normaliseKey(key: string): string {
    // The kernel asks with dotted keys on every segment: answer those without regular expressions.
    if (!key.includes('/') && !/^\s|\s$/.test(key)) return key;
    return key.trim().replace(/^\/proc\/sys\//, '').replace(/\//g, '.');
  }

  has(key: string): boolean {
    return this.values.has(Sysctls.normaliseKey(key));
  }

  get(key: string): string | undefined {
    return this.values.get(key) ?? this.values.get(Sysctls.normaliseKey(key));
  }

  set(key: string, value: string): { ok: true; value: string } | { ok: false; message: string } {
    const k = Sysctls.normaliseKey(key);
    const spec = SYSCTLS.find((s) => s.key === k);
    if (!spec) return { ok: false, message: `cannot stat /proc/sys/${k.replace(/\./g, '/')}: No such file or directory` };
    const parsed = spec.parse(value);
    if (parsed.ok) {
      this.values.set(k, parsed.value);
      this.ints.clear();
    }
    return parsed;
  }

  /** Parsed numbers, asked for on every segment and close: cleared by every set. */
  private ints = new Map<string, number>();
  private range: { text: string; lohi: [number, number] } = { text: '', lohi: [32768, 60999] };

  int(key: string): number {
    let n = this.ints.get(key);
    if (n === undefined) this.ints.set(key, (n = Number(this.get(key))));
    return n;
  }

  portRange(): [number, number] {
    const text = this.get('net.ipv4.ip_local_port_range') ?? '32768\t60999';
    if (text !== this.range.text) {
      const [lo, hi] = text.split('\t').map(Number);
      this.range = { text, lohi: [lo ?? 32768, hi ?? 60999] };
    }
    return [this.range.lohi[0], this.range.lohi[1]];
  }

  private reserved: { text: string; ports: Set<number> } = { text: '', ports: new Set() };

  /** net.ipv4.ip_local_reserved_ports as a set (Linux inet_is_local_reserved_port). */
  reservedPorts(): ReadonlySet<number> {
    const text = this.get('net.ipv4.ip_local_reserved_ports') ?? '';
    if (text !== this.reserved.text) {
      const ports = new Set<number>();
      for (const part of text.split(',').filter(Boolean)) {
        const [lo, hi = lo] = part.split('-').map(Number) as [number, number?];
        for (let p = lo; p <= (hi ?? lo); p++) ports.add(p);
      }
      this.reserved = { text, ports };
    }
    return this.reserved.ports;
  }

  entries(): Array<[string, string]> {
    return [...this.values.entries()];
  }
}
