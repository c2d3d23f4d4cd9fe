/**
 * `tcplab`: the course's command line. Each subcommand is a module; add one by adding a row here.
 */
import { GRADE_USAGE } from './grade.ts';
import { CLASSROOM_USAGE } from './classroom.ts';
import { REGRADE_USAGE } from './regrade.ts';
import { simCommand, SIM_USAGE } from './sim.ts';
import { PKT_USAGE } from './pkt.ts';

export type Command = (args: string[], out: (s: string) => void, err: (s: string) => void) => number | Promise<number>;

interface Subcommand {
  run: () => Promise<Command>;
  usage: string;
  summary: string;
}

const COMMANDS: Record<string, Subcommand> = {
  sim: { run: async () => simCommand, usage: SIM_USAGE, summary: 'run a scenario script on the simulated kernel' },
  pkt: { run: async () => (await import('./pkt.ts')).pktCommand, usage: PKT_USAGE, summary: 'run a packetdrill script against the simulated kernel (you play the remote peer)' },
  grade: { run: async () => (await import('./grade.ts')).gradeCommand, usage: GRADE_USAGE, summary: 'grade a program against an exercise on real Node, in a sandbox (exit 0 only on a pass)' },
  regrade: { run: async () => (await import('./regrade.ts')).regradeCommand, usage: REGRADE_USAGE, summary: "re-grade a class's hand-ins: quizzes, lab sessions and programs (in a sandbox)" },
  classroom: { run: async () => (await import('./classroom.ts')).classroomCommand, usage: CLASSROOM_USAGE, summary: 'write a GitHub Classroom assignment template (autograded exercises)' },
};

export function usage(): string {
  const lines = ['usage: tcplab COMMAND [ARGS]', '', 'commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(9)} ${c.summary}`, `            ${c.usage}`);
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const out = (s: string) => process.stdout.write(s);
  const err = (s: string) => process.stderr.write(s.endsWith('\n') ? s : `${s}\n`);
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out(usage() + '\n');
    return name ? 0 : 2;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    err(`tcplab: unknown command "${name}"\n${usage()}`);
    return 2;
  }
  let run: Command;
  try {
    run = await cmd.run();
  } catch {
    err(`tcplab ${name}: not available in this checkout`);
    return 2;
  }
  return run(args, out, err);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`tcplab: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(3);
    },
  );
}
