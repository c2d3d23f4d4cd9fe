/**
 * The command line that runs a program in a jail: bubblewrap namespaces (user, pid, ipc, uts, cgroup, and
 * network when asked), a read-only view of the system, private writable /tmp and home, only the files the
 * caller binds, a cleared environment, resource limits (prlimit inside the jail), dying with its parent.
 *
 * Pure: it only builds argv, so every rule is testable without running anything (see jail.test.ts); the
 * attacks that prove the rules hold are in sandbox.test.ts.
 */

export interface JailLimits {
  /** RLIMIT_CPU: seconds of CPU before SIGXCPU/SIGKILL. */
  cpuSeconds: number;
  /** RLIMIT_DATA: Node needs about 1 GiB of address space for its heap reservations. */
  dataBytes: number;
  /** RLIMIT_NPROC: processes and threads (Node alone uses about 11). */
  processes: number;
  /** RLIMIT_FSIZE: the largest file it may write. */
  fileBytes: number;
  /** RLIMIT_NOFILE. */
  openFiles: number;
  /** Size of each private tmpfs (/tmp and home). */
  tmpBytes: number;
}

export const DEFAULT_JAIL_LIMITS: JailLimits = {
  cpuSeconds: 20,
  dataBytes: 1 << 30,
  processes: 64,
  fileBytes: 8 << 20,
  openFiles: 256,
  tmpBytes: 16 << 20,
};

/** A host path bound at `to`, or (data) text copied into a read-only file at `to` through a pipe. */
export type Bind = { from: string; to: string } | { data: string; to: string };

/** How the host's system directories look: a symlink (merged /usr) is recreated, a directory is bound. */
export interface SystemLayout {
  /** Top-level entries like /bin, /lib, /lib64, /sbin: their symlink target, or 'dir'. */
  roots: Record<string, string>;
  /** /etc files the dynamic loader may need, when they exist. */
  etc: string[];
}

export interface JailSpec {
  bwrap: string;
  /** When the caller is root, the jail runs as this unprivileged user (setpriv), so its kernel uid is not 0. */
  dropTo?: DropTo;
  /** 'private': a network namespace of its own (only a loopback); 'inherit': the caller's. */
  network: 'private' | 'inherit';
  system: SystemLayout;
  /** Read-only binds: the program, the Node runtime … */
  readOnly: Bind[];
  /** Writable binds (a session directory of the local runner). */
  writable?: Array<{ from: string; to: string }>;
  /** Private writable directories (tmpfs), created empty. */
  tmpfs: string[];
  env: Record<string, string>;
  cwd: string;
  /** The command inside the jail, absolute path first. */
  argv: string[];
  limits: JailLimits;
  /** prlimit's path inside the jail (under /usr, which is bound). */
  prlimit?: string;
  /** Allow user namespaces inside (a grading host that starts jails of its own). Default: forbidden. */
  allowNestedJails?: boolean;
  /** /proc of the jail's own pid namespace (default) */
  hostname?: string;
}

export interface DropTo {
  uid: number;
  gid: number;
  setpriv: string;
  /**
   * The unprivileged user cannot reach some bound paths (a course in root's private home): a mount namespace
   * of root's own shows every bound host path under EXPOSED first, and the jail binds them from there.
   */
  expose?: boolean;
}

/** Where root's outer mount namespace shows the bound host paths (on a fresh tmpfs over its /tmp). */
export const EXPOSED = '/tmp/exposed';

export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Fails loudly on anything that could smuggle an option into bwrap's command line. */
function checkPath(p: string, what: string): string {
  if (!p.startsWith('/') || p.includes('\0') || p.includes('\n')) throw new Error(`jail: ${what} must be an absolute path: ${JSON.stringify(p)}`);
  return p;
}

export function prlimitArgs(l: JailLimits, prlimit: string): string[] {
  const n = (x: number) => String(Math.max(0, Math.floor(x)));
  return [
    prlimit,
    `--cpu=${n(l.cpuSeconds)}`,
    `--data=${n(l.dataBytes)}`,
    `--nproc=${n(l.processes)}`,
    `--fsize=${n(l.fileBytes)}`,
    `--nofile=${n(l.openFiles)}`,
    '--core=0',
    '--',
  ];
}

