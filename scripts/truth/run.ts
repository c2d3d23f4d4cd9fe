/**
 * `npm run test:truth`: every scenario of content/scenarios/ twice — on the simulated kernel and on this
 * machine's real Linux (real sockets on 127.0.0.1, tcpdump on lo, ss) — then compares the two, segment by
 * segment (relative seq/ack, flags, direction, length), state by state and call by call. Then every
 * packetdrill script of content/packetdrill/ on both kernels (pkt-suite.ts): same verdict on each.
 *
 * A scenario may carry `# truth: retry N` for races real Linux resolves by timing (simultaneous open):
 * the real run is repeated up to N times (60 s at most) and compared on the attempt where every expectation
 * held. `# truth: skip REASON` leaves out a scenario this machine cannot run faithfully (a sysctl that is
 * global rather than per network namespace, so setting it would disturb every other program on the machine);
 * it is listed as skipped with its reason, never as agreeing. Needs root, tcpdump, ss and nft; without them
 * it prints one line saying why it was skipped.
 *
 * Each scenario's real run has a network namespace of its own and spends its time waiting on Linux's timers,
 * so several run at once (TRUTH_JOBS, default 2 per core); the packetdrill scripts, whose timing is judged to
 * a few milliseconds, run one at a time after them.
 */
import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkScenario, parseScenario, quoteBytes, runScenario, SHOW_BYTES, type Scenario } from '../../src/kernel/scenario/index.ts';
import type { SegmentEvent } from '../../src/kernel/trace.ts';
import { compareRuns, type Side } from '../../src/truth/compare.ts';
import { normalise, type RawSegment } from '../../src/truth/normalise.ts';
import { pktLinuxMissing } from './pkt-linux.ts';
import { runPktTruth } from './pkt-suite.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = join(root, 'content/scenarios');

function missing(): string | null {
  if (process.platform !== 'linux') return 'not Linux';
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'packet capture needs root (run as root, as CI does)';
  for (const tool of ['tcpdump', 'ss', 'nft', 'python3']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed (apt-get install -y ${tool === 'ss' ? 'iproute2' : tool === 'nft' ? 'nftables' : tool})`;
  }
  return null;
}

function showData(bytes: Uint8Array): string {
  return bytes.length > SHOW_BYTES ? `${quoteBytes(bytes.subarray(0, 16)).slice(0, -1)}…" (${bytes.length} bytes)` : quoteBytes(bytes);
}

function simSide(scenario: Scenario): { side: Side; count: number } {
  const run = runScenario(scenario);
  const segs: RawSegment[] = run.kernel.trace.events
    // A dropped segment was sent and captured, then lost before the receiver (the executor drops on input).
    .filter((e): e is SegmentEvent => e.kind === 'segment')
    .map((e) => ({ src: e.src, dst: e.dst, flags: e.flags, absSeq: e.absSeq, absAck: e.flags.includes('.') ? e.absAck : null, len: e.len }));
  const endpoints = Object.fromEntries(run.endpoints);
  return {
    side: {
      segments: normalise(segs, endpoints),
      calls: run.calls.map((c) => ({ line: c.line, call: c.call, result: c.result })),
      expects: run.expects.map((e) => ({ line: e.line, expect: e.text, actual: e.actual })),
    },
    count: segs.length,
  };
}

interface RealResult {
  ok: boolean;
  error: string | null;
  segments: Array<{ src: string; dst: string; flags: string; absSeq: number | null; absAck: number | null; len: number }>;
  calls: Array<{ line: number; call: string; result: string; data?: string }>;
  expects: Array<{ line: number; expect: string; actual: string }>;
  endpoints: Record<string, string>;
  attempts: number;
}

/** Runs the Linux executor on one scenario, without blocking the others (each is in its own namespace). */
function runExecutor(input: string): Promise<{ stdout: string; stderr: string; status: number | null }> {
  return new Promise((resolve) => {
    const child = spawn('python3', [join(root, 'scripts/truth/linux_exec.py')], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 5 * 60_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, status });
    });
    child.stdin.end(input);
  });
}

async function realSide(scenario: Scenario, source: string): Promise<{ side: Side; result: RealResult }> {
  const retry = Number(/^#\s*truth:\s*retry\s+(\d+)/m.exec(source)?.[1] ?? 1);
  const statements = scenario.statements.map((st) => {
    if (st.kind === 'call' && st.call.op === 'send') {
      const { data, ...call } = st.call;
      return { ...st, call, callData: Buffer.from(data).toString('base64') };
    }
    return st;
  });
  const r = await runExecutor(JSON.stringify({ statements, retry, retryBudgetSeconds: 90 }));
  let result: RealResult;
  try {
    result = JSON.parse(r.stdout) as RealResult;
  } catch {
    result = { ok: false, error: `executor failed: ${r.stderr.trim().split('\n').at(-1) ?? r.status}`, segments: [], calls: [], expects: [], endpoints: {}, attempts: 0 };
  }
  const calls = result.calls.map((c) => ({
    line: c.line,
    call: c.call,
    result: c.result === 'DATA' ? showData(Buffer.from(c.data ?? '', 'base64')) : c.result,
  }));
  return {
    side: { segments: normalise(result.segments, result.endpoints), calls, expects: result.expects.map((e) => ({ line: e.line, expect: e.expect, actual: e.actual })) },
    result,
  };
}

function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  '));
}

