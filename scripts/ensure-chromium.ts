/**
 * Makes sure Debian's Chromium is there for the browser tests. Installs the Debian package when it can
 * (root with apt-get); otherwise stops with one line saying what to install. Never downloads a browser.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export function ensureChromium(): { ok: true } | { ok: false; message: string } {
  if (existsSync(CHROMIUM)) return { ok: true };
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
  if (isRoot && hasApt) {
    console.log(`Chromium is missing at ${CHROMIUM}: installing Debian's package (apt-get install -y chromium)…`);
    try {
      execFileSync('apt-get', ['install', '-y', '-q', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    } catch {
      try {
        execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit' });
        execFileSync('apt-get', ['install', '-y', '-q', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
      } catch {
        /* reported below */
      }
    }
    if (existsSync(CHROMIUM)) return { ok: true };
  }
  return {
    ok: false,
    message: `Browser tests need Debian's Chromium at ${CHROMIUM}: run \`sudo apt-get install -y chromium\` (or set CHROMIUM_PATH to a Chromium binary).`,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = ensureChromium();
  if (!result.ok) {
    console.error(result.message);
    process.exit(1);
  }
}
