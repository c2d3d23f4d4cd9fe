/**
 * Wires an exercise's static markup (Exercise.astro) to an editor, a terminal and a runner: the
 * learner's code is saved as they type, Run streams the program's output, Test grades it on the chosen
 * runner and ticks the checkpoint on a pass. Nothing here ever overwrites the learner's code silently.
 */
import type { GradeResult } from '../../grading/exercise-types.ts';
import { loadCode, previousVersions, resetCode, restorePrevious, saveCode } from '../../grading/code-store.ts';
import type { LadderModel } from '../../lab/ladder-model.ts';
import type { Availability, Capabilities, CapabilityName, Runner, RunnerKind, Session, TerminalPort } from '../../runners/types.ts';
import { LOCAL_LOGIN_NEEDED, NO_LOCAL_SERVER, loginNeeded, tokenFromPage } from '../../runners/local/protocol.ts';
import { webContainerAvailability } from '../../runners/webcontainer/availability.ts';
import { createCodeEditor, type CodeEditor } from '../editor/code-editor.ts';
import { completeCheckpoint } from '../progress-store.ts';
import { createXtermTerminal } from '../terminal/xterm-terminal.ts';
import type { TerminalHandle } from '../terminal/terminal.ts';
import { mountKeyBar } from '../terminal/key-bar.ts';
import { renderLadder } from '../lab/ladder-view.ts';
import { renderResults } from './results-view.ts';
import { capabilityAdvice, chooseRunner, failedThisSession, rememberFailure, RUNNER_IN_SENTENCE, RUNNER_NAMES, RUNNER_ORDER, RUNNER_PREFERENCE_KEY } from './runner-choice.ts';
import { revealIfOffScreen } from '../reveal.ts';

export interface ExerciseConfig {
  id: string;
  title: string;
  role: 'server' | 'client';
  needs: CapabilityName[];
  starter: string;
  solution: string;
  runEnv: Record<string, string>;
  /** false for a playground: nothing to test, no solution, no checkpoint. */
  graded: boolean;
}

const FILE = 'main.mjs';

