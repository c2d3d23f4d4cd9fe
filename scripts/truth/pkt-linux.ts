/**
 * Runs a parsed packetdrill script on this machine's real Linux (scripts/truth/pkt_exec.py in a fresh network
 * namespace) and returns what it observed, for the same judge as the simulator's run.
 * `node scripts/truth/pkt-linux.ts FILE` prints both verdicts and what each kernel sent.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PktScript } from '../../src/packetdrill/ast.ts';
import type { Observation } from '../../src/packetdrill/observation.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Why real Linux cannot run packetdrill scripts here, or null. */
export function pktLinuxMissing(): string | null {
  if (process.platform !== 'linux') return 'not Linux';
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'a tun device in a new network namespace needs root';
  for (const tool of ['unshare', 'ip', 'sysctl', 'python3']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed`;
  }
  if (!existsSync('/dev/net/tun')) return 'there is no /dev/net/tun';
  return null;
}

/**
 * Real-time priority (SCHED_FIFO 10, the executor only sleeps and waits) keeps a busy machine from shifting
 * the script's timing by more than packetdrill's 4 ms; without the right to use it, the run goes without.
 */
let realtime = true;

export function runPktOnLinux(script: PktScript): Observation {
  const executor = ['unshare', '-n', 'python3', join(root, 'scripts/truth/pkt_exec.py')];
  const run = () =>
    spawnSync(realtime ? 'chrt' : executor[0]!, realtime ? ['-f', '10', ...executor] : executor.slice(1), {
      input: JSON.stringify({ script }),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      timeout: 10 * 60_000,
    });
  let r = run();
  if (realtime && (r.error || /chrt: failed/.test(r.stderr))) {
    realtime = false;
    r = run();
  }
  try {
    return JSON.parse(r.stdout) as Observation;
  } catch {
    return { records: [], outbound: [], end: 0, error: `executor failed: ${r.stderr.trim().split('\n').at(-1) ?? `exit ${r.status}`}` };
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { parsePkt, judge, runOnSimulator, failureText, Mapper } = await import('../../src/packetdrill/index.ts');
  const { formatPacket, seconds } = await import('../../src/packetdrill/format.ts');
  for (const file of process.argv.slice(2)) {
    const script = parsePkt(readFileSync(file, 'utf8'), file);
    const show = (name: string, obs: Observation) => {
      const v = judge(script, obs);
      console.log(`── ${name}: ${v.ok ? 'pass' : 'FAIL'}`);
      if (!v.ok) process.stdout.write(failureText(file, v));
      const m = new Mapper();
      for (const p of obs.outbound) {
        m.onOutbound(p, null);
        console.log(`   ${seconds(p.t)} > ${formatPacket(m.relative(p))}`);
      }
    };
    show('simulator', runOnSimulator(script).observation);
    show('Linux', runPktOnLinux(script));
  }
}
