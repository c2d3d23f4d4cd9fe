/**
 * The jail of a local-runner session's process (a shell, a run): the learner's own machine as it is — the
 * same files, the real network and kernel, so `ss`, `tcpdump` and `nc` show the real thing — but a process
 * namespace of its own, so that everything it starts, however detached (setsid, double fork, nohup), dies
 * with it. Not a security boundary against its owner: a boundary in time.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

export interface SessionJail {
  bwrap: string;
  /** Root keeps its capabilities (tcpdump works, as in a root shell); anyone else needs a user namespace. */
  asRoot: boolean;
}

/** bwrap's options before `--` and the command. */
export function sessionJailArgs(j: SessionJail): string[] {
  return ['--unshare-pid', ...(j.asRoot ? [] : ['--unshare-user']), '--die-with-parent', '--dev-bind', '/', '/', '--proc', '/proc'];
}

let cached: { jail: SessionJail | null; reason?: string } | undefined;

function findBwrap(): string | null {
  const named = process.env['TCPLAB_BWRAP'];
  const candidates = named !== undefined && named !== '' ? [named] : [...(process.env['PATH'] ?? '').split(':').filter(Boolean).map((d) => `${d}/bwrap`), '/usr/bin/bwrap'];
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      /* next */
    }
  }
  return null;
}

/** The session jail this machine can make, or null with the reason (then processes are killed by group). */
export function sessionJailSupport(): { jail: SessionJail | null; reason?: string } {
  if (cached) return cached;
  if (process.platform !== 'linux') return (cached = { jail: null, reason: `no process namespaces on ${process.platform}` });
  const bwrap = findBwrap();
  if (!bwrap) return (cached = { jail: null, reason: 'bubblewrap is not installed (apt-get install bubblewrap)' });
  const jail: SessionJail = { bwrap, asRoot: typeof process.getuid === 'function' && process.getuid() === 0 };
  const r = spawnSync(bwrap, [...sessionJailArgs(jail), '--', '/bin/sh', '-c', 'exit 0'], { encoding: 'utf8', timeout: 10_000 });
  if (r.status === 0) return (cached = { jail });
  return (cached = { jail: null, reason: `bubblewrap cannot create a process namespace here (${(r.stderr ?? '').trim().split('\n')[0] ?? `exit ${r.status}`})` });
}
