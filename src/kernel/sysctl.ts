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
  help: string;
}

const intIn = (min: number, max: number) => (value: string) => {
  const v = value.trim();
  if (!/^-?\d+$/.test(v)) return { ok: false as const, message: 'Invalid argument' };
  const n = Number(v);
  if (n < min || n > max) return { ok: false as const, message: 'Invalid argument' };
  return { ok: true as const, value: String(n) };
};

export const SYSCTLS: readonly SysctlSpec[] = [
  {
    key: 'net.ipv4.tcp_fin_timeout',
    default: '60',
    parse: intIn(0, 2147483),
    help: 'seconds an orphaned socket (closed by its program) may stay in FIN_WAIT_2',
  },
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
    help: 'the ports the kernel picks from for connect() and bind(port 0)',
  },
  {
    key: 'net.ipv4.tcp_syn_retries',
    default: '6',
    parse: intIn(1, 127),
    help: 'how many times connect() retransmits its SYN before giving up with ETIMEDOUT',
  },
  {
    key: 'net.ipv4.tcp_syn_linear_timeouts',
    default: '4',
    parse: intIn(0, 255),
    help: 'how many SYN retransmissions wait a constant initial RTO before the exponential backoff (Linux ≥ 6.5)',
  },
  {
    key: 'net.ipv4.tcp_synack_retries',
    default: '5',
    parse: intIn(0, 255),
    help: 'how many times a listener retransmits a SYN-ACK',
  },
  {
    key: 'net.ipv4.tcp_retries2',
    default: '15',
    parse: intIn(0, 255),
    help: 'retransmissions of data before an established connection is given up',
  },
  {
    key: 'net.ipv4.tcp_orphan_retries',
    default: '0',
    parse: intIn(0, 255),
    help: 'retransmissions for an orphaned socket (0 means 8)',
  },
  {
    key: 'net.ipv4.tcp_max_syn_backlog',
    default: '4096',
    parse: intIn(1, 1 << 20),
    help: 'pending connections (SYN_RECV) a listener keeps',
  },
  {
    key: 'net.core.somaxconn',
    default: '4096',
    parse: intIn(0, 1 << 20),
    help: 'the cap on listen() backlog',
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
    return this.values.get(Sysctls.normaliseKey(key));
  }

  set(key: string, value: string): { ok: true; value: string } | { ok: false; message: string } {
    const k = Sysctls.normaliseKey(key);
    const spec = SYSCTLS.find((s) => s.key === k);
    if (!spec) return { ok: false, message: `cannot stat /proc/sys/${k.replace(/\./g, '/')}: No such file or directory` };
    const parsed = spec.parse(value);
    if (parsed.ok) this.values.set(k, parsed.value);
    return parsed;
  }

  int(key: string): number {
    return Number(this.get(key));
  }

  portRange(): [number, number] {
    const [lo, hi] = (this.get('net.ipv4.ip_local_port_range') ?? '32768\t60999').split('\t').map(Number);
    return [lo ?? 32768, hi ?? 60999];
  }

  entries(): Array<[string, string]> {
    return [...this.values.entries()];
  }
}
