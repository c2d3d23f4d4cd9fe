/** The gradebook's cells: inert text, CSV that no spreadsheet runs, weights, JUnit that parses. */
import { describe, expect, test } from 'vitest';
import type { CatalogueCheckpoint } from '../grading/course-catalogue.ts';
import type { Verdict } from '../grading/hand-in-job.ts';
import { csvCell, inert, makeRow, maxPoints, parseWeights, toCsv, toJunit } from './gradebook.ts';

const checkpoints: CatalogueCheckpoint[] = [
  { id: 'q1', kind: 'quiz', title: 'q', lesson: 'a' },
  { id: 'l1', kind: 'lab', title: 'l', lesson: 'a' },
  { id: 'e1', kind: 'exercise', title: 'e', lesson: 'b' },
];
const v = (checkpoint: string, kind: Verdict['kind'], status: Verdict['status'], reason = 'r'): Verdict => ({ checkpoint, kind, status, reason, durationMs: 1 });

describe('text from a hand-in is made inert', () => {
  test.each([
    ['a\nforged,row', 'a forged,row'],
    ['\u001b[2J\u001b[31mred\u001b[0m', 'red'],
    ['\u001b]8;;http://x\u0007link\u001b]8;;\u0007', 'link'],
    ['right\u202eexe.txt', 'right exe.txt'],
    ['tab\there', 'tab here'],
  ])('%j → %j', (input, out) => expect(inert(input)).toBe(out));

  test('a CSV cell never starts a formula and quotes what needs quoting', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'=1");
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('two words')).toBe('two words');
  });
});

describe('points', () => {
  test('each passed checkpoint earns its weight; a checkpoint weight beats its kind', () => {
    const w = parseWeights(JSON.stringify({ quiz: 2, exercise: 5, checkpoints: { l1: 0.5 } }), 'w.json', (id) => checkpoints.some((c) => c.id === id));
    const row = makeRow('ann', undefined, checkpoints, [v('q1', 'quiz', 'pass'), v('l1', 'lab', 'pass'), v('e1', 'exercise', 'fail', 'failed: x')], new Set(['e1']), new Map(), [], w);
    expect(row.points).toEqual({ quiz: 2, lab: 0.5, exercise: 0 });
    expect(row.total).toBe(2.5);
    expect(maxPoints(checkpoints, w)).toEqual({ quiz: 2, lab: 0.5, exercise: 5, total: 7.5 });
    expect(row.notes).toEqual(['e1: done in the browser, fail on re-grading (failed: x)']);
  });

  test('a weights file is checked: bad JSON, a bad field, an unknown checkpoint', () => {
    const known = () => false;
    expect(() => parseWeights('{', 'w.json', known)).toThrow(/w.json: not valid JSON/);
    expect(() => parseWeights('{"quiz": -1}', 'w.json', known)).toThrow(/field "quiz"/);
    expect(() => parseWeights('{"quizz": 1}', 'w.json', known)).toThrow(/w.json/);
    expect(() => parseWeights('{"checkpoints": {"nope": 1}}', 'w.json', known)).toThrow(/field "checkpoints.nope": no such checkpoint/);
  });
});

test('CSV and JUnit carry every checkpoint; missing work is missing, not failed', () => {
  const row = makeRow('=evil', 'Bob <b@x>', checkpoints, [v('e1', 'exercise', 'error', 'the grading host failed & <died>')], new Set(), new Map(), [], {});
  const csv = toCsv([row], checkpoints, {}).trim().split('\n');
  expect(csv[0]).toBe('hand-in,learner,q1,l1,e1,quiz points (of 1),lab points (of 1),exercise points (of 1),points (of 3),notes');
  expect(csv[1]).toBe("'=evil,Bob <b@x>,missing,missing,error,0,0,0,0,e1: could not be graded: the grading host failed & <died>");
  const xml = toJunit([row], checkpoints);
  expect(xml).toContain('<testsuite name="=evil" tests="3" failures="0" errors="1" skipped="2">');
  expect(xml).toContain('<error message="the grading host failed &amp; &lt;died&gt;"/>');
  expect(xml).toContain('<property name="learner" value="Bob &lt;b@x&gt;"/>');
});