/** The scenario half: returns [passed, failed], or null when it could not run here. */
async function scenarioTruth(only: string[]): Promise<[number, number] | null> {
  const why = missing();
  if (why) {
    console.log(`kernel truth, scenarios: SKIPPED — ${why}. The simulator was not compared with real Linux on this machine.`);
    return null;
  }
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.tcplab'))
    .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
    .sort();
  if (files.length === 0) return [0, 0];
  // Without a namespace of its own each run would share the host's loopback with the others: one at a time then.
  const namespaces = spawnSync('unshare', ['-n', 'true']).status === 0;
  const jobs = namespaces ? Math.max(1, Number(process.env['TRUTH_JOBS'] ?? 2 * availableParallelism())) : 1;
  console.log(`Scenarios (.tcplab), ${jobs} at a time:`);
  type Outcome = { row: string[]; status: 'agree' | 'differ' | 'skipped'; detail: string | null };
  const outcomes: Outcome[] = new Array(files.length);
  const one = async (file: string): Promise<Outcome> => {
    const source = readFileSync(join(dir, file), 'utf8');
    const scenario = parseScenario(source, `content/scenarios/${file}`);
    checkScenario(scenario);
    // `# truth: skip REASON`: a scenario real Linux cannot run here (a sysctl that is global, not per namespace).
    const skip = /^#\s*truth:\s*skip\s+(.+)$/m.exec(source);
    if (skip) return { row: [file.replace(/\.tcplab$/, ''), '-', '-', 'skipped'], status: 'skipped', detail: `${file}: skipped — ${skip[1]!.trim()}` };
    const sim = simSide(scenario);
    const real = await realSide(scenario, source);
    const verdict = real.result.error ? { agree: false as const, segments: sim.count, states: sim.side.expects.length, difference: real.result.error } : compareRuns(sim.side, real.side);
    const attempts = real.result.attempts > 1 ? ` (attempt ${real.result.attempts})` : '';
    return {
      row: [
        file.replace(/\.tcplab$/, ''),
        `${sim.side.segments.length}/${real.side.segments.length}`,
        `${sim.side.expects.filter((e) => real.side.expects.find((r) => r.line === e.line)?.actual === e.actual).length}/${sim.side.expects.length}`,
        verdict.agree ? `agree${attempts}` : 'DIFFER',
      ],
      status: verdict.agree ? 'agree' : 'differ',
      detail: verdict.agree ? null : `${file}: ${verdict.difference}`,
    };
  };
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      const outcome = await one(files[i]!);
      outcomes[i] = outcome;
      process.stdout.write(`  ${files[i]}: ${outcome.status === 'differ' ? 'DIFFER' : outcome.status}\n`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, files.length) }, worker));
  console.log('');
  printTable([['scenario', 'segments', 'states', 'verdict'], ...outcomes.map((o) => o.row)]);
  const details = outcomes.flatMap((o) => (o.detail ? [o.detail] : []));
  if (details.length) {
    console.log('\nDifferences (simulator | Linux) and skips:');
    for (const d of details) console.log(`  ${d}`);
  }
  const passed = outcomes.filter((o) => o.status === 'agree').length;
  const failed = outcomes.filter((o) => o.status === 'differ').length;
  const skipped = outcomes.filter((o) => o.status === 'skipped').length;
  console.log(`\nscenarios: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  return [passed, failed];
}

/** The packetdrill half: returns [passed, failed], or null when it could not run here. */
function packetdrillTruth(only: string[]): [number, number] | null {
  const why = pktLinuxMissing();
  if (why) {
    console.log(`kernel truth, packetdrill scripts: SKIPPED — ${why}. The simulator was not compared with real Linux on this machine.`);
    return null;
  }
  console.log('packetdrill scripts (.pkt; a wrong/ copy must fail on both, at its line):');
  const results = runPktTruth(root, only, (line) => console.log(line));
  if (results.length === 0) return [0, 0];
  console.log('');
  printTable([['script', 'simulator', 'Linux', 'verdict'], ...results.map((r) => [r.file, r.sim, r.linux, r.agree ? `agree${r.attempts > 1 ? ` (attempt ${r.attempts})` : ''}` : 'DIFFER'])]);
  const differ = results.filter((r) => !r.agree);
  if (differ.length) {
    console.log('\nDifferences:');
    for (const r of differ) console.log(`  ${r.file}: ${r.difference}`);
  }
  const passed = results.length - differ.length;
  console.log(`\npacketdrill scripts: ${passed} passed, ${differ.length} failed`);
  return [passed, differ.length];
}

const only = process.argv.slice(2);
const scenarios = await scenarioTruth(only);
const scripts = packetdrillTruth(only);
const failed = (scenarios?.[1] ?? 0) + (scripts?.[1] ?? 0);
console.log(`\nkernel truth: scenarios ${scenarios ? `${scenarios[0]} passed, ${scenarios[1]} failed` : 'skipped'}; packetdrill scripts ${scripts ? `${scripts[0]} passed, ${scripts[1]} failed` : 'skipped'}`);
// 77: "skipped" (automake's convention), which `npm test` reports as such, never as passed.
process.exit(failed > 0 ? 1 : scenarios === null || scripts === null ? 77 : 0);
