/**
 * The failing tests of a run, read from the JSON reports vitest and Playwright write, as a few lines each:
 * `npm test` prints them under its summary, so the tail of a long log (all a CI page may keep) names what failed.
 */
import { existsSync, readFileSync } from 'node:fs';

export interface Failure {
  /** File, then the titles from the outermost describe to the test. */
  where: string;
  /** The first lines of the error (up to three), without colour codes. */
  message: string;
}

const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;
const firstLine = (s: unknown): string =>
  (typeof s === 'string' ? s : '')
    .replace(ANSI, '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('at '))
    .slice(0, 3)
    .join(' · ')
    .slice(0, 300);

function readJson(file: string): unknown {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** vitest's json reporter: testResults[].assertionResults[] with status and failureMessages. */
export function vitestFailures(report: unknown, root = ''): Failure[] {
  if (!isObj(report)) return [];
  const out: Failure[] = [];
  for (const file of arr(report['testResults'])) {
    if (!isObj(file)) continue;
    const name = String(file['name'] ?? '').replace(root, '');
    const failed = arr(file['assertionResults']).filter((a) => isObj(a) && a['status'] === 'failed') as Record<string, unknown>[];
    for (const a of failed) {
      const titles = [...arr(a['ancestorTitles']), a['title']].map(String).filter((t) => t.length > 0);
      out.push({ where: `${name} > ${titles.join(' > ')}`, message: firstLine(arr(a['failureMessages'])[0]) });
    }
    // A file that failed to load, or an error outside any test, has no failed assertion but a message.
    if (failed.length === 0 && file['status'] === 'failed') out.push({ where: name, message: firstLine(file['message']) });
  }
  return out;
}

/** Playwright's json reporter: nested suites → specs → tests → results. */
export function playwrightFailures(report: unknown): Failure[] {
  if (!isObj(report)) return [];
  const out: Failure[] = [];
  const walk = (suite: unknown, titles: string[]): void => {
    if (!isObj(suite)) return;
    const here = suite['title'] ? [...titles, String(suite['title'])] : titles;
    for (const spec of arr(suite['specs'])) {
      if (!isObj(spec)) continue;
      for (const t of arr(spec['tests'])) {
        if (!isObj(t) || t['status'] !== 'unexpected') continue;
        const results = arr(t['results']).filter(isObj);
        const last = results[results.length - 1];
        const error = isObj(last) && isObj(last['error']) ? last['error']['message'] : undefined;
        out.push({ where: [...here, String(spec['title'])].join(' > '), message: firstLine(error) });
      }
    }
    for (const child of arr(suite['suites'])) walk(child, here);
  };
  for (const s of arr(report['suites'])) walk(s, []);
  for (const e of arr(report['errors'])) if (isObj(e)) out.push({ where: 'outside any test', message: firstLine(e['message']) });
  return out;
}

export const readVitestFailures = (file: string, root = ''): Failure[] => vitestFailures(readJson(file), root);
export const readPlaywrightFailures = (file: string): Failure[] => playwrightFailures(readJson(file));

export function formatFailures(failures: Failure[], limit = 20): string[] {
  const lines = failures.slice(0, limit).flatMap((f) => [`  ✗ ${f.where}`, ...(f.message ? [`      ${f.message}`] : [])]);
  if (failures.length > limit) lines.push(`  … and ${failures.length - limit} more`);
  return lines;
}
