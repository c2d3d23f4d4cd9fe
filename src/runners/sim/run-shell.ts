/**
 * The second terminal of a Run on the simulated kernel: a lab shell (src/shell) on the same kernel as the
 * learner's program, with the program's variables exported. Loaded by the worker only when a Run asks
 * for it, so a Test never downloads the shell.
 */
import { LabWorld } from '../../lab/world.ts';
import { Shell } from '../../shell/shell.ts';
import type { SimWorld } from '../../node-sim/world.ts';
import type { SimProcess } from '../../node-sim/node-process.ts';

export interface RunShell {
  /** Keys typed in the terminal. */
  input(data: string): void;
  resize(cols: number): void;
  /** Lets the shell's commands see what the kernel did. */
  notify(): void;
}

export function startRunShell(world: SimWorld, program: SimProcess, env: Record<string, string>, cols: number, write: (data: string) => void): RunShell {
  let width = cols;
  const lab = new LabWorld({ kernel: world.kernel, seed: 7, onWakeAt: (t) => world.wakeAt(t) });
  // `kill PID` of the program ends it the way the simulated Node process ends.
  lab.registerProcess(program.pid, {
    signal: (sig) => program.exit(sig === 'KILL' ? 137 : sig === 'INT' ? 130 : 143),
    get status() {
      return program.alive ? null : program.exitCode;
    },
  });
  const exported = Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ');
  const shell = new Shell(
    lab,
    { write, columns: () => width },
    {
      env,
      banner: `\x1b[2mA shell on the simulated machine your program runs on${exported ? ` (exported: ${exported})` : ''}. Try ${env['PORT'] ? 'nc 127.0.0.1 $PORT' : 'ss -tan'}, ss -tan, tcpdump -i lo -nn; help lists the commands.\x1b[0m\r\n`,
    },
  );
  return {
    input(data) {
      shell.input(data);
      lab.notify();
    },
    resize(c) {
      width = c;
    },
    notify: () => lab.notify(),
  };
}
