/**
 * The packetdrill half of `npm run test:truth`: every script of content/packetdrill/ on the simulated kernel
 * and on this machine's Linux (pkt-linux.ts), judged by the same judge. A library script must pass on both; a
 * deliberately wrong copy (content/packetdrill/wrong/, first line `// wrong: line N`) must fail on both, at
 * that line.
 *
 * Real time on a shared machine jitters: a Linux run that fails only with a timing error is run once more.
 * A script may ask for more attempts where Linux itself races (`// truth: retry N`, as the scenarios do).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { judge, parsePkt, runOnSimulator, type PktVerdict } from '../../src/packetdrill/index.ts';
import { runPktOnLinux } from './pkt-linux.ts';

export interface PktTruthRow {
  file: string;
  sim: string;
  linux: string;
  agree: boolean;
  attempts: number;
  difference: string | null;
}

const describe = (v: PktVerdict) => (v.ok ? 'pass' : `fail at line ${v.failure!.line}`);

export function pktLibrary(root: string): Array<{ file: string; path: string; wrongLine: number | null }> {
  const dir = join(root, 'content/packetdrill');
  const list = (sub: string) =>
    readdirSync(join(dir, sub))
      .filter((f) => f.endsWith('.pkt'))
      .sort()
      .map((f) => ({ file: sub ? `${sub}/${f}` : f, path: join(dir, sub, f) }));
  return [...list(''), ...list('wrong')].map((e) => {
    const m = /^\/\/\s*wrong:\s*line\s+(\d+)/.exec(readFileSync(e.path, 'utf8'));
    return { ...e, wrongLine: m ? Number(m[1]) : null };
  });
}

export function runPktTruth(root: string, only: string[], progress: (line: string) => void): PktTruthRow[] {
  const rows: PktTruthRow[] = [];
  for (const entry of pktLibrary(root)) {
    if (only.length > 0 && !only.some((o) => entry.file.includes(o))) continue;
    const source = readFileSync(entry.path, 'utf8');
    const script = parsePkt(source, `content/packetdrill/${entry.file}`);
    const sim = judge(script, runOnSimulator(script).observation);
    const wanted = (v: PktVerdict) => (entry.wrongLine === null ? v.ok : !v.ok && v.failure!.line === entry.wrongLine);
    const retries = Number(/^\/\/\s*truth:\s*retry\s+(\d+)/m.exec(source)?.[1] ?? 1);
    let linux: PktVerdict;
    let attempts = 0;
    for (;;) {
      attempts++;
      linux = judge(script, runPktOnLinux(script));
      if (wanted(linux)) break;
      const timing = linux.failure?.message.startsWith('timing error') === true;
      if (attempts >= retries + (timing ? 1 : 0)) break;
    }
    const agree = wanted(sim) && wanted(linux);
    const expectation = entry.wrongLine === null ? 'pass' : `fail at line ${entry.wrongLine}`;
    let difference: string | null = null;
    if (!agree) {
      const why = (name: string, v: PktVerdict) => (v.ok ? `${name} passed` : `${name}: line ${v.failure!.line}: ${v.failure!.message}`);
      difference = `expected to ${expectation}; ${why('simulator', sim)}; ${why('Linux', linux)}`;
    }
    rows.push({ file: entry.file, sim: describe(sim), linux: describe(linux), agree, attempts, difference });
    progress(`  ${entry.file}: ${agree ? 'agree' : 'DIFFER'}`);
  }
  return rows;
}
