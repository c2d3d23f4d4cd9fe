/** Reads content/exercises/ from disk (the CLI and tests; the site imports the same files at build time). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseExerciseSpec, type ExerciseFiles } from './exercise-spec.ts';

export const EXERCISES_DIR = fileURLToPath(new URL('../../content/exercises/', import.meta.url));

export function exerciseIds(dir = EXERCISES_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'exercise.json')))
    .map((d) => d.name)
    .sort();
}

export function loadExercise(id: string, dir = EXERCISES_DIR): ExerciseFiles {
  const base = join(dir, id);
  const file = join(base, 'exercise.json');
  const spec = parseExerciseSpec(readFileSync(file, 'utf8'), file);
  if (spec.id !== id) throw new Error(`${file}: field "id": "${spec.id}" does not match its directory "${id}"`);
  const read = (p: string) => readFileSync(join(base, p), 'utf8');
  const alsoDir = join(base, 'also-correct');
  const alsoCorrect = existsSync(alsoDir) ? Object.fromEntries(readdirSync(alsoDir).filter((f) => f.endsWith('.mjs')).sort().map((f) => [f, read(join('also-correct', f))])) : {};
  return {
    spec,
    starter: read('starter/main.mjs'),
    solution: read('solution/main.mjs'),
    wrong: Object.fromEntries(spec.wrong.map((w) => [w.file, read(join('wrong', w.file))])),
    alsoCorrect,
  };
}
