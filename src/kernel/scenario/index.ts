export * from './ast.ts';
export { parseCallText, unescapeC } from './parse.ts';
export { parseScenario } from './parse-scenario.ts';
export { checkScenario } from './check.ts';
export { runScenario, quoteBytes, BLOCK_LIMIT_US, SETTLE_US, SHOW_BYTES, LINE_US, type ScenarioRun, type CallRecord, type ExpectRecord, type LogEntry } from './runner.ts';
export { scenarioJson, scenarioText } from './format.ts';
export { sockOptsOf, applySockOpts, optionCallText, type OptionCall } from './sockopts.ts';

import { parseScenario } from './parse-scenario.ts';
import { checkScenario } from './check.ts';
import { runScenario, type RunOptions, type ScenarioRun } from './runner.ts';

/** Parse, check and run a scenario's source. Throws ScenarioSyntaxError for a script that cannot run. */
export function runScenarioSource(source: string, file = '<scenario>', opts: RunOptions = {}): ScenarioRun {
  const scenario = parseScenario(source, file);
  checkScenario(scenario);
  return runScenario(scenario, opts);
}
