import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'content/**/*.test.ts'],
    environment: 'node',
    pool: 'threads',
    // Most test time is spent waiting on real processes and timers (sandboxed programs, graders' peers), not on
    // the CPU: two files per core keep a 2-core machine busy (104 s → about 41 s for the suite).
    maxWorkers: 2 * availableParallelism(),
    // Many tests start real processes (sandboxed programs, the CLI): room for a loaded 2-core machine.
    testTimeout: 30_000,
    setupFiles: ['src/test-setup.ts'],
  },
});
