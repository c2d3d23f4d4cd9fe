import type { LabWorld, WorldListener } from '../lab/world.ts';
import { createPrng, type Prng } from '../kernel/prng.ts';
import { COMMANDS } from './commands/index.ts';
import { shellCompleter } from './completion.ts';
import { LineEditor } from './line-editor.ts';
import { commandText, expandStatus, parseLine, ShellSyntaxError, type Item, type List, type Pipeline } from './parse.ts';
import type { Running, ShellServices, Signal } from './types.ts';

/** Where a shell writes: raw terminal output (the shell sends \r\n and a few ANSI sequences). */
export interface ShellOutput {
  write(text: string): void;
  /** Clears the screen (Ctrl-L, `clear`). */
  clear?(): void;
  /** The terminal's width in columns (80 when not given): where long lines wrap. */
  columns?(): number;
}

export interface ShellOptions {
  /** Name of this shell's process (ps shows it). */
  name?: string;
  prompt?: string;
  /** Shown once, before the first prompt. */
  banner?: string;
  /** Exported variables ($PORT …). */
  env?: Record<string, string>;
}

/** Virtual time a command takes to start (fork + exec): about a millisecond, with jitter. */
export const EXEC_MIN_US = 800;
export const EXEC_JITTER_US = 800;
/** A `while` iteration takes at least this long, so a loop can never freeze the lab. */
export const LOOP_MIN_US = 1000;

type Wait = () => boolean;

interface Job {
  id: number;
  text: string;
  background: boolean;
  procs: Set<Running>;
  /** Receives the terminal's input: the first command of the foreground pipeline that reads. */
  reader: Running | null;
  gen: Generator<Wait, number, void>;
  wait: Wait | null;
  interrupted: boolean;
  status: number | null;
  /** The first process the job forked (what `cmd &` prints). */
  firstPid: number | null;
}

const PROMPT = '\x1b[1;32mlearner@tcplab\x1b[0m:\x1b[1;34m~\x1b[0m$ ';

/**
 * A bash-like shell on the lab's kernel: a line editor with history, and an interpreter for the parsed
 * command line that runs over virtual time (commands wait for the world, the world never waits for them).
 */
export class Shell implements WorldListener {
  readonly pid: number;
  private readonly world: LabWorld;
  private readonly out: ShellOutput;
  private readonly prompt: string;
  private readonly env: Record<string, string>;
  private readonly rand: Prng;
  private readonly editor: LineEditor;
  /** The line editor of a foreground program that reads lines with readline (sock), else null. */
  private programEditor: LineEditor | null = null;
  /** What the shell wrote since the last line break: a program's own prompt, where its line editor starts. */
  private lineTail = '';
  private fg: Job | null = null;
  private bg: Job[] = [];
  private nextJobId = 1;
  private lastStatus = 0;
  private notices: string[] = [];
  private cooked = '';
  /** Lines (and Ctrl-D, as null) typed before the foreground program reads them: the tty's type-ahead. */
  private typeahead: Array<string | null> = [];
  private disposed = false;
  private unsubscribe: () => void;

  constructor(world: LabWorld, out: ShellOutput, opts: ShellOptions = {}) {
    this.world = world;
    this.out = out;
    this.prompt = opts.prompt ?? PROMPT;
    this.env = { ...opts.env };
    this.pid = world.kernel.spawn(opts.name ?? 'bash');
    this.rand = createPrng((world.seed * 7919 + this.pid) >>> 0);
    this.unsubscribe = world.subscribe(this);
    // A terminal that tells no width (a test's text screen) never wraps.
    const cols = () => Math.max(10, out.columns?.() ?? 100_000);
    this.editor = new LineEditor(
      cols,
      shellCompleter({ commands: Object.keys(COMMANDS), kernel: world.kernel, jobs: () => this.bg.map((j) => j.id) }),
    );
    if (opts.banner) this.write(opts.banner);
    this.showPrompt();
  }

  /** True while a foreground command runs. */
  get busy(): boolean {
    return this.fg !== null;
  }

