import { describe, expect, it } from 'vitest';
import { NO_CAPABILITIES, type Capabilities } from '../../runners/types.ts';
import { capabilityAdvice, chooseRunner } from './runner-choice.ts';

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
