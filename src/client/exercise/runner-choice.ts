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
