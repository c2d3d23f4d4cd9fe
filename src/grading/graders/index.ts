import type { ExerciseGrader } from '../exercise-types.ts';
import { closeWaitLeak } from './close-wait-leak.ts';
import { fourWayClose } from './four-way-close.ts';
import { halfCloseRequest } from './half-close-request.ts';
import { processExitFin } from './process-exit-fin.ts';
import { resetOnUnread } from './reset-on-unread.ts';
import { selfConnectRetry } from './self-connect-retry.ts';

/** Every exercise of shared/EXERCISES.md, by id (extend, never rename). */
export const GRADERS: Record<string, ExerciseGrader> = Object.fromEntries(
  [fourWayClose, processExitFin, closeWaitLeak, resetOnUnread, halfCloseRequest, selfConnectRetry].map((g) => [g.id, g]),
);
