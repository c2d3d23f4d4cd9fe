/**
 * Finding and killing everything a process started (a jail's bubblewrap, a local-runner session's command).
 * On Linux the process table in /proc gives each process's parent, group and session, so a kill takes the whole
 * tree below a process (stopped first, so it starts nothing more) and every process of the given sessions, even
 * jobs a shell put in process groups of their own. Elsewhere it falls back to killing the process groups.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

interface ProcEntry {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  state: string;
}

/** The process table, or null when there is no /proc (macOS). */
function readProcs(): ProcEntry[] | null {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return null;
  }
  const procs: ProcEntry[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const entry = readStat(Number(name));
    if (entry) procs.push(entry);
  }
  return procs;
}

function readStat(pid: number): ProcEntry | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // "pid (comm) state ppid pgrp session …": comm may hold spaces and parentheses.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { pid, state: rest[0] ?? '?', ppid: Number(rest[1]), pgid: Number(rest[2]), sid: Number(rest[3]) };
}

const HAS_PROC = existsSync('/proc/self/stat');

/** True while the process exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  const entry = readStat(pid);
  if (entry) return entry.state !== 'Z' && entry.state !== 'X';
  if (HAS_PROC) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Live processes below `root` (not `root` itself) or in one of `sessions`. */
export function findTree(root: number, sessions: readonly number[] = []): number[] | null {
  const procs = readProcs();
  if (!procs) return null;
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  const children = new Map<number, number[]>();
  for (const p of procs) {
    const list = children.get(p.ppid);
    if (list) list.push(p.pid);
    else children.set(p.ppid, [p.pid]);
  }
  const found = new Set<number>();
  const stack = [root];
  while (stack.length > 0) {
    for (const c of children.get(stack.pop()!) ?? []) {
      if (!found.has(c)) {
        found.add(c);
        stack.push(c);
      }
    }
  }
  const sids = new Set(sessions.filter((s) => s > 1));
  for (const p of procs) if (sids.has(p.sid) && p.pid !== root) found.add(p.pid);
  return [...found].filter((pid) => {
    const state = byPid.get(pid)?.state;
    return state !== undefined && state !== 'Z' && state !== 'X' && pid > 1 && pid !== process.pid;
  });
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Waits (at most 200 ms, a millisecond at a time) until `pid` is stopped, a zombie or gone. */
function untilStopped(pid: number): void {
  if (!HAS_PROC) return;
  for (let i = 0; i < 200; i++) {
    const state = readStat(pid)?.state;
    if (state === undefined || state === 'T' || state === 't' || state === 'Z' || state === 'X') return;
    Atomics.wait(pause, 0, 0, 1);
  }
}

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    /* already gone */
  }
}

/**
 * SIGKILLs every process below `root` and in `sessions`, then `root`'s own process group. Repeats while
 * the tree still changes (a program that forks as fast as it can), stopping it first so it cannot.
 * `root` itself is stopped first: a bubblewrap killed the instant after it cloned its sandbox's pid 1, before
 * that child asked to die with its parent, would otherwise leave the whole sandbox running.
 */
export function killTree(root: number, sessions: readonly number[] = [], opts: { includeRoot?: boolean } = {}): void {
  const includeRoot = opts.includeRoot !== false && root > 1;
  if (includeRoot) {
    kill(root, 'SIGSTOP');
    // Stopped, not merely signalled: a clone() it was in the middle of has finished, so its child is in the table.
    untilStopped(root);
  }
  for (let pass = 0; pass < 20; pass++) {
    const tree = findTree(root, sessions);
    if (tree === null) {
      for (const s of sessions) if (s > 1) kill(-s, 'SIGKILL');
      break;
    }
    if (tree.length === 0) break;
    for (const pid of tree) kill(pid, 'SIGSTOP');
    for (const pid of tree) kill(pid, 'SIGKILL');
  }
  if (includeRoot) {
    kill(-root, 'SIGKILL');
    kill(root, 'SIGKILL');
  }
}
