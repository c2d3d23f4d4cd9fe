/**
 * The Debian packages the tests need: Chromium for the browser tests, bubblewrap for the sandbox every
 * learner program runs in, tcpdump/nftables/iproute2 for the kernel-truth suite. Installs what is missing
 * when it can (root with apt-get); otherwise says in one line what to install. Never downloads a browser.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export interface Need {
  /** A command on PATH, or an absolute path, that shows the package is there. */
  probe: string;
  pkg: string;
}

const present = (probe: string) => (probe.startsWith('/') ? existsSync(probe) : spawnSync('sh', ['-c', `command -v ${probe}`]).status === 0);

/** Installs what is missing (root + apt-get only). Returns the packages still missing. */
export function ensurePackages(needs: Need[]): string[] {
  const missing = () => needs.filter((n) => !present(n.probe)).map((n) => n.pkg);
  const want = missing();
  if (want.length === 0) return [];
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && present('apt-get')) {
    console.log(`Installing Debian packages the tests need: ${want.join(' ')}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    try {
      execFileSync('apt-get', ['install', '-y', '-q', ...want], { stdio: 'inherit', env });
    } catch {
      try {
        execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
        execFileSync('apt-get', ['install', '-y', '-q', ...want], { stdio: 'inherit', env });
      } catch {
        /* reported by the caller */
      }
    }
  }
  return missing();
}

export const CHROMIUM_NEED: Need = { probe: CHROMIUM, pkg: 'chromium' };
export const SANDBOX_NEED: Need = { probe: 'bwrap', pkg: 'bubblewrap' };
export const TRUTH_NEEDS: Need[] = [
  { probe: 'tcpdump', pkg: 'tcpdump' },
  { probe: 'nft', pkg: 'nftables' },
  { probe: 'ss', pkg: 'iproute2' },
  { probe: 'python3', pkg: 'python3' },
];

export function ensureChromium(): { ok: true } | { ok: false; message: string } {
  if (ensurePackages([CHROMIUM_NEED]).length === 0) return { ok: true };
  return { ok: false, message: `Browser tests need Debian's Chromium at ${CHROMIUM}: run \`sudo apt-get install -y chromium\` (or set CHROMIUM_PATH to a Chromium binary).` };
}