function sessionStore(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export function mountExercise(root: HTMLElement, config: ExerciseConfig): void {
  const q = <T extends Element>(sel: string) => root.querySelector<T>(sel)!;
  const store = storage();
  const memory = new Map<string, string>();
  const kv = store ?? { getItem: (k: string) => memory.get(k) ?? null, setItem: (k: string, v: string) => void memory.set(k, v) };

  // ── editor ──────────────────────────────────────────────────────────────────────────────────
  const editorHost = q<HTMLElement>('[data-editor]');
  const savedNote = q<HTMLElement>('[data-saved]');
  const initial = loadCode(kv, config.id) ?? config.starter;
  editorHost.replaceChildren();
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  const saveNow = (code: string) => {
    clearTimeout(saveTimer);
    const ok = saveCode(kv, config.id, code, new Date());
    savedNote.textContent = ok && store ? '· saved in this browser' : '· not saved: this browser blocks storage';
  };
  const editor: CodeEditor = createCodeEditor({
    parent: editorHost,
    value: initial,
    label: `Your main.mjs for the exercise ${config.title}`,
    onChange: (code) => {
      savedNote.textContent = '· editing…';
      clearTimeout(saveTimer);
      saveTimer = setTimeout(() => saveNow(code), 250);
    },
  });
  window.addEventListener('pagehide', () => saveNow(editor.getValue()));
  let solutionEditor: CodeEditor | null = null;

  // ── terminal ────────────────────────────────────────────────────────────────────────────────
  const termHost = q<HTMLElement>('[data-term-host]');
  const term = createXtermTerminal(termHost, 'Program output');
  const resizeListeners = new Set<(s: { cols: number; rows: number }) => void>();
  new ResizeObserver(() => {
    const size = term.resize();
    for (const l of resizeListeners) l(size);
  }).observe(termHost);
  const port: TerminalPort = {
    write: (t) => term.write(t),
    onInput: (fn) => term.onInput(fn),
    get cols() {
      return term.cols;
    },
    get rows() {
      return term.rows;
    },
    onResize: (fn) => {
      resizeListeners.add(fn);
      return () => resizeListeners.delete(fn);
    },
  };
  term.write(`\x1b[2mYour program’s output appears here. Run runs it${config.graded ? (config.role === 'client' ? ' against a practice server' : '') + '; Test grades it' : ''}.\x1b[0m\r\n`);

  // A second terminal: a shell on the simulated machine while a server program runs there.
  const term2Section = q<HTMLElement>('[data-term2]');
  let term2: TerminalHandle | null = null;
  const term2Resize = new Set<(s: { cols: number; rows: number }) => void>();
  const secondTerminal = (): TerminalPort => {
    term2Section.hidden = false;
    if (!term2) {
      const host = q<HTMLElement>('[data-term2-host]');
      const t = createXtermTerminal(host, 'Terminal 2: a shell on the machine your program runs on');
      term2 = t;
      new ResizeObserver(() => {
        const size = t.resize();
        for (const l of term2Resize) l(size);
      }).observe(host);
      host.addEventListener('focusin', () => (lastTerm = t));
    }
    const t = term2;
    t.reset();
    return {
      write: (x) => t.write(x),
      onInput: (fn) => t.onInput(fn),
      get cols() {
        return t.cols;
      },
      get rows() {
        return t.rows;
      },
      onResize: (fn) => {
        term2Resize.add(fn);
        return () => term2Resize.delete(fn);
      },
    };
  };
  // On-screen keys (touch screens) type into the terminal used last.
  let lastTerm: TerminalHandle = term;
  termHost.addEventListener('focusin', () => (lastTerm = term));
  const keyBar = root.querySelector<HTMLElement>('[data-term-keys]');
  if (keyBar) mountKeyBar(keyBar, (data) => lastTerm.input(data));

  // ── runners ─────────────────────────────────────────────────────────────────────────────────
  const select = q<HTMLSelectElement>('[data-runner]');
  const note = q<HTMLElement>('[data-runner-note]');
  const results = q<HTMLElement>('[data-results]');
  const ladderWrap = q<HTMLDetailsElement>('[data-ladder-wrap]');
  const ladderSvg = q<SVGSVGElement>('[data-ladder]');
  const ladderCount = q<HTMLElement>('[data-ladder-count]');
  const onTrace = (model: LadderModel) => {
    ladderWrap.hidden = false;
    ladderCount.textContent = `${model.total} segment${model.total === 1 ? '' : 's'}`;
    renderLadder(ladderSvg, model, Math.max(320, (ladderSvg.parentElement?.clientWidth ?? 500) - 8));
  };
  const factories: Record<RunnerKind, () => Promise<Runner>> = {
    local: async () => new (await import('../../runners/local/local-runner.ts')).LocalRunner(),
    webcontainer: async () => new (await import('../../runners/webcontainer/webcontainer-runner.ts')).WebContainerRunner(),
    sim: async () => new (await import('../../runners/sim/sim-runner.ts')).SimRunner({ onTrace }),
  };
  const runners = new Map<RunnerKind, Runner>();
  const runnerOf = async (k: RunnerKind): Promise<Runner> => {
    let r = runners.get(k);
    if (!r) {
      r = await factories[k]();
      runners.set(k, r);
    }
    return r;
  };
  const availability: Partial<Record<RunnerKind, Availability>> = {};
  const booted = new Set<RunnerKind>();
  let current: RunnerKind | null = null;
  let busy = false;
  let shell: Session | null = null;

  const buttons = {
    // A playground has no Test and no solution.
    test: root.querySelector<HTMLButtonElement>('[data-act=test]'),
    run: q<HTMLButtonElement>('[data-act=run]'),
    stop: q<HTMLButtonElement>('[data-act=stop]'),
    reset: q<HTMLButtonElement>('[data-act=reset]'),
    restore: q<HTMLButtonElement>('[data-act=restore]'),
    solution: root.querySelector<HTMLButtonElement>('[data-act=solution]'),
    shell: q<HTMLButtonElement>('[data-act=shell]'),
  };
  const setBusy = (b: boolean) => {
    busy = b;
    if (buttons.test) buttons.test.disabled = b || current === null;
    buttons.run.disabled = b || current === null;
    buttons.stop.disabled = !b;
    select.disabled = b;
    buttons.shell.disabled = b || current === null;
  };

  const describe = () => {
    select.replaceChildren();
    for (const k of RUNNER_ORDER) {
      const a = availability[k];
      const opt = document.createElement('option');
      opt.value = k;
      opt.textContent = a?.available === false ? `${RUNNER_NAMES[k]} — unavailable` : RUNNER_NAMES[k];
      opt.disabled = a?.available !== true;
      opt.selected = k === current;
      select.append(opt);
    }
    const why = RUNNER_ORDER.filter((k) => availability[k]?.available === false).map((k) => `${RUNNER_NAMES[k]}: ${availability[k]!.reason}`);
    note.textContent = current ? `Runs on ${RUNNER_IN_SENTENCE[current]}.${why.length ? ` Not available here — ${why.join('; ')}.` : ''}` : 'No runner is available in this browser.';
  };

  /** Uses a runner; only the learner's own choice is remembered for the next pages. */
  const use = (kind: RunnerKind, chosenByLearner = false) => {
    current = kind;
    if (chosenByLearner)
      try {
        store?.setItem(RUNNER_PREFERENCE_KEY, kind);
      } catch {
        /* fine */
      }
    describe();
    setBusy(false);
    root.dataset['runner'] = kind;
    // A shell exists on real machines (local, WebContainer); the simulated runtime has none.
    buttons.shell.hidden = kind === 'sim';
  };

  const capsOf = (k: RunnerKind): Capabilities | null => (k === 'webcontainer' && !booted.has(k) ? null : (runners.get(k)?.capabilities() ?? null));

  /** Boots the runner if needed and mounts the code; a runner that fails is marked unavailable and the next one is used. */
  const prepared = async (): Promise<Runner | null> => {
    while (current) {
      const kind: RunnerKind = current;
      try {
        const runner = await runnerOf(kind);
        if (!booted.has(kind)) term.write(`\x1b[2m[starting ${RUNNER_NAMES[kind]}…]\x1b[0m\r\n`);
        await runner.prepare({ [FILE]: editor.getValue() });
        booted.add(kind);
        return runner;
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        availability[kind] = { available: false, reason };
        rememberFailure(store, sessionStore(), kind, reason);
        term.write(`\r\n\x1b[33m[${RUNNER_NAMES[kind]}: ${reason}]\x1b[0m\r\n`);
        const next = chooseRunner(availability, null);
        if (!next) {
          current = null;
          describe();
          return null;
        }
        term.write(`\x1b[33m[switched to ${RUNNER_NAMES[next]}]\x1b[0m\r\n`);
        use(next);
      }
    }
    return null;
  };

  const doRun = async () => {
    if (busy || !current) return;
    setBusy(true);
    shell?.kill();
    revealIfOffScreen(termHost);
    try {
      const runner = await prepared();
      if (!runner) return;
      term.write(`\x1b[1m$ node ${FILE}\x1b[0m\r\n`);
      // A server exercise gets a second terminal to reach it from, on the machine it runs on, while it runs.
      const withShell = config.role === 'server' && (current === 'sim' || current === 'local');
      const shellPort = withShell ? secondTerminal() : undefined;
      const r = await runner.run(FILE, {
        env: config.runEnv,
        terminal: port,
        timeoutMs: withShell ? 300_000 : 30_000,
        ...(config.graded ? { peer: config.id } : {}),
        ...(shellPort ? { shell: shellPort } : {}),
      });
      if (r.exitCode !== null) term.write(`\x1b[2m[exited with status ${r.exitCode}]\x1b[0m\r\n`);
      if (shellPort) shellPort.write('\r\n\x1b[2m[your program ended, and this shell with it: Run starts both again]\x1b[0m\r\n');
    } finally {
      setBusy(false);
    }
  };

  const doTest = async () => {
    if (busy || !current) return;
    setBusy(true);
    shell?.kill();
    results.replaceChildren(Object.assign(document.createElement('p'), { className: 'verdict', textContent: 'Testing…' }));
    revealIfOffScreen(results);
    try {
      const runner = await prepared();
      if (!runner || !current) return;
      const kind: RunnerKind = current;
      const advice = capabilityAdvice(kind, runner.capabilities(), config.needs, availability, capsOf);
      if (advice) {
        results.replaceChildren();
        const p = document.createElement('p');
        p.className = 'verdict error';
        p.dataset['verdict'] = 'unsupported';
        p.textContent = advice.message;
        results.append(p);
        for (const alt of advice.alternatives) {
          const b = document.createElement('button');
          b.type = 'button';
          b.className = 'button switch';
          b.textContent = `Test on ${RUNNER_NAMES[alt]} instead`;
          b.addEventListener('click', () => {
            use(alt, true);
            void doTest();
          });
          results.append(b);
        }
        return;
      }
      term.write(`\x1b[1m$ tcplab grade ${config.id} ${FILE}\x1b[0m\r\n`);
      const result: GradeResult = await runner.grade(config.id, FILE);
      renderResults(results, result, RUNNER_NAMES[kind]);
      term.write(result.status === 'pass' ? '\x1b[32mPassed.\x1b[0m\r\n' : `\x1b[33m${result.status === 'fail' ? 'Not yet: see the checks below.' : `Could not grade: ${result.error}`}\x1b[0m\r\n`);
      if (result.status === 'pass') completeCheckpoint(config.id, `passed on ${kind}`);
    } catch (e) {
      results.textContent = `Could not grade: ${e instanceof Error ? e.message : String(e)}`;
    } finally {
      setBusy(false);
    }
  };

  /** An interactive shell in the terminal (local: bash on this computer, with ss, tcpdump, nc). */
  const doShell = async () => {
    if (busy || !current) return;
    shell?.kill();
    const runner = await prepared();
    if (!runner) return;
    if (!runner.capabilities().shell) {
      term.write(`\x1b[33m[${RUNNER_NAMES[current]} has no shell]\x1b[0m\r\n`);
      return;
    }
    term.reset();
    term.focus();
    const session = await runner.startShell(port);
    shell = session;
    void session.exited.then((code) => {
      if (shell === session) shell = null;
      term.write(`\r\n\x1b[2m[shell exited${code === null ? '' : ` with status ${code}`}]\x1b[0m\r\n`);
    });
  };

  const doStop = async () => {
    if (!current) return;
    await runners.get(current)?.stop();
  };

  // ── reset, restore, solution ────────────────────────────────────────────────────────────────
  const dialog = q<HTMLDialogElement>('[data-reset-dialog]');
  const refreshRestore = () => {
    buttons.restore.hidden = previousVersions(kv, config.id).length === 0;
  };
  dialog.addEventListener('close', () => {
    if (dialog.returnValue !== 'reset') return;
    resetCode(kv, config.id, editor.getValue(), config.starter, new Date());
    editor.setValue(config.starter);
    savedNote.textContent = '· reset to the starter; your previous code is kept';
    refreshRestore();
  });
  buttons.reset.addEventListener('click', () => {
    dialog.returnValue = '';
    dialog.showModal();
  });
  buttons.restore.addEventListener('click', () => {
    const code = restorePrevious(kv, config.id, editor.getValue(), new Date());
    if (code !== null) editor.setValue(code);
    refreshRestore();
    editor.focus();
  });
  const solutionButton = buttons.solution;
  solutionButton?.addEventListener('click', () => {
    const panel = q<HTMLElement>('[data-solution]');
    const open = panel.hidden !== false;
    panel.hidden = !open;
    q<HTMLElement>('[data-code-area]').classList.toggle('side', open);
    solutionButton.setAttribute('aria-expanded', String(open));
    solutionButton.textContent = open ? 'Hide solution' : 'Show solution';
    if (open && !solutionEditor) solutionEditor = createCodeEditor({ parent: q<HTMLElement>('[data-solution-editor]'), value: config.solution, label: 'Reference solution (read-only)', readOnly: true });
  });
  refreshRestore();

  buttons.run.addEventListener('click', () => void doRun());
  buttons.test?.addEventListener('click', () => void doTest());
  buttons.stop.addEventListener('click', () => void doStop());
  buttons.shell.addEventListener('click', () => void doShell());
  select.addEventListener('change', () => {
    const k = select.value as RunnerKind;
    if (availability[k]?.available) use(k, true);
  });
  buttons.reset.disabled = false;
  if (buttons.solution) buttons.solution.disabled = false;
  q<HTMLElement>('[data-loading]').remove();
  root.dataset['ready'] = 'true';

  // Measure every runner, then pick one (the learner's last choice when it is available).
  void (async () => {
    await Promise.all(
      RUNNER_ORDER.map(async (k) => {
        try {
          // WebContainer answers from the page environment alone: its runner loads when first used.
          if (k === 'webcontainer') availability[k] = webContainerAvailability();
          // Without the local server's token in the page there is no local runner: no need to load it.
          else if (k === 'local' && !tokenFromPage()) availability[k] = { available: false, reason: loginNeeded() ? LOCAL_LOGIN_NEEDED : NO_LOCAL_SERVER };
          else availability[k] = await (await runnerOf(k)).availability();
        } catch (e) {
          availability[k] = { available: false, reason: e instanceof Error ? e.message : String(e) };
        }
      }),
    );
    // A runner that could not start earlier in this session is not tried again on every page.
    for (const [k, reason] of Object.entries(failedThisSession(sessionStore())) as Array<[RunnerKind, string]>) {
      if (availability[k]?.available) availability[k] = { available: false, reason: `it could not start earlier in this session (${reason})` };
    }
    let preferred: string | null = null;
    try {
      preferred = store?.getItem(RUNNER_PREFERENCE_KEY) ?? null;
    } catch {
      /* none */
    }
    const choice = chooseRunner(availability, preferred);
    if (choice) use(choice);
    else describe();
    root.dataset['runnersReady'] = 'true';
  })();
}
