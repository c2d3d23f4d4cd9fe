/**
 * What the first terminal of a lab says before anything is typed: drawn as static markup at build time
 * (KernelLab.astro), so the prompt is on screen with the page's first paint, and then by the shell once
 * the lab's code has loaded. One text for both, so the switch does not show.
 */
export const LAB_BANNER = 'Simulated Linux lab — type help for the commands. The clock runs in the toolbar above.';
export const PROMPT_USER = 'learner@tcplab';

/** Keys typed into the static first screen before the lab's code ran, kept for the shell. */
export interface TypedAhead {
  keys: string;
}

/**
 * Lets the static first screen take keys until the terminal is live: printable characters, Backspace and
 * Enter, echoed in place. Returns what was typed (read and cleared by the lab when it starts).
 */
export function captureTypeAhead(screen: HTMLElement): TypedAhead {
  const typed: TypedAhead = { keys: '' };
  const echo = screen.querySelector<HTMLElement>('[data-typed]');
  screen.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === 'Enter') typed.keys += '\r';
    else if (e.key === 'Backspace') typed.keys += '\x7f';
    else if (e.key.length === 1) typed.keys += e.key;
    else return;
    e.preventDefault();
    if (echo) {
      // Shows the line being typed (the last one, after any Enter).
      let line = '';
      for (const ch of typed.keys) line = ch === '\r' ? '' : ch === '\x7f' ? line.slice(0, -1) : line + ch;
      echo.textContent = line;
    }
  });
  return typed;
}
