import { expect, test, vi } from 'vitest';
import { done, type CommandEnv } from './types.ts';

test('a command that needs a module not loaded yet waits for it, then runs; Ctrl-C while it waits ends it', async () => {
  vi.resetModules();
  // A fresh copy of the module: nothing loaded yet (the test setup preloads the shared one).
  const lazy = (await import('./lazy.ts')) as typeof import('./lazy.ts');
  const notify = vi.fn();
  const env = { world: { notify } } as unknown as CommandEnv;
  const run = vi.fn(() => done(0));
  const waiting = lazy.afterLoading(env, 'help', run);
  expect(waiting.status).toBeNull();
  expect(run).not.toHaveBeenCalled();
  await lazy.load('help');
  await Promise.resolve();
  expect(run).toHaveBeenCalledOnce();
  expect(waiting.status).toBe(0);
  expect(notify).toHaveBeenCalled();
  // Loaded now: the next one runs at once.
  expect(lazy.afterLoading(env, 'help', () => done(3)).status).toBe(3);

  vi.resetModules();
  const fresh = (await import('./lazy.ts')) as typeof import('./lazy.ts');
  const never = vi.fn(() => done(0));
  const interrupted = fresh.afterLoading(env, 'services', never);
  interrupted.signal('INT');
  expect(interrupted.status).toBe(130);
  await fresh.load('services');
  await Promise.resolve();
  expect(never).not.toHaveBeenCalled();
});
