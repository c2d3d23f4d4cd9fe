import type { Command } from '../types.ts';
import { afterLoading } from '../lazy.ts';
import { clear, echo, falseCmd, help, netstat, sleep, ss, trueCmd } from './info.ts';
import type * as Seldom from './seldom.ts';
import { grep, head, wc } from './filters.ts';
import { nc } from './nc.ts';
import { sock } from './sock.ts';
import { tcpdump } from './tcpdump.ts';

/** A command of seldom.ts: loaded on its first run. */
const seldom =
  (name: keyof typeof Seldom): Command =>
  (env) =>
    afterLoading(env, 'seldom', (m) => m[name](env));
const ps = seldom('ps');
const kill = seldom('kill');
const history = seldom('history');
const jobs = seldom('jobs');
const drop = seldom('drop');
const dmesg = seldom('dmesg');
const ls = seldom('ls');
const cat = seldom('cat');
const sysctl = seldom('sysctl');

/** Every command of the lab machine. Builtins run inside the shell; the others start a process (1 ms). */
export const COMMANDS: Record<string, { run: Command; builtin: boolean }> = {
  nc: { run: nc, builtin: false },
  netcat: { run: nc, builtin: false },
  sock: { run: sock, builtin: false },
  ss: { run: ss, builtin: false },
  netstat: { run: netstat, builtin: false },
  tcpdump: { run: tcpdump, builtin: false },
  sysctl: { run: sysctl, builtin: false },
  cat: { run: cat, builtin: false },
  ps: { run: ps, builtin: false },
  sleep: { run: sleep, builtin: false },
  grep: { run: grep, builtin: false },
  head: { run: head, builtin: false },
  wc: { run: wc, builtin: false },
  drop: { run: drop, builtin: false },
  dmesg: { run: dmesg, builtin: false },
  ls: { run: ls, builtin: false },
  man: { run: help, builtin: false },
  echo: { run: echo, builtin: true },
  kill: { run: kill, builtin: true },
  help: { run: help, builtin: true },
  history: { run: history, builtin: true },
  jobs: { run: jobs, builtin: true },
  clear: { run: clear, builtin: false },
  true: { run: trueCmd, builtin: true },
  false: { run: falseCmd, builtin: true },
};