  get status(): number {
    return this.lastStatus;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const job of [this.fg, ...this.bg]) if (job) this.signalJob(job, 'KILL');
    this.unsubscribe();
    this.world.sys.exit(this.pid);
  }

  private write(text: string): void {
    this.raw(text.replace(/\r?\n/g, '\r\n'));
  }

  /** Writes bytes as they are, keeping track of the cursor's column (for a program's own prompt). */
  private raw(text: string): void {
    if (text === '') return;
    this.out.write(text);
    const last = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
    this.lineTail = last >= 0 ? text.slice(last + 1) : this.lineTail + text;
  }

  // ── terminal input ────────────────────────────────────────────────────────────────────────────

  /** Keystrokes from the terminal (xterm's onData). */
  input(data: string): void {
    if (this.disposed) return;
    let i = 0;
    while (i < data.length) {
      const esc = /^\x1b(\[[0-9;]*[A-Za-z~]|O[A-Za-z]|[bf])/.exec(data.slice(i));
      if (esc) {
        this.key(esc[0]);
        i += esc[0].length;
      } else {
        this.key(data[i]!);
        i++;
      }
    }
  }

  private key(k: string): void {
    if (this.fg) return this.foregroundKey(k);
    const { write, result } = this.editor.key(k);
    this.raw(write);
    switch (result.kind) {
      case 'submit':
        return this.run(result.line);
      case 'interrupt':
        this.lastStatus = 130;
        return this.showPrompt();
      case 'eof':
        // bash with ignoreeof, as a login shell of the lab must not close.
        this.write('\nUse "logout" to leave the shell.\n');
        return this.showPrompt();
      case 'clear-screen':
        this.clearScreen();
        this.raw(this.editor.fullRedraw());
        return;
    }
  }

  private clearScreen(): void {
    if (this.out.clear) this.out.clear();
    else this.out.write('\x1b[2J\x1b[H');
    this.lineTail = '';
  }

  /**
   * Keys while a command runs: a cooked terminal (echo, Backspace, Ctrl-U, Ctrl-W, Ctrl-C, Ctrl-D), or,
   * for a program that reads with readline (it offers completion), a line editor of its own.
   */
  private foregroundKey(k: string): void {
    const job = this.fg!;
    if (k === '\x03') {
      this.write('^C\n');
      this.cooked = '';
      if (this.programEditor) this.programEditor.begin(this.lineTail);
      job.interrupted = true;
      this.signalJob(job, 'INT');
      this.pump();
      return;
    }
    const reader = job.reader;
    if (reader?.complete && reader.status === null) {
      if (!this.programEditor) {
        this.programEditor = new LineEditor(() => Math.max(10, this.out.columns?.() ?? 100_000), (line, cursor) => reader.complete!(line, cursor));
        this.programEditor.begin(this.lineTail);
        if (this.cooked !== '') this.raw(this.programEditor.key(this.cooked).write);
        this.cooked = '';
      }
      const { write, result } = this.programEditor.key(k);
      this.raw(write);
      if (result.kind === 'submit') this.typeahead.push(`${result.line}\n`);
      else if (result.kind === 'eof') this.typeahead.push(null);
      else if (result.kind === 'clear-screen') {
        this.clearScreen();
        this.raw(this.programEditor.fullRedraw());
      }
      if (result.kind === 'submit' || result.kind === 'eof') {
        this.deliver(job);
        this.pump();
        this.programEditor?.begin(this.lineTail);
      }
      return;
    }
    if (k === '\x04') {
      this.typeahead.push(this.cooked === '' ? null : this.cooked);
      this.cooked = '';
      this.deliver(job);
      this.pump();
      return;
    }
    if (k === '\r' || k === '\n') {
      this.write('\n');
      this.typeahead.push(`${this.cooked}\n`);
      this.cooked = '';
      this.deliver(job);
      this.pump();
      return;
    }
    if (k === '\x7f' || k === '\b') {
      if (this.cooked.length > 0) {
        this.cooked = this.cooked.slice(0, -1);
        this.raw('\b \b');
      }
      return;
    }
    if (k === '\x15' || k === '\x17') {
      // The tty's kill (whole line) and werase (last word).
      const keep = k === '\x15' ? '' : this.cooked.replace(/\S+\s*$/, '');
      this.raw('\b \b'.repeat(this.cooked.length - keep.length));
      this.cooked = keep;
      return;
    }
    for (const ch of k.startsWith('\x1b') ? k.replace('\x1b', '^[') : k) {
      if (ch >= ' ' && ch !== '\x7f') {
        this.cooked += ch;
        this.raw(ch);
      }
    }
  }

  /** Hands type-ahead to the foreground program once it reads its input. */
  private deliver(job: Job): void {
    const reader = job.reader;
    if (!reader || reader.status !== null || (!reader.stdin && !reader.eof)) return;
    while (this.typeahead.length > 0 && reader.status === null) {
      const item = this.typeahead.shift()!;
      if (item === null) reader.eof?.();
      else reader.stdin?.(item);
    }
  }

  /** Runs a command line as if typed and submitted (tests and prepared lab steps use this too). */
  run(text: string): void {
    let list: List;
    try {
      list = parseLine(text, this.env);
    } catch (e) {
      if (!(e instanceof ShellSyntaxError)) throw e;
      this.write(`bash: ${e.message}\n`);
      this.lastStatus = 2;
      this.showPrompt();
      return;
    }
    if (list.entries.length === 0) {
      this.showPrompt();
      return;
    }
    const job = this.makeJob(text, false, (j) => this.runList(j, list));
    this.fg = job;
    this.pump();
  }

  private showPrompt(): void {
    for (const n of this.notices) this.write(n);
    this.notices = [];
    this.write(this.prompt);
    this.editor.begin(this.prompt);
  }

  // ── the interpreter ───────────────────────────────────────────────────────────────────────────

  private makeJob(text: string, background: boolean, body: (job: Job) => Generator<Wait, number, void>): Job {
    const job: Job = { id: 0, text, background, procs: new Set(), reader: null, gen: undefined as never, wait: null, interrupted: false, status: null, firstPid: null };
    job.gen = body(job);
    return job;
  }

  private *runList(job: Job, list: List): Generator<Wait, number, void> {
    let status = this.lastStatus;
    let prev: string | null = null;
    for (const entry of list.entries) {
      if (job.interrupted) return 130;
      const skip = (prev === '&&' && status !== 0) || (prev === '||' && status === 0);
      prev = entry.next;
      if (skip) continue;
      if (entry.next === '&') {
        const text = entry.item.kind === 'pipeline' ? entry.item.commands.map(commandText).join(' | ') : 'while …';
        const bgJob = this.makeJob(text, true, (j) => this.runItem(j, entry.item));
        bgJob.id = this.nextJobId++;
        this.bg.push(bgJob);
        this.advance(bgJob);
        this.write(`[${bgJob.id}] ${bgJob.firstPid ?? ''}\n`);
        status = 0;
        continue;
      }
      status = yield* this.runItem(job, entry.item);
      this.lastStatus = status;
    }
    return job.interrupted ? 130 : status;
  }

  private *runItem(job: Job, item: Item): Generator<Wait, number, void> {
    if (item.kind === 'while') {
      let status = 0;
      for (;;) {
        const started = this.world.now();
        if (job.interrupted) return 130;
        const cond = yield* this.runList(job, item.condition);
        if (job.interrupted) return 130;
        if (cond !== 0) break;
        status = yield* this.runList(job, item.body);
        if (job.interrupted) return 130;
        const until = started + LOOP_MIN_US;
        if (this.world.now() < until) {
          this.world.wakeAt(until);
          yield () => this.world.now() >= until || job.interrupted;
        }
      }
      return status;
    }
    return yield* this.runPipeline(job, item);
  }

  private *runPipeline(job: Job, pipeline: Pipeline): Generator<Wait, number, void> {
    const status = this.lastStatus;
    const cmds = pipeline.commands.map((c) => ({ ...c, argv: c.argv.map((a) => expandStatus(a, status)) }));
    const known = cmds.map((c) => COMMANDS[c.argv[0]!]);
    // fork: each external command gets its process now; exec (about 1 ms) comes before it runs.
    const forked = cmds.map((c, i) => (known[i] && !known[i]!.builtin ? this.world.kernel.spawn(c.argv[0]!) : null));
    job.firstPid ??= forked.find((p) => p !== null) ?? null;
    if (known.some((k) => k && !k.builtin)) {
      const until = this.world.now() + EXEC_MIN_US + this.rand.int(EXEC_JITTER_US);
      this.world.wakeAt(until);
      yield () => this.world.now() >= until || job.interrupted;
      if (job.interrupted) {
        for (const pid of forked) if (pid !== null) this.world.kernel.exit(pid);
        return 130;
      }
    }
    const running: Array<Running | null> = new Array(cmds.length).fill(null);
    const statuses: Array<number | null> = new Array(cmds.length).fill(null);
    const pipeClosed: boolean[] = new Array(cmds.length).fill(false);
    // Start from the right, so each command's output already has somewhere to go.
    for (let i = cmds.length - 1; i >= 0; i--) {
      const cmd = cmds[i]!;
      const name = cmd.argv[0]!;
      const entry = known[i];
      const sink = (text: string) => {
        const next = running[i + 1];
        if (i < cmds.length - 1) next?.pipe?.(text);
        else this.write(text);
      };
      if (!entry) {
        this.write(`bash: ${name}: command not found\n`);
        statuses[i] = 127;
        continue;
      }
      const r = entry.run({
        world: this.world,
        argv: cmd.argv,
        out: sink,
        err: (text) => this.write(text),
        spawn: (procName) => {
          const pid = forked[i];
          if (pid !== null && pid !== undefined && this.world.kernel.process(pid)) {
            forked[i] = null;
            return pid;
          }
          return this.world.kernel.spawn(procName);
        },
        stdinIsPipe: i > 0,
        stdoutIsPipe: i < cmds.length - 1,
        services: this.services,
        redirect: cmd.redirect,
        ...(i === cmds.length - 1 && !cmd.redirect && this.out.columns ? { columns: Math.max(10, this.out.columns()) } : {}),
      });
      running[i] = r;
      job.procs.add(r);
      // A command that needed no process of its own (it only printed) leaves the forked one to exit.
      const unused = forked[i];
      if (unused !== null && unused !== undefined) this.world.kernel.exit(unused);
      if (r.pid !== null) this.world.registerProcess(r.pid, r);
    }
    job.reader = !job.background ? (running[0] ?? null) : null;
    const settle = () => {
      for (let i = 0; i < cmds.length; i++) {
        const r = running[i];
        if (r && statuses[i] === null && r.status !== null) statuses[i] = r.status;
        if (statuses[i] !== null && !pipeClosed[i] && i < cmds.length - 1) {
          pipeClosed[i] = true;
          running[i + 1]?.pipe?.(null);
        }
      }
      return statuses.every((s) => s !== null);
    };
    if (!settle()) yield settle;
    for (const r of running) if (r) job.procs.delete(r);
    job.reader = null;
    return statuses[statuses.length - 1] ?? 0;
  }

  /** Runs a job's generator until it has to wait. */
  private advance(job: Job): void {
    for (let guard = 0; guard < 10_000; guard++) {
      if (job.status !== null) return;
      for (const p of [...job.procs]) if (p.status === null) p.tick();
      if (job.wait && !job.wait()) return;
      const r = job.gen.next();
      if (r.done) {
        job.status = r.value;
        return;
      }
      job.wait = r.value;
    }
  }

  private pumping = false;
  private pumpAgain = false;

  /** Moves every job on; finishes the foreground job and reports background ones. Never reentrant. */
  private pump(): void {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        this.pumpOnce();
      } while (this.pumpAgain);
    } finally {
      this.pumping = false;
    }
  }

  private pumpOnce(): void {
    if (this.fg) {
      this.advance(this.fg);
      if (this.fg.status === null) this.deliver(this.fg);
      if (this.fg.status !== null) {
        this.lastStatus = this.fg.status;
        this.fg = null;
        const partial = this.programEditor ? this.programEditor.line : this.cooked;
        this.cooked = '';
        this.programEditor = null;
        this.showPrompt();
        // Whatever was typed ahead is read by the shell, as bash reads it: the next command lines, then
        // the line being typed when the command ended.
        const rest = this.typeahead.filter((x): x is string => x !== null).join('') + partial;
        this.typeahead = [];
        if (rest.length > 0) this.input(rest.replace(/\n/g, '\r'));
      }
    }
    for (const job of [...this.bg]) {
      this.advance(job);
      if (job.status !== null) {
        this.bg = this.bg.filter((j) => j !== job);
        const word = job.status === 0 ? 'Done' : job.status >= 128 ? (job.status === 143 ? 'Terminated' : job.status === 137 ? 'Killed' : 'Interrupt') : `Exit ${job.status}`;
        const notice = `[${job.id}]+  ${word.padEnd(24)}${job.text}\n`;
        if (this.fg) this.notices.push(notice);
        else {
          // bash prints it before the next prompt; we print it now, above the line being typed.
          this.raw(this.editor.erase());
          this.write(notice);
          this.raw(this.editor.restore());
        }
      }
    }
  }

  tick(): void {
    if (!this.disposed) this.pump();
  }

  private signalJob(job: Job, sig: Signal): void {
    if (sig !== 'TERM' || !job.background) job.interrupted = true;
    for (const p of [...job.procs]) if (p.status === null) p.signal(sig);
  }

  private readonly services: ShellServices = {
    history: () => [...this.editor.entries],
    jobs: () => this.bg.map((j) => ({ id: j.id, text: j.text, state: 'Running', pid: [...j.procs][0]?.pid ?? null })),
    clear: () => this.clearScreen(),
    killTarget: (target, sig) => {
      if (target.startsWith('%')) {
        const job = this.bg.find((j) => j.id === Number(target.slice(1)));
        if (!job) return false;
        job.interrupted = true;
        this.signalJob(job, sig);
        return true;
      }
      // Any process of the machine, whichever terminal started it.
      return this.world.signalProcess(Number(target), sig);
    },
  };
}
