import { LabWorld } from '../../lab/world.ts';
import { LabClock, formatClock, type Speed } from '../../lab/clock.ts';
import { ladderModel } from '../../lab/ladder-model.ts';
import { Shell } from '../../shell/shell.ts';
import { goalMet, type LabGoal } from '../../grading/lab-goal-check.ts';
import type { TcpState } from '../../kernel/types.ts';
import { createXtermTerminal } from '../terminal/xterm-terminal.ts';
import type { TerminalHandle } from '../terminal/terminal.ts';
import { completeCheckpoint } from '../progress-store.ts';
import { mountKeyBar } from '../terminal/key-bar.ts';
import { LAB_BANNER, type TypedAhead } from './first-screen.ts';
import { renderLadder } from './ladder-view.ts';
import { renderStates } from './state-view.ts';

export interface LabConfig {
  terminals: number;
  goals: Array<{ checkpoint: string; task: string; goal: LabGoal }>;
  sysctl?: Record<string, string>;
  /** A scenario script that prepares the scene before the learner starts. */
  scenario?: { name: string; source: string };
  /** Why a scene that was asked for (the sandbox's ?scenario=) could not be loaded; the lab starts empty. */
  sceneProblem?: string;
}

const BANNER = `\x1b[2m${LAB_BANNER}\x1b[0m\r\n`;

/**
 * Wires a lab's static markup (KernelLab.astro) to a simulated world: terminals, clock, views, goals.
 * A prepared scene's scenario runner loads only for a lab that has one.
 */
export async function mountLab(root: HTMLElement, config: LabConfig): Promise<() => void> {
  const scene = config.scenario ? await import('../../kernel/scenario/index.ts') : null;
  return mountWorld(root, config, scene);
}

