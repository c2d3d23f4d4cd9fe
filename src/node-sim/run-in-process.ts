import { SimWorld } from './world.ts';

export interface ProgramRun {
  stdout: string;
  stderr: string;
  exitCode: number | null;
}

/**
 * Runs programs together on one simulated machine, in this thread (tests and graders use it; the
 * browser runs the same world in a Web Worker so a runaway program can be stopped).
 */
export async function runInProcess(
  programs: Array<{ name: string; source: string; env?: Record<string, string>; startAfterUs?: number }>,
  opts: { seed?: number; virtualUs?: number } = {},
): Promise<{ world: SimWorld; runs: ProgramRun[] }> {
  const world = new SimWorld({ seed: opts.seed ?? 1, drainMicrotasks: () => new Promise((r) => setImmediate(r)) });
  const runs: ProgramRun[] = programs.map(() => ({ stdout: '', stderr: '', exitCode: null }));
  const procs = programs.map(() => null as ReturnType<SimWorld['start']> | null);
  const startOne = (i: number) => {
    const p = programs[i]!;
    procs[i] = world.start(p.source, { name: p.name, env: p.env ?? {}, stdout: (t) => (runs[i]!.stdout += t), stderr: (t) => (runs[i]!.stderr += t) });
  };
  programs.forEach((p, i) => {
    if (!p.startAfterUs) startOne(i);
  });
  const later = programs.map((p, i) => ({ i, at: p.startAfterUs ?? 0 })).filter((x) => x.at > 0).sort((a, b) => a.at - b.at);
  for (const l of later) {
    await world.run({ virtualUs: l.at - world.kernel.now(), until: () => false });
    startOne(l.i);
  }
  await world.run({ virtualUs: opts.virtualUs ?? 30_000_000 });
  procs.forEach((p, i) => {
    runs[i]!.exitCode = p?.exitCode ?? null;
  });
  return { world, runs };
}
