import { describe, expect, test } from 'vitest';
import { isolationStep, type IsolationFacts } from './isolation.ts';

const staticHost: IsolationFacts = { crossOriginIsolated: false, servedByNpmStart: false, secureContext: true, serviceWorkers: true, reload: 'none' };

describe('cross-origin isolation on any host', () => {
  test('a host that sends the headers (npm start, a _headers file): nothing to do', () => {
    expect(isolationStep({ ...staticHost, crossOriginIsolated: true })).toEqual({ kind: 'isolated', afterReload: false });
    expect(isolationStep({ ...staticHost, crossOriginIsolated: true, servedByNpmStart: true })).toEqual({ kind: 'isolated', afterReload: false });
  });

  test('a host without headers: register the worker and reload once; after the reload, say why it happened', () => {
    expect(isolationStep(staticHost)).toEqual({ kind: 'register' });
    expect(isolationStep({ ...staticHost, crossOriginIsolated: true, reload: 'pending' })).toEqual({ kind: 'isolated', afterReload: true });
  });

  test('never a second reload in a tab where the first did not help', () => {
    expect(isolationStep({ ...staticHost, reload: 'pending' })).toMatchObject({ kind: 'unavailable', reason: expect.stringContaining('still not isolated') });
    expect(isolationStep({ ...staticHost, reload: 'failed' })).toMatchObject({ kind: 'unavailable' });
    expect(isolationStep({ ...staticHost, reload: null })).toMatchObject({ kind: 'unavailable', reason: expect.stringContaining('storage') });
  });

  test('no worker where it cannot or must not be: npm start, plain http, no service workers', () => {
    expect(isolationStep({ ...staticHost, servedByNpmStart: true })).toMatchObject({ kind: 'unavailable' });
    expect(isolationStep({ ...staticHost, secureContext: false })).toMatchObject({ kind: 'unavailable', reason: expect.stringContaining('https') });
    expect(isolationStep({ ...staticHost, serviceWorkers: false })).toMatchObject({ kind: 'unavailable', reason: expect.stringContaining('service workers') });
  });
});

test('the prefix that tells a page of npm start matches both of its tags', async () => {
  const { LOGIN_META_NAME, TOKEN_META_NAME } = await import('../runners/local/protocol.ts');
  const { NPM_START_META } = await import('./isolation-quick.ts');
  const prefix = /\^="([^"]+)"/.exec(NPM_START_META)![1]!;
  expect(TOKEN_META_NAME.startsWith(prefix)).toBe(true);
  expect(LOGIN_META_NAME.startsWith(prefix)).toBe(true);
});
