import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  PROGRESS_KEY,
  emptyProgress,
  isDone,
  loadProgress,
  markDone,
  parseProgress,
  UNSTORABLE_KEYS,
  saveProgress,
  type KeyValueStore,
  unreadableBackups,
} from './progress.ts';

function memoryStore(init: Record<string, string> = {}): KeyValueStore & { data: Map<string, string> } {
  const data = new Map(Object.entries(init));
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe('progress storage', () => {
  test('a fresh browser has empty progress', () => {
    expect(loadProgress(memoryStore())).toEqual({ status: 'empty', progress: emptyProgress() });
  });

  test('a saved checkpoint survives a reload', () => {
    const store = memoryStore();
    saveProgress(store, markDone(emptyProgress(), 'lifecycle-lab', new Date('2026-01-01T00:00:00Z')));
    const loaded = loadProgress(store);
    expect(loaded.status).toBe('ok');
    expect(isDone(loaded.progress, 'lifecycle-lab')).toBe(true);
  });

  test('marking twice keeps the first pass time', () => {
    const once = markDone(emptyProgress(), 'a', new Date('2026-01-01T00:00:00Z'));
    const twice = markDone(once, 'a', new Date('2026-02-01T00:00:00Z'));
    expect(twice.checkpoints['a']?.at).toBe('2026-01-01T00:00:00.000Z');
  });

  test('corrupt JSON is reported and kept aside, and a later save does not destroy it', () => {
    const store = memoryStore({ [PROGRESS_KEY]: '{"version":1,"checkpoints":' });
    const loaded = loadProgress(store);
    expect(loaded.status).toBe('unreadable');
    if (loaded.status !== 'unreadable') return;
    expect(loaded.reason).toMatch(/not JSON/);
    saveProgress(store, markDone(loaded.progress, 'x', new Date()));
    expect(unreadableBackups(store)).toEqual(['{"version":1,"checkpoints":']);
  });

  test('a value of the wrong shape is reported with where it is wrong', () => {
    const store = memoryStore({ [PROGRESS_KEY]: JSON.stringify({ version: 1, checkpoints: { a: { done: 'yes' } } }) });
    const loaded = loadProgress(store);
    expect(loaded.status).toBe('unreadable');
    if (loaded.status === 'unreadable') expect(loaded.reason).toMatch(/checkpoints\.a/);
  });

  test('a newer version is not silently read as ours', () => {
    const store = memoryStore({ [PROGRESS_KEY]: JSON.stringify({ version: 2, checkpoints: {} }) });
    expect(loadProgress(store).status).toBe('unreadable');
  });

  test('a second unreadable value is kept beside the first, and each only once', () => {
    const store = memoryStore({ [PROGRESS_KEY]: 'garbage-1' });
    loadProgress(store);
    loadProgress(store);
    store.setItem(PROGRESS_KEY, 'garbage-2');
    loadProgress(store);
    expect(unreadableBackups(store)).toEqual(['garbage-1', 'garbage-2']);
  });

  test('any progress the site writes reads back the same (quiz and lab evidence, drill schedule)', () => {
    const key = fc.string().filter((k) => !UNSTORABLE_KEYS.includes(k));
    const evidence = fc.oneof(
      fc.record({ kind: fc.constant('quiz' as const), answers: fc.dictionary(key, fc.array(fc.string())) }),
      fc.record({ kind: fc.constant('lab' as const), seed: fc.integer(), session: fc.string() }),
    );
    const record = fc.record({ done: fc.boolean(), at: fc.string(), detail: fc.string(), evidence }, { requiredKeys: ['done', 'at'] });
    const review = fc.record({
      due: fc.string(), last: fc.string(), rating: fc.constantFrom('again', 'hard', 'good', 'easy'), state: fc.constantFrom('learning', 'review', 'relearning'),
      stability: fc.double({ noNaN: true, noDefaultInfinity: true }), difficulty: fc.double({ noNaN: true, noDefaultInfinity: true }),
      step: fc.nat(), scheduledDays: fc.nat(), reps: fc.nat(), lapses: fc.nat(),
    });
    const progress = fc.record(
      { version: fc.constant(1 as const), checkpoints: fc.dictionary(key, record), lastLesson: fc.string(), reviews: fc.dictionary(key, review) },
      { requiredKeys: ['version', 'checkpoints'] },
    );
    fc.assert(fc.property(progress, (p) => {
      const parsed = parseProgress(JSON.stringify(p));
      expect(parsed).toEqual({ ok: true, progress: JSON.parse(JSON.stringify(p)) });
    }));
  });

  test('any other JSON is either read or refused with a reason, never thrown on', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      const parsed = parseProgress(JSON.stringify(value));
      if (!parsed.ok) expect(parsed.reason).toMatch(/: /);
    }));
  });
});
