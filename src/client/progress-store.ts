import {
  PROGRESS_KEY,
  loadProgress,
  markDone,
  saveProgress,
  type Evidence,
  type LoadResult,
  type Progress,
} from '../grading/progress.ts';

/** Browser-side access to saved progress; every change is announced with a `tcplab:progress` event. */
export const PROGRESS_EVENT = 'tcplab:progress';

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

export function readProgress(): LoadResult {
  const store = storage();
  if (!store) return { status: 'empty', progress: { version: 1, checkpoints: {} } };
  return loadProgress(store);
}

function announce(progress: Progress): void {
  document.dispatchEvent(new CustomEvent(PROGRESS_EVENT, { detail: progress }));
}

/** Records a passed checkpoint. Returns false when storage refused (the pass still shows on the page). */
export function completeCheckpoint(id: string, detail?: string, evidence?: Evidence): boolean {
  const store = storage();
  const current = readProgress().progress;
  const next = markDone(current, id, new Date(), detail, evidence);
  const saved = store ? saveProgress(store, next) : false;
  announce(next);
  return saved;
}

export function rememberLesson(slug: string): void {
  const store = storage();
  if (!store) return;
  const loaded = readProgress();
  // Never write over a value we could not read: loadProgress kept it aside, but be conservative here.
  if (loaded.status === 'unreadable') return;
  if (loaded.progress.lastLesson === slug) return;
  saveProgress(store, { ...loaded.progress, lastLesson: slug });
}

/** Calls back now and whenever progress changes, in this tab or another. */
export function onProgress(callback: (result: LoadResult) => void): void {
  callback(readProgress());
  document.addEventListener(PROGRESS_EVENT, () => callback(readProgress()));
  window.addEventListener('storage', (e) => {
    if (e.key === PROGRESS_KEY) callback(readProgress());
  });
}
