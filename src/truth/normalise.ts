/**
 * Normalises a trace from the simulator or from real Linux so the two can be compared: endpoints become the
 * scenario's socket names (ephemeral ports differ between runs), sequence numbers become relative to each
 * direction's ISN, and windows, options and absolute times are ignored.
 */
export interface RawSegment {
  src: string;
  dst: string;
  flags: string;
  /** Absolute sequence number (null when tcpdump printed none, e.g. a pure ACK). */
  absSeq: number | null;
  absAck: number | null;
  len: number;
}

export interface NormalSegment {
  from: string;
  to: string;
  flags: string;
  seq: number | null;
  ack: number | null;
  len: number;
}

const MOD = 2 ** 32;

/** Port → the first socket name that used it ("8080" → "srv:l"); unknown ports stay as ":PORT". */
export function portNames(endpoints: Record<string, string>): Map<string, string> {
  const byPort = new Map<string, string>();
  for (const [name, ep] of Object.entries(endpoints)) {
    const port = ep.slice(ep.lastIndexOf(':') + 1);
    if (!byPort.has(port)) byPort.set(port, name);
  }
  return byPort;
}

export function normalise(segments: RawSegment[], endpoints: Record<string, string>): NormalSegment[] {
  const names = portNames(endpoints);
  const who = (ep: string) => {
    const port = ep.slice(ep.lastIndexOf(':') + 1);
    return names.get(port) ?? `:${port}`;
  };
  /** Every ISN seen in each direction, oldest first (a 4-tuple can carry several connections in turn). */
  const bases = new Map<string, number[]>();
  const prevAck = new Map<string, number>();
  return segments.map((s) => {
    const from = who(s.src);
    const to = who(s.dst);
    const dir = `${s.src}>${s.dst}`;
    const back = `${s.dst}>${s.src}`;
    if (s.flags.includes('S') && s.absSeq !== null) {
      const list = bases.get(dir) ?? [];
      if (list.at(-1) !== s.absSeq) list.push(s.absSeq);
      bases.set(dir, list);
    }
    // Relative to the latest ISN; a number before it belongs to an earlier connection on the same ports (a
    // TIME_WAIT's ACK, the RST answering it) and is shown relative to that connection's ISN, so that it does
    // not depend on how much time passed between the two connections.
    const rel = (abs: number | null, list: number[] | undefined) => {
      if (abs === null) return null;
      if (!list || list.length === 0) return abs;
      const from = (base: number) => (((abs - base) % MOD) + MOD) % MOD;
      for (let i = list.length - 1; i >= 0; i--) {
        const r = from(list[i]!);
        if (r < MOD / 2) return r;
      }
      return from(list.at(-1)!);
    };
    const showSeq = s.len > 0 || /[SFR]/.test(s.flags);
    const hasAck = s.flags.includes('.');
    const ack = hasAck ? rel(s.absAck, bases.get(back)) : null;
    if (ack !== null) prevAck.set(dir, ack);
    return { from, to, flags: s.flags, seq: showSeq ? rel(s.absSeq, bases.get(dir)) : null, ack, len: s.len };
  });
}

export function describe(s: NormalSegment): string {
  const parts = [`${s.from}>${s.to}`, `[${s.flags}]`];
  if (s.seq !== null) parts.push(`seq=${s.seq}`);
  if (s.ack !== null) parts.push(`ack=${s.ack}`);
  if (s.len > 0) parts.push(`len=${s.len}`);
  return parts.join(' ');
}
