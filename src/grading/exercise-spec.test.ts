import { describe, expect, it } from 'vitest';
import { exerciseIds, loadExercise } from './exercise-files.ts';
import { parseExerciseSpec } from './exercise-spec.ts';

const good = { id: 'x', title: 'X', lesson: 'four-way-close', role: 'server', summary: 's', task: ['t'], hints: ['h'], needs: ['halfClose'], wrong: [
  { file: 'a.mjs', why: 'w', failing: 'f', message: 'm' },
  { file: 'b.mjs', why: 'w', failing: 'f', message: 'm' },
] };

describe('exercise.json', () => {
  it('every exercise of the course parses and has its files', () => {
    for (const id of exerciseIds()) expect(() => loadExercise(id)).not.toThrow();
  });
  it('a bad file fails naming the file and the field', () => {
    expect(() => parseExerciseSpec(JSON.stringify({ ...good, role: 'proxy' }), 'content/exercises/x/exercise.json')).toThrow(/content\/exercises\/x\/exercise\.json: field "role"/);
    expect(() => parseExerciseSpec(JSON.stringify({ ...good, needs: ['telepathy'] }), 'f.json')).toThrow(/f\.json: field "needs\.0"/);
    expect(() => parseExerciseSpec(JSON.stringify({ ...good, wrong: [good.wrong[0]] }), 'f.json')).toThrow(/field "wrong"/);
    const { title: _t, ...noTitle } = good;
    expect(() => parseExerciseSpec(JSON.stringify(noTitle), 'f.json')).toThrow(/field "title"/);
    expect(() => parseExerciseSpec('{ nope', 'f.json')).toThrow(/f\.json: not valid JSON/);
  });
});
