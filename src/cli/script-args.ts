import { readFileSync } from 'node:fs';

export interface ScriptArgs {
  file: string;
  source: string;
  json: boolean;
  seed: number;
}

/**
 * The arguments of `tcplab sim` and `tcplab pkt`: one FILE, `--json`, `--seed N` (a number, default 1), and
 * the file's text. On a wrong command line or an unreadable file it says why on `err` and returns null (the
 * command then exits 2).
 */
export function readScriptArgs(command: string, usage: string, args: string[], err: (s: string) => void): ScriptArgs | null {
  const json = args.includes('--json');
  const seedAt = args.indexOf('--seed');
  const seed = seedAt >= 0 ? Number(args[seedAt + 1]) : 1;
  const files = args.filter((a, i) => !a.startsWith('--') && !(seedAt >= 0 && i === seedAt + 1));
  if (files.length !== 1 || !Number.isFinite(seed)) {
    err(usage);
    return null;
  }
  const file = files[0]!;
  try {
    return { file, source: readFileSync(file, 'utf8'), json, seed };
  } catch (e) {
    err(`tcplab ${command}: cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message}`);
    return null;
  }
}
