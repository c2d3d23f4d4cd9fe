/**
 * Which runner an exercise uses: the learner's last choice when it is available, otherwise the first
 * available in order of fidelity to a real Linux machine (local, then WebContainer, then the simulated
 * kernel, which is always there). Pure: the page passes the availabilities it measured.
 */
import type { Availability, Capabilities, CapabilityName, RunnerKind } from '../../runners/types.ts';
import { CAPABILITY_WORDS, missingCapabilities } from '../../runners/types.ts';

export const RUNNER_ORDER: RunnerKind[] = ['local', 'webcontainer', 'sim'];
export const RUNNER_NAMES: Record<RunnerKind, string> = { local: 'This computer (local)', webcontainer: 'WebContainer', sim: 'Simulated kernel' };
/** The same names inside a sentence ("Runs on this computer (local)."). */
export const RUNNER_IN_SENTENCE: Record<RunnerKind, string> = { local: 'this computer (local)', webcontainer: 'WebContainer', sim: 'the simulated kernel' };
export const RUNNER_PREFERENCE_KEY = 'tcplab:runner';

export function chooseRunner(available: Partial<Record<RunnerKind, Availability>>, preferred: string | null): RunnerKind | null {
  if (preferred && (RUNNER_ORDER as string[]).includes(preferred) && available[preferred as RunnerKind]?.available) return preferred as RunnerKind;
  return RUNNER_ORDER.find((k) => available[k]?.available) ?? null;
}

/** What to tell the learner when the chosen runner cannot show what the exercise needs, or null. */
export function capabilityAdvice(kind: RunnerKind, caps: Capabilities, needs: readonly CapabilityName[], available: Partial<Record<RunnerKind, Availability>>, capsOf: (k: RunnerKind) => Capabilities | null): { message: string; alternatives: RunnerKind[] } | null {
  const missing = missingCapabilities(caps, needs);
  if (missing.length === 0) return null;
  const alternatives = RUNNER_ORDER.filter((k) => k !== kind && available[k]?.available && (() => {
    const c = capsOf(k);
    return c !== null && missingCapabilities(c, needs).length === 0;
  })());
  return {
    message: `This exercise needs ${missing.map((m) => CAPABILITY_WORDS[m]).join(' and ')}, which ${RUNNER_NAMES[kind]} cannot show faithfully, so it would not be fair to grade you there.`,
    alternatives,
  };
}

/** Where a page remembers, for the rest of the browser session, a runner that could not start. */
export const RUNNER_FAILED_KEY = 'tcplab:runner-failed';

interface KeyValue {
  getItem(k: string): string | null;
  setItem(k: string, v: string): void;
  removeItem?(k: string): void;
}

/**
 * A runner failed to start: it is no longer the learner's remembered choice (the next page must not try
 * it first and wait again), and the session remembers why, so the next page says so at once.
 */
export function rememberFailure(prefs: KeyValue | null, session: KeyValue | null, kind: RunnerKind, reason: string): void {
  try {
    if (prefs?.getItem(RUNNER_PREFERENCE_KEY) === kind) prefs.removeItem?.(RUNNER_PREFERENCE_KEY);
    const failed = failedThisSession(session);
    failed[kind] = reason;
    session?.setItem(RUNNER_FAILED_KEY, JSON.stringify(failed));
  } catch {
    /* storage blocked: nothing to remember */
  }
}

/** The runners that failed to start earlier in this browser session, with why. */
export function failedThisSession(session: KeyValue | null): Partial<Record<RunnerKind, string>> {
  try {
    const raw = JSON.parse(session?.getItem(RUNNER_FAILED_KEY) ?? '{}') as unknown;
    if (typeof raw !== 'object' || raw === null) return {};
    return Object.fromEntries(Object.entries(raw).filter(([k, v]) => (RUNNER_ORDER as string[]).includes(k) && typeof v === 'string')) as Partial<Record<RunnerKind, string>>;
  } catch {
    return {};
  }
}
