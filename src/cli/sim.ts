import { readFileSync } from 'node:fs';
import { ScenarioSyntaxError, runScenarioSource, scenarioJson, scenarioText } from '../kernel/scenario/index.ts';

export const SIM_USAGE = 'usage: tcplab sim FILE [--json] [--seed N]';

/** `tcplab sim FILE [--json]`: exit 0 when every expect held, 1 when one failed or the run got stuck, 2 for a script that cannot be read or parsed. */
export function simCommand(args: string[], out: (s: string) => void, err: (s: string) => void): number {
  const json = args.includes('--json');
  const seedAt = args.indexOf('--seed');
  const seed = seedAt >= 0 ? Number(args[seedAt + 1]) : 1;
  const files = args.filter((a, i) => !a.startsWith('--') && !(seedAt >= 0 && i === seedAt + 1));
  if (files.length !== 1 || !Number.isFinite(seed)) {
    err(SIM_USAGE);
    return 2;
  }
  const file = files[0]!;
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (e) {
    err(`tcplab sim: cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message}`);
    return 2;
  }
  try {
    const run = runScenarioSource(source, file, { seed });
    out(json ? JSON.stringify(scenarioJson(run), null, 2) + '\n' : scenarioText(run, file));
    return run.ok ? 0 : 1;
  } catch (e) {
    if (e instanceof ScenarioSyntaxError) {
      if (json) out(JSON.stringify({ ok: false, error: e.message, segments: [], states: [], calls: [] }, null, 2) + '\n');
      err(e.message);
      return 2;
    }
    throw e;
  }
}
