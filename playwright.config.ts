import { defineConfig } from '@playwright/test';

// One port per test run, shared by the workers (they inherit the environment of the main process),
// so that two runs on one machine do not collide.
process.env['E2E_PORT'] ??= String(20000 + (process.pid % 20000));
const port = Number(process.env['E2E_PORT']);
// The login token of the local runner's link (npm start prints it; tests open it to get the session cookie).
process.env['TCPLAB_TOKEN'] ??= `e2e-${process.pid}-${Math.random().toString(36).slice(2)}`;
const chromium = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'e2e',
  // Benchmarks (e2e/*.bench.ts) run only through their npm scripts (`npm run bench:lab-prompt`), never in `npm test`.
  testMatch: process.env['TCPLAB_BENCH'] ? /\.bench\.ts$/ : /\.spec\.ts$/,
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [['list']],
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    launchOptions: {
      executablePath: chromium,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu'],
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'desktop', use: { viewport: { width: 1440, height: 900 } }, testIgnore: /mobile\.spec\.ts/ },
    ...(process.env['TCPLAB_BENCH'] ? [] : [{ name: 'phone', use: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }, testMatch: /mobile\.spec\.ts/ }]),
  ],
  webServer: {
    command: `node src/server/start.ts --no-build`,
    env: { PORT: String(port), TCPLAB_TOKEN: process.env['TCPLAB_TOKEN'] },
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 30_000,
  },
});
