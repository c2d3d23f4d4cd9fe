import { readScriptArgs } from './script-args.ts';
import { ScenarioSyntaxError, runScenarioSource, scenarioJson, scenarioText } from '../kernel/scenario/index.ts';

export const SIM_USAGE = 'usage: tcplab sim FILE [--json] [--seed N]';

/** `tcplab sim FILE [--json]`: exit 0 when every expect held, 1 when one failed or the run got stuck, 2 for a script that cannot be read or parsed. */
export function simCommand(args: string[], out: (s: string) => void, err: (s: string) => void): number {
  const parsed = readScriptArgs('sim', SIM_USAGE, args, err);
  if (!parsed) return 2;
  const { file, source, json, seed } = parsed;
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
