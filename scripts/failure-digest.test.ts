import { describe, expect, it } from 'vitest';
import { formatFailures, playwrightFailures, vitestFailures } from './failure-digest.ts';

// Shapes as vitest 4's and Playwright's json reporters write them (trimmed from real runs).
const vitestReport = {
  testResults: [
    { assertionResults: [], status: 'failed', message: "Cannot find module './nope.ts' imported from /r/src/zz/broken.test.ts", name: '/r/src/zz/broken.test.ts' },
    {
      status: 'failed',
      message: '',
      name: '/r/src/zz/fail.test.ts',
      assertionResults: [
        { ancestorTitles: ['outer'], status: 'failed', title: 'adds', failureMessages: ['AssertionError: expected 2 to be 3 // Object.is equality\n    at /r/src/zz/fail.test.ts:2:60\n'] },
        { ancestorTitles: ['outer'], status: 'passed', title: 'ok', failureMessages: [] },
      ],
    },
    { status: 'passed', message: '', name: '/r/src/zz/good.test.ts', assertionResults: [{ ancestorTitles: [], status: 'passed', title: 'x', failureMessages: [] }] },
  ],
};

const playwrightReport = {
  suites: [
    {
      title: 'a.spec.ts',
      specs: [],
      suites: [
        {
          title: 'group',
          specs: [
            {
              title: 'fails',
              tests: [{ status: 'unexpected', results: [{ status: 'failed', error: { message: 'Error: \u001b[2mexpect(\u001b[22mreceived).toBe(expected)\n\nExpected: \u001b[32m2\u001b[39m\nReceived: 1' } }] }],
            },
            { title: 'passes', tests: [{ status: 'expected', results: [{ status: 'passed' }] }] },
            { title: 'flaky', tests: [{ status: 'flaky', results: [{ status: 'failed', error: { message: 'x' } }, { status: 'passed' }] }] },
          ],
        },
      ],
    },
  ],
  errors: [{ message: 'Error: No tests found' }],
};

describe('failure digest: npm test names what failed under its summary', () => {
  it('names each failed vitest test by file and titles, and a file that failed to load', () => {
    expect(vitestFailures(vitestReport, '/r/')).toEqual([
      { where: 'src/zz/broken.test.ts', message: "Cannot find module './nope.ts' imported from /r/src/zz/broken.test.ts" },
      { where: 'src/zz/fail.test.ts > outer > adds', message: 'AssertionError: expected 2 to be 3 // Object.is equality' },
    ]);
  });

  it('names each unexpected Playwright result (not a flaky one) without colour codes, and errors outside tests', () => {
    expect(playwrightFailures(playwrightReport)).toEqual([
      { where: 'a.spec.ts > group > fails', message: 'Error: expect(received).toBe(expected) · Expected: 2 · Received: 1' },
      { where: 'outside any test', message: 'Error: No tests found' },
    ]);
  });

  it('reads nothing from a missing or malformed report', () => {
    expect(vitestFailures(undefined)).toEqual([]);
    expect(vitestFailures({ testResults: 'nope' })).toEqual([]);
    expect(playwrightFailures(42)).toEqual([]);
  });

  it('prints at most the limit, and says how many more', () => {
    const many = Array.from({ length: 5 }, (_, i) => ({ where: `t${i}`, message: '' }));
    expect(formatFailures(many, 2)).toEqual(['  ✗ t0', '  ✗ t1', '  … and 3 more']);
  });
});
