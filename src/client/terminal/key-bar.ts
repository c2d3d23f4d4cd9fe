/**
 * The on-screen keys of a terminal, for touch screens without Ctrl, Tab or arrows: each button sends its
 * key's bytes as if typed. A press never takes the focus from the terminal, so the phone's keyboard stays up.
 */
export const KEY_BYTES: Record<string, string> = {
  'ctrl-c': '\x03',
  'ctrl-d': '\x04',
  tab: '\t',
  up: '\x1b[A',
  down: '\x1b[B',
};

export function mountKeyBar(bar: HTMLElement, send: (data: string) => void): void {
  for (const b of bar.querySelectorAll<HTMLButtonElement>('button[data-key]')) {
    const bytes = KEY_BYTES[b.dataset['key'] ?? ''];
    if (!bytes) continue;
    // Keep the focus (and the on-screen keyboard) where it is.
    b.addEventListener('pointerdown', (e) => e.preventDefault());
    b.addEventListener('click', () => send(bytes));
  }
}
