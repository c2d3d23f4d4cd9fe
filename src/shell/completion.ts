/**
 * Tab completion of the lab shell, as bash-completion does it for these tools: command names first, then
 * each command's options, ss's state names after `state`, sysctl keys, /proc/sys paths, process ids and
 * jobs for kill, command names for help and man.
 */
import type { Kernel } from '../kernel/kernel.ts';
import { SS_FILTER_STATES } from '../kernel/render/ss.ts';
import type { Completer } from './line-editor.ts';

const OPTIONS: Record<string, string[]> = {
  ss: ['-t', '-a', '-n', '-l', '-o', '-p', '-H', '-tan', '-tanp', '-tano', '-tln', 'state', 'exclude'],
  netstat: ['-n', '-t', '-a', '-l', '-o', '-p', '-nt', '-nta', '-ntp', '-ntlp'],
  nc: ['-l', '-N', '-v', '-z', '-p', '127.0.0.1'],
  netcat: ['-l', '-N', '-v', '-z', '-p', '127.0.0.1'],
  tcpdump: ['-i', 'lo', '-nn', '-S', '-c', 'port'],
  sysctl: ['-w', '-a', '-n', '-q'],
  kill: ['-9', '-TERM', '-INT', '-KILL'],
  grep: ['-v', '-c', '-i'],
  head: ['-n'],
  wc: ['-l'],
  drop: ['next'],
  echo: ['-n'],
};

/** The word under the cursor: from the last space (or shell operator) before it. */
function wordAt(line: string, cursor: number): { start: number; words: string[] } {
  const before = line.slice(0, cursor);
  // A new command starts after | ; && || & ( and `do`/`then`.
  const seg = before.split(/\|\||&&|[|;&(]/).pop() ?? '';
  const segStart = before.length - seg.length;
  const m = /\S*$/.exec(seg)!;
  const start = segStart + m.index;
  const words = seg.slice(0, m.index).trim().split(/\s+/).filter(Boolean);
  // `while true; do ss` — do, then, ! are keywords before a command.
  while (words.length > 0 && ['do', 'then', 'else', '!', 'while', 'until'].includes(words[0]!)) words.shift();
  return { start, words };
}

export interface CompletionSources {
  commands: readonly string[];
  kernel: Kernel;
  jobs(): number[];
}

export function shellCompleter(src: CompletionSources): Completer {
  return (line, cursor) => {
    const { start, words } = wordAt(line, cursor);
    const word = line.slice(start, cursor);
    const cmd = words[0];
    if (cmd === undefined) return { start, candidates: word.startsWith('/') ? procPaths(src.kernel) : [...src.commands] };
    const prev = words[words.length - 1];
    if (word.startsWith('/') || cmd === 'cat' || (cmd === 'echo' && prev === '>')) return { start, candidates: procPaths(src.kernel) };
    switch (cmd) {
      case 'help':
      case 'man':
        return { start, candidates: [...src.commands] };
      case 'ss':
        if (prev === 'state' || prev === 'exclude') return { start, candidates: Object.keys(SS_FILTER_STATES) };
        break;
      case 'sysctl':
        if (!word.startsWith('-')) return { start, candidates: src.kernel.sysctl.entries().map(([k]) => k) };
        break;
      case 'kill':
        if (!word.startsWith('-')) return { start, candidates: [...src.kernel.processes().map((p) => String(p.pid)), ...src.jobs().map((j) => `%${j}`)] };
        break;
    }
    return { start, candidates: OPTIONS[cmd] ?? [] };
  };
}

function procPaths(k: Kernel): string[] {
  return k.sysctl.entries().map(([key]) => `/proc/sys/${key.replace(/\./g, '/')}`);
}
