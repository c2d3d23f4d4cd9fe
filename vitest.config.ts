import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'content/**/*.test.ts'],
    environment: 'node',
    pool: 'threads',
    // Many tests start real processes (sandboxed programs, the CLI): room for a loaded 2-core machine.
    testTimeout: 30_000,
    setupFiles: ['src/test-setup.ts'],
  },
});