/**
 * The full command line: [bwrap (root's view) … --] [setpriv … --] bwrap … -- prlimit … -- argv. A data bind
 * reads its text from the descriptor `dataFds[i]` (the i-th data bind), which the caller feeds: a learner's
 * program reaches the jail without ever being a file another user could read.
 */
export function jailArgv(spec: JailSpec, dataFds: readonly number[] = []): string[] {
  const a: string[] = [];
  // Host paths the jail binds, and where the jail's bubblewrap finds them (the same path, or re-exposed).
  const source = new Map<string, string>();
  if (spec.dropTo?.expose) {
    const hostPaths = [...spec.readOnly.flatMap((b) => ('from' in b ? [b.from] : [])), ...(spec.writable ?? []).map((b) => b.from)];
    // Root's own view of the machine (its mount namespace only; bubblewrap reads bind sources from the old
    // root, so the tmpfs over /tmp hides nothing it binds), with every bound path where any user can reach it.
    // A pid namespace of its own too: its pid 1 (root's, so its parent-death signal holds) takes the whole
    // jail with it when it dies, although changing user cleared that signal in the jail's bubblewrap.
    a.push(checkPath(spec.bwrap, 'bwrap'), '--unshare-pid', '--dev-bind', '/', '/', '--tmpfs', '/tmp', '--perms', '0755', '--dir', EXPOSED);
    const writable = new Set((spec.writable ?? []).map((b) => b.from));
    for (const from of new Set(hostPaths)) {
      const at = `${EXPOSED}/${source.size}`;
      a.push(writable.has(from) ? '--bind' : '--ro-bind', checkPath(from, 'bind source'), at);
      source.set(from, at);
    }
    a.push('--die-with-parent', '--');
  }
  const from = (p: string) => source.get(p) ?? checkPath(p, 'bind source');
  if (spec.dropTo) {
    const { uid, gid, setpriv } = spec.dropTo;
    a.push(setpriv, `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--inh-caps=-all', '--');
  }
  a.push(checkPath(spec.bwrap, 'bwrap'));
  a.push('--unshare-user', '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try');
  if (spec.network === 'private') a.push('--unshare-net');
  if (!spec.allowNestedJails) a.push('--disable-userns');
  a.push('--die-with-parent', '--new-session', '--hostname', spec.hostname ?? 'jail');
  a.push('--clearenv');
  for (const [k, v] of Object.entries(spec.env)) {
    if (!ENV_NAME.test(k) || v.includes('\0')) throw new Error(`jail: bad environment variable ${JSON.stringify(k)}`);
    a.push('--setenv', k, v);
  }
  // The system, read-only.
  a.push('--ro-bind', '/usr', '/usr');
  for (const [root, target] of Object.entries(spec.system.roots)) {
    checkPath(root, 'system root');
    if (target === 'dir') a.push('--ro-bind', root, root);
    else a.push('--symlink', target, root);
  }
  for (const f of spec.system.etc) a.push('--ro-bind-try', checkPath(f, '/etc file'), f);
  a.push('--proc', '/proc', '--dev', '/dev');
  for (const dir of spec.tmpfs) a.push('--size', String(spec.limits.tmpBytes), '--tmpfs', checkPath(dir, 'tmpfs'));
  let data = 0;
  for (const b of spec.readOnly) {
    if ('data' in b) {
      const fd = dataFds[data++];
      if (fd === undefined) throw new Error(`jail: no descriptor for the data of ${b.to}`);
      a.push('--ro-bind-data', String(fd), checkPath(b.to, 'bind target'));
    } else a.push('--ro-bind', from(b.from), checkPath(b.to, 'bind target'));
  }
  for (const b of spec.writable ?? []) a.push('--bind', from(b.from), checkPath(b.to, 'bind target'));
  // Everything bound; now the root itself becomes read-only (the tmpfs and writable binds stay writable).
  a.push('--remount-ro', '/');
  a.push('--chdir', checkPath(spec.cwd, 'cwd'));
  a.push('--', ...prlimitArgs(spec.limits, spec.prlimit ?? '/usr/bin/prlimit'), ...spec.argv);
  return a;
}
