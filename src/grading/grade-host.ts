/**
 * The grading host: a process the CLI (or the local runner) starts in a jail of its own — a network
 * namespace with only a loopback, no view of the instructor's files — to grade one hand-in. It reads the
 * job on standard input, starts each learner program in a further jail inside it (sharing its loopback, so
 * the grader can be the program's peer), and writes its verdicts as one JSON object on standard output.
 * Learner programs cannot see, signal or write to it (their own pid namespace, their own descriptors).
 *
 * `--no-jail` (the instructor's --unsafe-no-sandbox): learner programs run as plain processes.
 */
import { fileURLToPath } from 'node:url';
import { sandboxSupport } from '../sandbox/support.ts';
import { gradeHandIn } from './grade-hand-in.ts';
import { handInJobSchema, type HostAnswer } from './hand-in-job.ts';
import { jailedStarter, unjailedStarter, type ProgramStarter } from './run-real.ts';

const MAX_JOB_BYTES = 32 << 20;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of process.stdin) {
    size += (c as Buffer).length;
    if (size > MAX_JOB_BYTES) throw new Error('job too large');
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The host's whole life: job in, verdicts out. `args`: its command-line options. Returns the exit status. */
export async function gradeHostMain(args: string[]): Promise<number> {
  const noJail = args.includes('--no-jail');
  const concurrency = Number(args.find((a) => a.startsWith('--concurrency='))?.slice(14) ?? 6);
  const job = handInJobSchema.parse(JSON.parse(await readStdin()));
  let starter: ProgramStarter;
  if (noJail) starter = unjailedStarter();
  else {
    const support = sandboxSupport();
    if (!support.ok) {
      process.stderr.write(`grading host: cannot jail learner programs: ${support.reason}\n`);
      return 3;
    }
    starter = jailedStarter(support.tools);
  }
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const verdicts = await gradeHandIn(job, { catalogue: async () => (await import('./course-catalogue.ts')).loadCatalogue(root), starter, concurrency, helpersSignalReady: !noJail });
  const answer: HostAnswer = { verdicts };
  await new Promise<void>((resolve) => process.stdout.write(`${JSON.stringify(answer)}\n`, () => resolve()));
  return 0;
}
