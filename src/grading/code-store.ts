/**
 * The learner's code of each exercise, saved in browser storage as they type. Nothing here ever throws
 * away their work: Reset keeps the replaced code among the previous versions, and a stored value that
 * cannot be read is kept aside rather than overwritten.
 */
import type { KeyValueStore } from './progress.ts';

export const codeKey = (exercise: string) => `tcplab:code:${exercise}`;
export const previousKey = (exercise: string) => `tcplab:code:${exercise}:previous`;
const KEEP = 10;

interface Saved {
  v: 1;
  code: string;
  at: string;
}

export interface Version {
  code: string;
  at: string;
}

/** The saved code, or null when nothing (readable) was saved. */
export function loadCode(store: KeyValueStore, exercise: string): string | null {
  let raw: string | null;
  try {
    raw = store.getItem(codeKey(exercise));
  } catch {
    return null;
  }
  if (raw === null) return null;
  try {
    const v = JSON.parse(raw) as Saved;
    if (v && v.v === 1 && typeof v.code === 'string') return v.code;
  } catch {
    /* fall through */
  }
  // Unreadable: keep it among the previous versions so the next save cannot destroy it.
  pushPrevious(store, exercise, { code: raw, at: 'unreadable' });
  return null;
}

export function saveCode(store: KeyValueStore, exercise: string, code: string, now: Date): boolean {
  try {
    store.setItem(codeKey(exercise), JSON.stringify({ v: 1, code, at: now.toISOString() } satisfies Saved));
    return true;
  } catch {
    return false;
  }
}

export function previousVersions(store: KeyValueStore, exercise: string): Version[] {
  try {
    const list: unknown = JSON.parse(store.getItem(previousKey(exercise)) ?? '[]');
    return Array.isArray(list) ? list.filter((x): x is Version => typeof x?.code === 'string' && typeof x?.at === 'string') : [];
  } catch {
    return [];
  }
}

function pushPrevious(store: KeyValueStore, exercise: string, version: Version): void {
  const list = previousVersions(store, exercise);
  if (list.at(-1)?.code === version.code) return;
  try {
    store.setItem(previousKey(exercise), JSON.stringify([...list, version].slice(-KEEP)));
  } catch {
    /* storage full: the current code is still in the editor */
  }
}

/** Reset: the current code joins the previous versions, then the starter becomes the current code. */
export function resetCode(store: KeyValueStore, exercise: string, current: string, starter: string, now: Date): void {
  if (current !== starter) pushPrevious(store, exercise, { code: current, at: now.toISOString() });
  saveCode(store, exercise, starter, now);
}

/** Brings back the most recent previous version (the current code joins the list in its place). */
export function restorePrevious(store: KeyValueStore, exercise: string, current: string, now: Date): string | null {
  const list = previousVersions(store, exercise);
  const last = list.at(-1);
  if (!last) return null;
  try {
    store.setItem(previousKey(exercise), JSON.stringify(list.slice(0, -1)));
  } catch {
    return null;
  }
  pushPrevious(store, exercise, { code: current, at: now.toISOString() });
  saveCode(store, exercise, last.code, now);
  return last.code;
}
