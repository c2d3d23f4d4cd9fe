/**
 * Reads a file a learner handed in, as an attacker might have made it: only a regular file (no symbolic
 * link, FIFO, device or socket: each would follow, block or have side effects), never more than a limit
 * (a 600 MB file costs nothing), and the check is made on the opened descriptor so the file cannot be
 * swapped between the check and the read.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync } from 'node:fs';

export type SafeRead = { ok: true; text: string } | { ok: false; reason: string };

export function kindOf(mode: { isSymbolicLink(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean; isDirectory(): boolean }): string {
  if (mode.isSymbolicLink()) return 'a symbolic link';
  if (mode.isFIFO()) return 'a FIFO';
  if (mode.isCharacterDevice() || mode.isBlockDevice()) return 'a device';
  if (mode.isSocket()) return 'a socket';
  if (mode.isDirectory()) return 'a directory';
  return 'not a regular file';
}

export function formatSize(n: number): string {
  return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(n % (1 << 20) === 0 ? 0 : 1)} MiB` : n >= 1024 ? `${Math.round(n / 1024)} KiB` : `${n} bytes`;
}

export function readHandedInFile(path: string, limit: number): SafeRead {
  let st;
  try {
    st = lstatSync(path);
  } catch (e) {
    return { ok: false, reason: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : `cannot read: ${(e as Error).message}` };
  }
  if (!st.isFile()) return { ok: false, reason: `${kindOf(st)}: refused` };
  if (st.size > limit) return { ok: false, reason: `too large (${formatSize(st.size)}; at most ${formatSize(limit)})` };
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (e) {
    return { ok: false, reason: `cannot open: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
  try {
    const now = fstatSync(fd);
    if (!now.isFile()) return { ok: false, reason: `${kindOf(now)}: refused` };
    if (now.size > limit) return { ok: false, reason: `too large (${formatSize(now.size)}; at most ${formatSize(limit)})` };
    const buf = Buffer.alloc(limit + 1);
    let got = 0;
    for (;;) {
      const n = readSync(fd, buf, got, buf.length - got, null);
      if (n === 0) break;
      got += n;
      if (got > limit) return { ok: false, reason: `too large (more than ${formatSize(limit)})` };
    }
    return { ok: true, text: buf.subarray(0, got).toString('utf8') };
  } catch (e) {
    return { ok: false, reason: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  } finally {
    closeSync(fd);
  }
}
