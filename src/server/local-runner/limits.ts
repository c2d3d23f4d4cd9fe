/** The limits of the local runner, and the words it stops a program with. */
import type { WorkspaceLimits } from './workspace.ts';

export interface LocalLimits extends WorkspaceLimits {
  /** Concurrent WebSocket sessions (browser tabs). */
  maxSessions: number;
  /** Processes (shells and runs) at once in one session. */
  maxProcesses: number;
  /** A `run` is stopped after this long unless it asks for another limit… */
  runTimeoutMs: number;
  /** …which may not exceed this. */
  maxRunTimeoutMs: number;
  /** A shell with no input and no output for this long is stopped. */
  shellIdleMs: number;
  /** A `run` printing more than this is stopped; a shell, when it prints more than this since the last key. */
  outputLimitBytes: number;
}

export const DEFAULT_LIMITS: LocalLimits = {
  maxSessions: 4,
  maxProcesses: 4,
  runTimeoutMs: 30_000,
  maxRunTimeoutMs: 10 * 60_000,
  shellIdleMs: 30 * 60_000,
  outputLimitBytes: 1 << 20,
  maxFiles: 500,
  maxTotalBytes: 8 << 20,
};

export function formatBytes(n: number): string {
  if (n >= 1 << 20 && n % (1 << 20) === 0) return `${n >> 20} MiB`;
  if (n >= 1 << 10 && n % (1 << 10) === 0) return `${n >> 10} KiB`;
  return `${n} bytes`;
}

export function formatDuration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Number((ms / 1000).toFixed(3))} s`;
}
