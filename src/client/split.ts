export const SPLIT_KEY = 'tcplab:split';
export function clampSplit(pct: number): number {
  return Math.min(75, Math.max(25, pct));
}
