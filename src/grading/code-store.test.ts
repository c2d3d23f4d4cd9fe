import { describe, expect, it } from 'vitest';
import { codeKey, loadCode, previousVersions, resetCode, restorePrevious, saveCode } from './code-store.ts';

const memory = () => {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), m };
};
const now = new Date('2026-11-25T10:00:00Z');

describe("the learner's code in browser storage", () => {
  it('saves and loads per exercise', () => {
    const s = memory();
    expect(loadCode(s, 'a')).toBeNull();
    saveCode(s, 'a', 'mine', now);
    expect(loadCode(s, 'a')).toBe('mine');
    expect(loadCode(s, 'b')).toBeNull();
  });

  it('Reset keeps the replaced code, and restore brings it back', () => {
    const s = memory();
    saveCode(s, 'a', 'my work', now);
    resetCode(s, 'a', 'my work', 'starter', now);
    expect(loadCode(s, 'a')).toBe('starter');
    expect(previousVersions(s, 'a').map((v) => v.code)).toEqual(['my work']);
    expect(restorePrevious(s, 'a', 'starter', now)).toBe('my work');
    expect(loadCode(s, 'a')).toBe('my work');
  });

  it('an unreadable saved value is kept aside, not lost', () => {
    const s = memory();
    s.setItem(codeKey('a'), 'not json {');
    expect(loadCode(s, 'a')).toBeNull();
    saveCode(s, 'a', 'new', now);
    expect(previousVersions(s, 'a').map((v) => v.code)).toContain('not json {');
  });

  it('storage that throws never throws at the page', () => {
    const broken = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('full'); } };
    expect(loadCode(broken, 'a')).toBeNull();
    expect(saveCode(broken, 'a', 'x', now)).toBe(false);
    expect(() => resetCode(broken, 'a', 'x', 'y', now)).not.toThrow();
  });
});