function mountWorld(root: HTMLElement, config: LabConfig, scene: typeof import('../../kernel/scenario/index.ts') | null): () => void {
  const q = <T extends Element>(sel: string) => root.querySelector<T>(sel);
  const qa = <T extends Element>(sel: string) => [...root.querySelectorAll<T>(sel)];
  const seed = 1 + Math.floor(Math.random() * 1_000_000);
  const world = new LabWorld({ seed });
  for (const [key, value] of Object.entries(config.sysctl ?? {})) world.kernel.sysctl.set(key, value);
  let sceneNote = config.sceneProblem ? `\x1b[31mNo scene prepared: ${config.sceneProblem}.\x1b[0m\r\n` : '';
  if (config.scenario && scene) {
    try {
      const scenario = scene.parseScenario(config.scenario.source, config.scenario.name);
      scene.checkScenario(scenario);
      scene.runScenario(scenario, { kernel: world.kernel });
      sceneNote = `\x1b[2mPrepared scene: ${config.scenario.name} (run ss -tan to see it).\x1b[0m\r\n`;
    } catch (e) {
      sceneNote = `\x1b[31mThe prepared scene could not be set up: ${(e as Error).message}\x1b[0m\r\n`;
    }
  }

  // Terminals. Only the first is drawn now; another gets its xterm when its tab is first shown (what its
  // shell wrote until then is kept and written then), so the first prompt appears sooner.
  const terminals: Array<TerminalHandle | null> = [];
  const shells: Shell[] = [];
  const unsubs: Array<() => void> = [];
  const unshown: string[][] = [];
  const hosts = qa<HTMLElement>('[data-term-host]');
  const materialize = (i: number): TerminalHandle | null => {
    const existing = terminals[i];
    if (existing) return existing;
    const host = hosts[i];
    const shell = shells[i];
    if (!host || !shell) return null;
    // The static first screen (KernelLab.astro) gives way to the live terminal, with what was typed into it.
    const staticScreen = host.querySelector<HTMLElement>('[data-term-static]');
    const hadFocus = staticScreen !== null && document.activeElement === staticScreen;
    host.textContent = '';
    const term = createXtermTerminal(host, `Terminal ${i + 1}: a shell on the simulated machine`);
    if (hadFocus) term.focus();
    terminals[i] = term;
    for (const t of unshown[i] ?? []) term.write(t);
    unshown[i] = [];
    unsubs.push(
      term.onInput((data) => {
        shell.input(data);
        world.notify();
        schedule();
      }),
    );
    return term;
  };
  hosts.forEach((_, i) => {
    unshown[i] = [];
    terminals[i] = null;
    const out = {
      write: (t: string) => {
        const term = terminals[i];
        if (term) term.write(t);
        else unshown[i]!.push(t);
      },
      clear: () => {
        const term = terminals[i];
        if (term) term.reset();
        else unshown[i] = [];
      },
      // Until drawn, a terminal is as wide as the first one.
      columns: () => (terminals[i] ?? terminals[0])?.cols ?? 80,
    };
    shells.push(new Shell(world, out, { banner: i === 0 ? BANNER + sceneNote : '' }));
    if (i === 0) materialize(0);
  });
  const typed = (root as HTMLElement & { typedAhead?: TypedAhead | null }).typedAhead;
  if (typed && typed.keys !== '') {
    shells[0]?.input(typed.keys);
    typed.keys = '';
    world.notify();
  }

  // On-screen keys (touch screens): they type into the terminal whose tab is selected.
  let activeTerm = 0;
  const keyBar = q<HTMLElement>('[data-term-keys]');
  if (keyBar)
    mountKeyBar(
      keyBar,
      (data) => {
        shells[activeTerm]?.input(data);
        world.notify();
        schedule();
      },
    );

  // Tabs (ARIA tabs pattern, arrow keys move between tabs).
  for (const list of qa<HTMLElement>('[role=tablist]')) {
    const tabs = [...list.querySelectorAll<HTMLButtonElement>('[role=tab]')];
    const select = (tab: HTMLButtonElement) => {
      for (const t of tabs) {
        const on = t === tab;
        t.setAttribute('aria-selected', String(on));
        t.tabIndex = on ? 0 : -1;
        const panel = root.querySelector<HTMLElement>(`#${t.getAttribute('aria-controls')}`);
        if (panel) panel.hidden = !on;
      }
      const idx = Number(tab.dataset['termIndex'] ?? -1);
      if (idx >= 0) {
        activeTerm = idx;
        const term = materialize(idx);
        term?.resize();
        term?.focus();
      }
      schedule();
    };
    tabs.forEach((tab, i) => {
      tab.addEventListener('click', () => select(tab));
      tab.addEventListener('keydown', (e) => {
        const next = e.key === 'ArrowRight' ? tabs[(i + 1) % tabs.length] : e.key === 'ArrowLeft' ? tabs[(i - 1 + tabs.length) % tabs.length] : null;
        if (next) {
          e.preventDefault();
          next.focus();
          select(next);
        }
      });
    });
  }

  // Clock and toolbar.
  const clockOut = q<HTMLOutputElement>('[data-clock]');
  const pauseBtn = q<HTMLButtonElement>('[data-act=pause]');
  const speedSel = q<HTMLSelectElement>('[data-speed]');
  const status = q<HTMLElement>('[data-lab-status]');
  const clock = new LabClock(world, () => schedule());
  pauseBtn?.addEventListener('click', () => {
    clock.setPaused(!clock.isPaused);
    pauseBtn.setAttribute('aria-pressed', String(clock.isPaused));
    pauseBtn.textContent = clock.isPaused ? 'Resume' : 'Pause';
  });
  speedSel?.addEventListener('change', () => clock.setSpeed(Number(speedSel.value) as Speed));
  q('[data-act=step]')?.addEventListener('click', () => {
    if (!clock.stepSegment() && status) status.textContent = 'Nothing more will happen on its own: type a command.';
  });
  for (const b of qa<HTMLButtonElement>('[data-act=skip]')) b.addEventListener('click', () => clock.skip(Number(b.dataset['us'])));
  q('[data-act=export]')?.addEventListener('click', () => {
    const text = world.sys.toScenario([
      'A lab session exported from TCP Teardown Lab.',
      `Replay it with: npx tcplab sim lab-session.tcplab --seed ${seed}`,
    ]);
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    a.download = 'lab-session.tcplab';
    a.click();
    URL.revokeObjectURL(a.href);
    if (status) status.textContent = `Exported ${world.sys.length} calls as lab-session.tcplab.`;
  });

  // Views.
  const ladderSvg = q<SVGSVGElement>('[data-ladder]');
  const ladderNote = q<HTMLElement>('[data-ladder-note]');
  const statesSvg = q<SVGSVGElement>('[data-states]');
  const socketsBody = q<HTMLTableSectionElement>('[data-sockets]');
  const segBody = q<HTMLTableSectionElement>('[data-segments]');
  const segCount = q<HTMLElement>('[data-segment-count]');
  const live = q<HTMLElement>('[data-live]');
  const k = world.kernel;
  const endpoints = new Map<number, string>();
  const endpointOf = (id: number) => {
    const known = endpoints.get(id);
    if (known) return known;
    const local = k.sock(id)?.local;
    if (!local || local.port === 0) return null;
    const ep = `${local.ip === '0.0.0.0' ? '127.0.0.1' : local.ip}:${local.port}`;
    endpoints.set(id, ep);
    return ep;
  };
  const done = new Set<string>();
  let lastSegments = -1;
  let lastStatesKey = '';

  const render = () => {
    if (clockOut) clockOut.textContent = formatClock(world.now());
    const events = k.trace.events;
    const segTotal = k.segmentsSent;
    if (segTotal !== lastSegments) {
      lastSegments = segTotal;
      for (const e of events) if (e.kind === 'segment' && e.from !== null && !endpoints.has(e.from)) endpoints.set(e.from, e.src);
      if (ladderSvg && !ladderSvg.closest<HTMLElement>('[role=tabpanel]')?.hidden) {
        const model = ladderModel(events, endpointOf, (id) => k.label(id), 60);
        renderLadder(ladderSvg, model, Math.max(320, ladderSvg.parentElement?.clientWidth ?? 400) - 8);
        if (ladderNote) ladderNote.textContent = model.total === 0 ? 'No segment yet: open a connection in a terminal.' : model.hidden > 0 ? `Showing the last 60 of ${model.total} segments.` : `${model.total} segment${model.total === 1 ? '' : 's'}.`;
        const scroller = ladderSvg.parentElement;
        if (scroller) scroller.scrollTop = scroller.scrollHeight;
      }
      if (segBody) {
        const segs = events.filter((e) => e.kind === 'segment').slice(-200);
        segBody.replaceChildren(
          ...segs.map((e) => {
            const tr = document.createElement('tr');
            if (e.kind !== 'segment') return tr;
            for (const cell of [(e.t / 1e6).toFixed(6), `${e.src} → ${e.dst}`, e.flags, e.len > 0 || /[SFR]/.test(e.flags) ? String(e.seq) : '', e.flags.includes('.') ? String(e.ack) : '', String(e.len), e.dropped ? 'lost' : '']) {
              const td = document.createElement('td');
              td.textContent = cell;
              tr.append(td);
            }
            return tr;
          }),
        );
      }
      if (segCount) segCount.textContent = String(segTotal);
    }
    const sockets = k.sockets();
    const statesKey = sockets.map((s) => `${s.id}:${s.state}`).join(',');
    if (statesKey !== lastStatesKey) {
      lastStatesKey = statesKey;
      const current = new Map<TcpState, string[]>();
      for (const s of sockets) current.set(s.state, [...(current.get(s.state) ?? []), s.label]);
      if (statesSvg) renderStates(statesSvg, current);
      socketsBody?.replaceChildren(
        ...sockets.map((s) => {
          const tr = document.createElement('tr');
          for (const cell of [s.label, s.state, s.local, s.state === 'LISTEN' ? '*' : s.remote]) {
            const td = document.createElement('td');
            td.textContent = cell;
            tr.append(td);
          }
          return tr;
        }),
      );
    }
    for (const g of config.goals) {
      if (done.has(g.checkpoint)) continue;
      if (goalMet(g.goal, events, world.now())) {
        done.add(g.checkpoint);
        // The session so far, as its own Export: the instructor's `tcplab regrade` replays it to check the goal.
        const session = world.sys.toScenario([`Lab session of ${g.checkpoint}: the goal was met at t=${(world.now() / 1e6).toFixed(3)} s.`], world.now());
        completeCheckpoint(g.checkpoint, `lab goal met at t=${(world.now() / 1e6).toFixed(3)} s`, { kind: 'lab', seed, session });
        const li = root.querySelector<HTMLElement>(`[data-goal="${g.checkpoint}"]`);
        li?.setAttribute('data-done', '');
        const st = li?.querySelector('[data-status]');
        if (st) st.textContent = 'done';
        if (live) live.textContent = `Goal reached: ${g.task}`;
      }
    }
  };
  let pending = false;
  function schedule(): void {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      render();
    });
  }

  let running = true;
  const loop = (t: number) => {
    if (!running) return;
    clock.frame(t);
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
  window.addEventListener('tcplab:resize', schedule);
  render();
  root.querySelector<HTMLElement>('[data-loading]')?.remove();
  root.dataset['ready'] = '';
  // The moment the prompt is on screen (measured by `npm run bench:lab-prompt`, e2e/lab-prompt.bench.ts).
  performance.mark('tcplab:lab-prompt');
  root.dataset['seed'] = String(seed);

  return () => {
    running = false;
    window.removeEventListener('tcplab:resize', schedule);
    for (const u of unsubs) u();
    for (const s of shells) s.dispose();
    for (const t of terminals) t?.dispose();
    delete root.dataset['ready'];
  };
}
