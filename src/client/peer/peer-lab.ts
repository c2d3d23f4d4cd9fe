/**
 * "Be the peer": the learner edits a packetdrill script — playing the remote end of a TCP connection — and
 * runs it against the simulated kernel. The verdict names the line that did not hold, with the script's packet
 * beside the one the kernel sent; the ladder shows the run. Loaded only when the learner opens this mode.
 */
import { startModuleWorker } from '../../runners/module-worker.ts';
import { renderLadder } from '../lab/ladder-view.ts';
import { createPktEditor, type PktEditor } from './pkt-editor.ts';
import { peerLadder } from './peer-ladder.ts';
import type { PeerRunReply, PeerRunRequest, PeerRunView } from './peer-run.ts';

/** A run that takes longer than this (real time) is stopped: the worker is replaced. */
const RUN_LIMIT_MS = 15_000;

export interface PeerScript {
  name: string;
  title: string;
  source: string;
}

export interface PeerLabConfig {
  /** The script the editor starts with. */
  script: PeerScript;
  /** Other scripts the learner may load (the sandbox offers the whole library). */
  choices?: PeerScript[];
  /** Where the learner's edits are kept (localStorage). */
  storageKey: string;
}

const read = (key: string): string | null => {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
};
const write = (key: string, value: string | null) => {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    /* storage full or disabled: the edit stays in the editor */
  }
};

export function mountPeerLab(root: HTMLElement, config: PeerLabConfig): () => void {
  const q = <T extends Element>(sel: string) => root.querySelector<T>(sel);
  const status = q<HTMLElement>('[data-peer-status]');
  const result = q<HTMLElement>('[data-peer-result]');
  const verdict = q<HTMLElement>('[data-peer-verdict]');
  const diff = q<HTMLElement>('[data-peer-diff]');
  const ladderWrap = q<HTMLElement>('[data-peer-ladder-wrap]');
  const ladderSvg = q<SVGSVGElement>('[data-peer-ladder]');
  const ladderNote = q<HTMLElement>('[data-peer-ladder-note]');
  const transcript = q<HTMLElement>('[data-peer-transcript] pre');
  const host = q<HTMLElement>('[data-peer-editor]')!;
  const choose = q<HTMLSelectElement>('[data-choose]');
  let current = config.script;
  const keyFor = (name: string) => `${config.storageKey}:${name}`;

  const saved = read(keyFor(current.name));
  let lastRun: PeerRunView | null = null;
  const editor: PktEditor = createPktEditor(host, saved ?? current.source, `packetdrill script: ${current.title}`, (text) => {
    write(keyFor(current.name), text === current.source ? null : text);
    if (status) status.textContent = '';
  });
  host.hidden = false;
  q<HTMLElement>('[data-peer-source]')?.setAttribute('hidden', '');
  for (const el of root.querySelectorAll<HTMLElement>('[data-when-open]')) el.hidden = false;
  if (saved !== null && status) status.textContent = 'Your edited script is back. Reset restores the original.';

  const show = (run: PeerRunView | null, error: { line: number; message: string; script?: string; actual?: string } | null, count: number) => {
    if (!result || !verdict || !diff) return;
    result.hidden = false;
    result.dataset['outcome'] = error ? 'fail' : 'pass';
    verdict.textContent = error ? `✗ Line ${error.line} did not hold: ${error.message}` : `✓ All ${count} lines held: the simulated kernel did exactly what the script says.`;
    const lines = [error?.script ? `script: ${error.script}` : '', error?.actual ? `actual: ${error.actual}` : ''].filter(Boolean);
    diff.textContent = lines.join('\n');
    diff.hidden = lines.length === 0;
    editor.markFailed(error ? error.line : null);
    if (ladderWrap && ladderSvg) {
      if (run) {
        const model = peerLadder(run);
        ladderWrap.hidden = false;
        renderLadder(ladderSvg, model, Math.max(320, (ladderWrap.clientWidth || 600) - 8));
        if (ladderNote) ladderNote.textContent = `${model.total} segment${model.total === 1 ? '' : 's'}: the kernel on the left, you on the right.`;
      } else ladderWrap.hidden = true;
    }
    if (transcript) transcript.textContent = run ? run.transcript : '';
    if (status) status.textContent = error ? `Line ${error.line} did not hold.` : 'Every line held.';
  };

  let worker: Worker | null = null;
  let nextId = 1;
  let running = false;
  const runBtn = q<HTMLButtonElement>('[data-act=run]');
  const run = () => {
    if (running) return;
    running = true;
    if (runBtn) runBtn.disabled = true;
    if (status) status.textContent = 'Running on the simulated kernel…';
    worker ??= startModuleWorker(import('./peer-worker-entry.ts').then((m) => m.WORKER_ENTRY.url));
    const w = worker;
    const id = nextId++;
    const done = () => {
      running = false;
      if (runBtn) runBtn.disabled = false;
      w.removeEventListener('message', onMessage);
      clearTimeout(watchdog);
    };
    const onMessage = (e: MessageEvent<PeerRunReply>) => {
      const r = e.data;
      if (r.id !== id) return;
      done();
      if (r.kind === 'run') {
        lastRun = r.view;
        show(r.view, r.view.verdict.failure, r.view.lines);
      } else if (r.kind === 'syntax') {
        lastRun = null;
        show(null, { line: r.line, message: `the script cannot be read: ${r.detail}` }, 0);
      } else if (status) status.textContent = `The simulator failed: ${r.message}`;
    };
    const watchdog = setTimeout(() => {
      done();
      w.terminate();
      worker = null;
      if (status) status.textContent = `The run was stopped after ${RUN_LIMIT_MS / 1000} s.`;
    }, RUN_LIMIT_MS);
    w.addEventListener('message', onMessage);
    w.postMessage({ id, source: editor.getValue(), file: `${current.name}.pkt` } satisfies PeerRunRequest);
  };
  const title = q<HTMLElement>('.peer-title');
  const load = (s: PeerScript) => {
    current = s;
    if (title) title.textContent = s.title;
    editor.setValue(read(keyFor(s.name)) ?? s.source);
    editor.markFailed(null);
    if (result) result.hidden = true;
    if (ladderWrap) ladderWrap.hidden = true;
    if (status) status.textContent = `Loaded ${s.name}.pkt.`;
  };

  const resetBtn = q<HTMLButtonElement>('[data-act=reset]');
  runBtn?.addEventListener('click', run);
  resetBtn?.addEventListener('click', () => {
    write(keyFor(current.name), null);
    load(current);
    if (status) status.textContent = 'Back to the original script (Ctrl+Z in the editor undoes this).';
  });
  choose?.addEventListener('change', () => {
    const s = config.choices?.find((c) => c.name === choose.value);
    if (s) load(s);
  });
  host.addEventListener('keydown', (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
      e.preventDefault();
      run();
    }
  });
  const onResize = () => {
    if (lastRun && ladderSvg && ladderWrap && !ladderWrap.hidden) renderLadder(ladderSvg, peerLadder(lastRun), Math.max(320, ladderWrap.clientWidth - 8));
  };
  window.addEventListener('resize', onResize);
  root.dataset['ready'] = '';
  return () => {
    window.removeEventListener('resize', onResize);
    worker?.terminate();
    editor.destroy();
    delete root.dataset['ready'];
  };
}
