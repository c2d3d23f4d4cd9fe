/**
 * A tiny text language for the static ladder diagrams in lessons (rendered at build time, no JS):
 *
 *   L>R S seq=0          a segment from the left endpoint to the right one, labelled "S seq=0"
 *   R>L S. seq=0 ack=1   … and back (flags first, then the rest of the label)
 *   L>R! F. seq=6        a segment that is lost on the way
 *   L>L F. seq=5 ack=5   a segment a self-connected socket sends to itself
 *   L: FIN_WAIT_1        the left endpoint enters a state (shown at this height)
 *   R: CLOSE_WAIT
 *   ~ 40 ms later        a note across the diagram (a pause, a program call)
 *   # comment
 */
export type LadderStep =
  | { kind: 'segment'; from: 'L' | 'R'; to: 'L' | 'R'; flags: string; label: string; lost: boolean }
  | { kind: 'state'; side: 'L' | 'R'; state: string }
  | { kind: 'note'; text: string };

export function parseLadder(source: string): LadderStep[] {
  const steps: LadderStep[] = [];
  source.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    let m = /^([LR])>([LR])(!?)\s+(\S+)\s*(.*)$/.exec(line);
    if (m) {
      const [, from, to, lost, flags, label] = m;
      steps.push({ kind: 'segment', from: from as 'L' | 'R', to: to as 'L' | 'R', flags: flags ?? '', label: label ?? '', lost: lost === '!' });
      return;
    }
    m = /^([LR]):\s*(\S+)$/.exec(line);
    if (m) {
      steps.push({ kind: 'state', side: m[1] as 'L' | 'R', state: m[2] ?? '' });
      return;
    }
    m = /^~\s*(.+)$/.exec(line);
    if (m) {
      steps.push({ kind: 'note', text: m[1] ?? '' });
      return;
    }
    throw new Error(`ladder line ${i + 1}: cannot read "${line}" (expected "L>R FLAGS label", "L: STATE" or "~ note")`);
  });
  return steps;
}

/** tcpdump's flag letters in words, for the table and for screen readers. */
export function describeFlags(flags: string): string {
  const words: string[] = [];
  if (flags.includes('S')) words.push('SYN');
  if (flags.includes('F')) words.push('FIN');
  if (flags.includes('R')) words.push('RST');
  if (flags.includes('P')) words.push('PSH');
  if (flags.includes('.')) words.push('ACK');
  return words.join('+') || flags;
}
