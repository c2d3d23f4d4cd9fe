import { Terminal, type ITheme } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import type { TerminalHandle } from './terminal.ts';

function theme(): ITheme {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  const dark = document.documentElement.dataset['theme'] === 'dark';
  return {
    background: v('--code-bg', dark ? '#161b22' : '#f6f8fa'),
    foreground: v('--fg', dark ? '#e6edf3' : '#1b1f24'),
    cursor: v('--accent', '#0b5cad'),
    cursorAccent: v('--code-bg', '#ffffff'),
    selectionBackground: dark ? '#264f78' : '#b6d6fb',
    black: dark ? '#484f58' : '#24292f',
    red: dark ? '#ff7b72' : '#b42318',
    green: dark ? '#56d364' : '#1a7f37',
    yellow: dark ? '#e3b341' : '#7d4e00',
    blue: dark ? '#79c0ff' : '#0b5cad',
    magenta: dark ? '#d2a8ff' : '#8250df',
    cyan: dark ? '#76e3ea' : '#0a6b74',
    white: dark ? '#e6edf3' : '#57606a',
    brightBlack: dark ? '#6e7681' : '#57606a',
    brightGreen: dark ? '#7ee787' : '#1a7f37',
    brightBlue: dark ? '#a5d6ff' : '#0550ae',
  };
}

/** An xterm.js terminal in `container`, themed after the page (light/dark), behind TerminalHandle. */
export function createXtermTerminal(container: HTMLElement, label: string): TerminalHandle {
  const term = new Terminal({
    convertEol: false,
    cursorBlink: true,
    fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
    fontSize: container.clientWidth < 640 ? 12 : 13,
    lineHeight: 1.15,
    scrollback: 2000,
    screenReaderMode: true,
    theme: theme(),
    allowProposedApi: false,
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(container);
  const textarea = container.querySelector('textarea');
  textarea?.setAttribute('aria-label', label);
  const onTheme = () => {
    term.options.theme = theme();
  };
  document.addEventListener('tcplab:theme', onTheme);
  const safeFit = () => {
    try {
      if (container.clientWidth > 0 && container.clientHeight > 0) fit.fit();
    } catch {
      /* not laid out yet */
    }
    return { cols: term.cols, rows: term.rows };
  };
  const observer = new ResizeObserver(() => safeFit());
  observer.observe(container);
  safeFit();
  return {
    write: (text) => term.write(text),
    onInput(listener) {
      const d = term.onData(listener);
      return () => d.dispose();
    },
    input: (data) => term.input(data, true),
    resize: safeFit,
    reset: () => term.reset(),
    focus: () => term.focus(),
    dispose() {
      observer.disconnect();
      document.removeEventListener('tcplab:theme', onTheme);
      term.dispose();
    },
    get cols() {
      return term.cols;
    },
    get rows() {
      return term.rows;
    },
  };
}
