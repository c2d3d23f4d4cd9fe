/**
 * A session's workspace: a fresh temporary directory, and files written only inside it. Every path is
 * checked (relative, no `..`, no NUL), every directory on the way is created or checked not to be a
 * symbolic link, and the file itself is opened with O_NOFOLLOW: nothing a browser sends lands outside.
 */
import { closeSync, constants, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, realpathSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve, sep } from 'node:path';

export class PathError extends Error {}

const PREFIX = 'tcplab-local-';

export interface WorkspaceLimits {
  maxFiles: number;
  maxTotalBytes: number;
}

export const DEFAULT_WORKSPACE_LIMITS: WorkspaceLimits = { maxFiles: 500, maxTotalBytes: 8 << 20 };

/** The segments of a relative path, or a PathError saying why it may not be used. */
export function checkRelativePath(path: unknown): string[] {
  if (typeof path !== 'string' || path === '') throw new PathError('a file path must be a non-empty string');
  const shown = JSON.stringify(path.length > 80 ? `${path.slice(0, 80)}…` : path);
  if (path.length > 1024) throw new PathError(`path too long: ${shown}`);
  if (path.includes('\0')) throw new PathError(`path contains a NUL byte: ${shown}`);
  if (isAbsolute(path) || path.startsWith('\\') || /^[a-zA-Z]:/.test(path)) throw new PathError(`absolute paths are not allowed: ${shown}`);
  const segments = path.split(/[/\\]/).filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) throw new PathError(`".." is not allowed in a path: ${shown}`);
  if (segments.length === 0) throw new PathError(`not a file path: ${shown}`);
  return segments;
}

export class Workspace {
  /** The real path of the directory (symbolic links of the temporary directory resolved). */
  readonly dir: string;
  readonly limits: WorkspaceLimits;
  #removed = false;

  constructor(dir: string, limits: WorkspaceLimits) {
    this.dir = dir;
    this.limits = limits;
  }

  /** The directory's name holds the server's pid, so a later server can tell an abandoned one. */
  static create(parent: string = tmpdir(), limits: WorkspaceLimits = DEFAULT_WORKSPACE_LIMITS): Workspace {
    return new Workspace(realpathSync(mkdtempSync(join(parent, `${PREFIX}${process.pid}-`))), limits);
  }

  /** Removes the workspaces of servers that died without cleaning up (killed with SIGKILL). */
  static removeAbandoned(parent: string = tmpdir(), alive: (pid: number) => boolean): void {
    let names: string[];
    try {
      names = readdirSync(parent);
    } catch {
      return;
    }
    for (const name of names) {
      const owner = Number(new RegExp(`^${PREFIX}(\\d+)-`).exec(name)?.[1]);
      if (owner > 0 && owner !== process.pid && !alive(owner)) rmSync(join(parent, name), { recursive: true, force: true });
    }
  }

  get removed(): boolean {
    return this.#removed;
  }

  /** True when `abs` is the workspace or inside it (textually). */
  contains(abs: string): boolean {
    return abs === this.dir || abs.startsWith(this.dir + sep);
  }

  /** The absolute path of an existing file of the workspace; its real path must stay inside too. */
  existingFile(rel: unknown): string {
    const abs = resolve(this.dir, ...checkRelativePath(rel));
    if (!this.contains(abs)) throw new PathError('the path leaves the workspace');
    let real: string;
    try {
      real = realpathSync(abs);
    } catch {
      throw new PathError(`no such file in the workspace: ${JSON.stringify(rel)}`);
    }
    if (!this.contains(real)) throw new PathError(`the file leads out of the workspace: ${JSON.stringify(rel)}`);
    if (!lstatSync(real).isFile()) throw new PathError(`not a file: ${JSON.stringify(rel)}`);
    return real;
  }

  /** Checks every path first, then writes them all (creating directories). */
  writeFiles(files: unknown): string[] {
    if (typeof files !== 'object' || files === null || Array.isArray(files)) throw new PathError('files must be an object of path → text');
    const entries = Object.entries(files as Record<string, unknown>);
    if (entries.length > this.limits.maxFiles) throw new PathError(`too many files (at most ${this.limits.maxFiles})`);
    let total = 0;
    const checked = entries.map(([path, text]) => {
      if (typeof text !== 'string') throw new PathError(`the content of ${JSON.stringify(path)} must be a string`);
      total += Buffer.byteLength(text);
      return { segments: checkRelativePath(path), text };
    });
    if (total > this.limits.maxTotalBytes) throw new PathError(`the files are too large (at most ${this.limits.maxTotalBytes >> 20} MiB)`);
    return checked.map(({ segments, text }) => this.#write(segments, text));
  }

  #write(segments: string[], text: string): string {
    let dir = this.dir;
    for (const name of segments.slice(0, -1)) {
      dir = join(dir, name);
      let st;
      try {
        st = lstatSync(dir);
      } catch {
        mkdirSync(dir);
        continue;
      }
      if (st.isSymbolicLink()) throw new PathError(`a symbolic link is on the way: ${JSON.stringify(segments.join('/'))}`);
      if (!st.isDirectory()) throw new PathError(`not a directory: ${JSON.stringify(name)}`);
    }
    const file = join(dir, segments[segments.length - 1]!);
    if (!this.contains(file)) throw new PathError('the path leaves the workspace');
    let fd: number;
    try {
      fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o644);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') throw new PathError(`the file is a symbolic link: ${JSON.stringify(segments.join('/'))}`);
      throw new PathError(`cannot write ${JSON.stringify(segments.join('/'))}: ${code ?? String(e)}`);
    }
    try {
      const data = Buffer.from(text);
      let off = 0;
      while (off < data.length) off += writeSync(fd, data, off);
    } finally {
      closeSync(fd);
    }
    return file;
  }

  remove(): void {
    if (this.#removed) return;
    this.#removed = true;
    rmSync(this.dir, { recursive: true, force: true, maxRetries: 2 });
  }
}
