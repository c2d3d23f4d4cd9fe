import { done, type Command, type Running } from '../types.ts';
import { getopt } from './getopt.ts';

/** A command that reads a pipe line by line and writes its result when the pipe ends. */
function lineFilter(onLine: (line: string) => void, onEnd: () => number): Running {
  let buffer = '';
  let status: number | null = null;
  return {
    pid: null,
    get status() {
      return status;
    },
    tick() {},
    pipe(text) {
      if (status !== null) return;
      if (text === null) {
        if (buffer !== '') onLine(buffer);
        status = onEnd();
        return;
      }
      buffer += text;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        onLine(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
      }
    },
    signal() {
      status ??= 130;
    },
  };
}

export const grep: Command = (env) => {
  const parsed = getopt(env.argv.slice(1), 'vciE');
  if (!parsed.ok || parsed.operands.length === 0) {
    env.err(parsed.ok ? "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n" : `grep: ${parsed.error}\nUsage: grep [OPTION]... PATTERNS [FILE]...\n`);
    return done(2);
  }
  if (!env.stdinIsPipe) {
    env.err('grep: reading the terminal is not supported in this lab; use it after a pipe: netstat -nt | grep 6666\n');
    return done(2);
  }
  const insensitive = parsed.flags.has('i');
  const pattern = insensitive ? parsed.operands[0]!.toLowerCase() : parsed.operands[0]!;
  let matches = 0;
  return lineFilter(
    (line) => {
      const hit = (insensitive ? line.toLowerCase() : line).includes(pattern) !== parsed.flags.has('v');
      if (hit) {
        matches++;
        if (!parsed.flags.has('c')) env.out(`${line}\n`);
      }
    },
    () => {
      if (parsed.flags.has('c')) env.out(`${matches}\n`);
      return matches > 0 ? 0 : 1;
    },
  );
};

export const head: Command = (env) => {
  const parsed = getopt(env.argv.slice(1), 'n:');
  const n = parsed.ok ? Number(parsed.values.get('n') ?? 10) : NaN;
  if (!parsed.ok || !Number.isInteger(n) || n < 0) {
    env.err(`head: invalid number of lines\n`);
    return done(1);
  }
  let seen = 0;
  return lineFilter(
    (line) => {
      if (seen++ < n) env.out(`${line}\n`);
    },
    () => 0,
  );
};

export const wc: Command = (env) => {
  if (env.argv[1] !== '-l') {
    env.err('wc: only wc -l is available in this lab\n');
    return done(1);
  }
  let lines = 0;
  return lineFilter(
    () => {
      lines++;
    },
    () => {
      env.out(`${lines}\n`);
      return 0;
    },
  );
};
