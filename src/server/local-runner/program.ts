/** What a session runs: the learner's program on this server's Node, or an interactive shell. */
import { existsSync } from 'node:fs';
import { delimiter, dirname } from 'node:path';

/** Variables of the server's environment a program keeps; everything else is left out. */
const KEPT = ['HOME', 'USER', 'LOGNAME', 'LANG', 'LANGUAGE', 'LC_ALL', 'LC_CTYPE', 'TZ', 'SHELL', 'TMPDIR'];

export function programEnv(kind: 'shell' | 'run', extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const k of KEPT) {
    const v = process.env[k];
    if (v !== undefined) env[k] = v;
  }
  // `node` in the shell is the Node that runs the programs (the project's pinned one).
  env['PATH'] = `${dirname(process.execPath)}${delimiter}${process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin'}`;
  env['TERM'] = 'xterm-256color';
  env['COLORTERM'] = 'truecolor';
  if (kind === 'shell') {
    env['PS1'] = '\\W \\$ ';
    env['HISTFILE'] = ''; // the lab's commands stay out of the learner's own history
  }
  return { ...env, ...extra };
}

export function shellCommand(): { command: string; args: string[] } {
  for (const bash of ['/bin/bash', '/usr/bin/bash', '/usr/local/bin/bash', '/opt/homebrew/bin/bash']) {
    if (existsSync(bash)) return { command: bash, args: ['--noprofile', '--norc', '-i'] };
  }
  return { command: '/bin/sh', args: ['-i'] };
}

/** `node <file>` with the absolute path, so no file name can pass for a Node option. */
export function runCommand(absFile: string): { command: string; args: string[] } {
  return { command: process.execPath, args: [absFile] };
}
