import type { Progress } from '../../grading/progress.ts';

/** "3 questions scheduled, 1 due now." — or null when the drill was never used. No scheduling code needed. */
export function drillCountLine(reviews: Progress['reviews'], now: number): string | null {
  const records = Object.values(reviews ?? {});
  if (records.length === 0) return null;
  const due = records.filter((r) => {
    const t = Date.parse(r.due);
    return !Number.isFinite(t) || t <= now;
  }).length;
  return `${records.length} question${records.length === 1 ? '' : 's'} scheduled, ${due} due now.`;
}
