/**
 * Can this machine jail a program? Finds bubblewrap, prlimit and setpriv, reads how the system directories
 * are laid out, and proves the whole thing works by jailing `true` once (a container without user
 * namespaces, or a kernel that forbids them to unprivileged users, fails here, not in the middle of a class).
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, lstatSync, readlinkSync } from 'node:fs';
import { DEFAULT_JAIL_LIMITS, jailArgv, type DropTo, type JailSpec, type SystemLayout } from './jail.ts';

export interface Toolbox {
  bwrap: string;
  prlimit: string;
  setpriv: string | null;
  system: SystemLayout;
  /** Set when this process is root: jails run as this unprivileged user. */
  dropTo?: DropTo;
}

export type Support = { ok: true; tools: Toolbox } | { ok: false; reason: string };

export const NOBODY = { uid: 65534, gid: 65534 };

function which(name: string, extra: string[] = []): string | null {
  const dirs = [...(process.env['PATH'] ?? '').split(':').filter(Boolean), '/usr/bin', '/bin', '/usr/sbin', '/sbin', ...extra];
  for (const d of dirs) {
    const p = `${d}/${name}`;
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return null;
}

/** /bin, /lib … as this host has them: merged-/usr symlinks are recreated, real directories bound. */
export function detectSystem(): SystemLayout {
  const roots: Record<string, string> = {};
  for (const r of ['/bin', '/sbin', '/lib', '/lib64', '/lib32', '/libx32']) {
    try {
      const st = lstatSync(r);
      if (st.isSymbolicLink()) roots[r] = readlinkSync(r);
      else if (st.isDirectory()) roots[r] = 'dir';
    } catch {
      /* absent */
    }
  }
  return { roots, etc: ['/etc/ld.so.cache'].filter((f) => existsSync(f)) };
}

const cache = new Map<string, Support>();

/**
 * What this machine offers (probed once per process and set of paths). `reach`: host paths every jail will
 * bind (the Node runtime is always one); when the unprivileged user cannot reach them (a project in a
 * root-only home), root's own mount namespace shows them to it first (DropTo.expose).
 */
export function sandboxSupport(reach: string[] = []): Support {
  const key = reach.join('\0');
  let s = cache.get(key);
  if (!s) cache.set(key, (s = probe(reach)));
  return s;
}

function probe(reach: string[]): Support {
  if (process.platform !== 'linux') return { ok: false, reason: `bubblewrap sandboxes need Linux namespaces; this is ${process.platform}` };
  // TCPLAB_BWRAP names the bubblewrap binary (one outside PATH; or a path that does not exist, to test without one).
  const named = process.env['TCPLAB_BWRAP'];
  const bwrap = named !== undefined && named !== '' ? (existsSync(named) ? named : null) : which('bwrap');
  if (!bwrap) return { ok: false, reason: 'bubblewrap is not installed (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap)' };
  const prlimit = which('prlimit');
  if (!prlimit || !prlimit.startsWith('/usr/')) return { ok: false, reason: 'prlimit (util-linux) is not installed under /usr' };
  const setpriv = which('setpriv');
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const system = detectSystem();
  const paths = [process.execPath, ...reach].map((p) => p.replace(/\/+$/, '') || '/');
  const attempt = (dropTo: Toolbox['dropTo']) => {
    const spec: JailSpec = {
      bwrap,
      ...(dropTo ? { dropTo } : {}),
      network: 'private',
      system,
      readOnly: paths.map((p, i) => ({ from: p, to: `/probe/${i}` })),
      tmpfs: ['/tmp'],
      env: {},
      cwd: '/tmp',
      argv: ['/usr/bin/env', 'test', '-x', '/probe/0'],
      limits: DEFAULT_JAIL_LIMITS,
      prlimit,
    };
    const argv = jailArgv(spec);
    return spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 10_000 });
  };
  const base = { bwrap, prlimit, setpriv, system };
  if (root && setpriv) {
    // As the unprivileged user, straight; or, when it cannot reach a bound path (a course in root's private
    // home), through root's own mount namespace that shows those paths where it can.
    for (const dropTo of [{ ...NOBODY, setpriv }, { ...NOBODY, setpriv, expose: true }]) {
      if (attempt(dropTo).status === 0) return { ok: true, tools: { ...base, dropTo } };
    }
  }
  const r = attempt(undefined);
  if (r.status === 0) return { ok: true, tools: base };
  const said = `${r.stderr ?? ''}${r.error ? r.error.message : ''}`.trim().split('\n')[0] ?? '';
  return { ok: false, reason: `bubblewrap cannot create namespaces here (${said || `exit ${r.status}`}); user namespaces may be disabled (sysctl user.max_user_namespaces, kernel.unprivileged_userns_clone, or an AppArmor restriction)` };
}

/** Tests only: forget the probes. */
export function resetSupportCache(): void {
  cache.clear();
}
