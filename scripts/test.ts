/**
 * `npm test`: every check of the project, in order, with one summary at the end.
 * type check → unit tests → build → browser tests (Debian Chromium) → kernel truth (real Linux, when allowed).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ensureChromium, ensurePackages, SANDBOX_NEED, TRUTH_NEEDS } from './ensure-system.ts';
import { type Failure, formatFailures, readPlaywrightFailures, readVitestFailures } from './failure-digest.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name: string) => `${root}node_modules/.bin/${name}`;
/** JSON reports of the unit and browser tests, read back to name the failures under the summary. */
const reports = `${root}.cache/test-reports`;
const unitReport = `${reports}/unit.json`;
const browserReport = `${reports}/browser.json`;
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });
const env = {
  ...process.env,
  ASTRO_TELEMETRY_DISABLED: '1',
  FORCE_COLOR: process.env['FORCE_COLOR'] ?? '1',
  PLAYWRIGHT_JSON_OUTPUT_FILE: browserReport,
};

interface Step {
  name: string;
  run: () => Outcome;
  needs?: string[];
  /** The failing tests of this step, when it failed. */
  failures?: () => Failure[];
}

/** How a step's command ended: its exit status, and the signal that killed it, if one did. */
interface Outcome {
  code: number;
  signal: NodeJS.Signals | null;
}
const refused = (): Outcome => ({ code: 1, signal: null });
const exec = (cmd: string, args: string[]) => (): Outcome => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  // A runner killed outright writes no report and no summary of its own: say so where the log ends.
  if (r.signal) console.error(`\n${cmd.split('/').pop()} was killed by ${r.signal}`);
  return { code: r.status ?? 1, signal: r.signal };
};

const steps: Step[] = [
  { name: 'type check (astro check)', run: exec(bin('astro'), ['check', '--minimumSeverity', 'warning']) },
  {
    name: 'unit tests (vitest)',
    run: () => {
      // The sandbox's own tests attack bubblewrap: they need it (so does every grading).
      const missing = ensurePackages([SANDBOX_NEED]);
      if (missing.length > 0) {
        console.error(`Unit tests need bubblewrap (the sandbox of learner programs): run \`sudo apt-get install -y bubblewrap\`.`);
        return refused();
      }
      return exec(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${unitReport}`])();
    },
    failures: () => readVitestFailures(unitReport, root),
  },
  { name: 'build', run: exec(bin('astro'), ['build']) },
  // The site built for SITE_BASE=/tcp-lab/ that e2e/publish.spec.ts serves: made here, not while browsers test.
  { name: 'build for publishing', run: exec(process.execPath, [`${root}e2e/support/publish-build.ts`]) },
  {
    name: 'browser tests (playwright, Debian Chromium)',
    needs: ['build'],
    run: () => {
      const chromium = ensureChromium();
      if (!chromium.ok) {
        console.error(chromium.message);
        return refused();
      }
      return exec(bin('playwright'), ['test', '--reporter=list,json'])();
    },
    failures: () => readPlaywrightFailures(browserReport),
  },
];
if (existsSync(`${root}scripts/truth/run.ts`)) {
  steps.push({
    name: 'kernel truth (simulator vs real Linux)',
    run: () => {
      ensurePackages(TRUTH_NEEDS);
      return exec(process.execPath, [`${root}scripts/truth/run.ts`])();
    },
  });
}

const only = process.argv.slice(2);
/** A step that could not run here (kernel truth without root) exits with this status: reported, not passed. */
const SKIPPED = 77;
const results: Array<{ name: string; status: 'passed' | 'failed' | 'skipped' | 'not run'; seconds: number; failures?: Failure[]; signal?: NodeJS.Signals }> = [];
for (const step of steps) {
  if (only.length > 0 && !only.some((o) => step.name.startsWith(o))) continue;
  const blocked = step.needs?.find((n) => results.find((r) => r.name === n)?.status === 'failed');
  if (blocked) {
    results.push({ name: step.name, status: 'not run', seconds: 0 });
    continue;
  }
  console.log(`\n━━ ${step.name} ━━`);
  const start = performance.now();
  const { code, signal } = step.run();
  const status = code === 0 ? 'passed' : code === SKIPPED ? 'skipped' : 'failed';
  results.push({
    name: step.name,
    status,
    seconds: (performance.now() - start) / 1000,
    ...(status === 'failed' && step.failures ? { failures: step.failures() } : {}),
    ...(signal ? { signal } : {}),
  });
}

console.log('\n━━ summary ━━');
for (const r of results) {
  console.log(`${r.status.padEnd(8)} ${r.name}${r.seconds ? ` (${r.seconds.toFixed(1)} s)` : ''}`);
  if (r.failures?.length === 0) console.log(`  (its report names no failing test: ${r.signal ? `the runner was killed by ${r.signal}` : 'look above for an error outside the tests'})`);
  for (const line of formatFailures(r.failures ?? [])) console.log(line);
}
const failed = results.filter((r) => r.status === 'failed' || r.status === 'not run');
const skipped = results.filter((r) => r.status === 'skipped');
console.log(failed.length > 0 ? `${failed.length} of ${results.length} checks did not pass.` : skipped.length > 0 ? `Every check that could run passed; ${skipped.length} could not run here (see above).` : 'All checks passed.');
process.exit(failed.length === 0 ? 0 : 1);
