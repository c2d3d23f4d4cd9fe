import { describe, expect, it } from 'vitest';
import { NO_CAPABILITIES, type Capabilities } from '../../runners/types.ts';
import { capabilityAdvice, chooseRunner, failedThisSession, rememberFailure, RUNNER_PREFERENCE_KEY } from './runner-choice.ts';

const all: Capabilities = { halfClose: true, reset: true, localPort: true, selfConnect: true, realKernelStates: true, shell: true, processKill: true, trace: true };

describe('choosing a runner', () => {
  it("keeps the learner's choice when it is available, else takes local, then WebContainer, then sim", () => {
    const ok = { available: true };
    const no = { available: false, reason: 'x' };
    expect(chooseRunner({ local: ok, webcontainer: ok, sim: ok }, 'sim')).toBe('sim');
    expect(chooseRunner({ local: ok, webcontainer: ok, sim: ok }, null)).toBe('local');
    expect(chooseRunner({ local: no, webcontainer: ok, sim: ok }, 'local')).toBe('webcontainer');
    expect(chooseRunner({ local: no, webcontainer: no, sim: ok }, 'nonsense')).toBe('sim');
    expect(chooseRunner({ local: no, webcontainer: no, sim: no }, null)).toBeNull();
  });

  it('an exercise the runner cannot show faithfully is not graded there, and runners that can are offered', () => {
    const measured = { ...NO_CAPABILITIES, halfClose: true, shell: true };
    const advice = capabilityAdvice('webcontainer', measured, ['selfConnect', 'localPort'], { local: { available: false }, webcontainer: { available: true }, sim: { available: true } }, (k) => (k === 'sim' ? all : null));
    expect(advice?.message).toContain('self-connection');
    expect(advice?.message).toContain('WebContainer cannot show faithfully');
    expect(advice?.alternatives).toEqual(['sim']);
    expect(capabilityAdvice('sim', all, ['selfConnect'], {}, () => null)).toBeNull();
  });
});

describe('a runner that failed to start', () => {
  const kv = () => {
    const m = new Map<string, string>();
    return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k) };
  };

  it('is no longer the remembered choice, and the session remembers why (another choice is kept)', () => {
    const prefs = kv();
    const session = kv();
    prefs.setItem(RUNNER_PREFERENCE_KEY, 'webcontainer');
    rememberFailure(prefs, session, 'webcontainer', 'StackBlitz’s servers cannot be reached');
    expect(prefs.getItem(RUNNER_PREFERENCE_KEY)).toBeNull();
    expect(failedThisSession(session)).toEqual({ webcontainer: 'StackBlitz’s servers cannot be reached' });
    prefs.setItem(RUNNER_PREFERENCE_KEY, 'sim');
    rememberFailure(prefs, session, 'local', 'no local server');
    expect(prefs.getItem(RUNNER_PREFERENCE_KEY)).toBe('sim');
    expect(Object.keys(failedThisSession(session)).sort()).toEqual(['local', 'webcontainer']);
  });

  it('a damaged session record reads as nothing failed', () => {
    const session = kv();
    session.setItem('tcplab:runner-failed', '{not json');
    expect(failedThisSession(session)).toEqual({});
    session.setItem('tcplab:runner-failed', JSON.stringify({ bogus: 'x', sim: 3 }));
    expect(failedThisSession(session)).toEqual({});
  });
});
