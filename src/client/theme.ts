export type Theme = 'light' | 'dark';
const KEY = 'tcplab:theme';

export function currentTheme(): Theme {
  return document.documentElement.dataset['theme'] === 'dark' ? 'dark' : 'light';
}

export function applyTheme(theme: Theme, persist: boolean): void {
  document.documentElement.dataset['theme'] = theme;
  if (persist) {
    try {
      localStorage.setItem(KEY, theme);
    } catch {
      /* private mode: the choice lasts for this page only */
    }
  }
  document.dispatchEvent(new CustomEvent('tcplab:theme', { detail: theme }));
}

/** Follows the system setting for as long as the learner has not chosen. */
export function watchSystemTheme(onChange: () => void): void {
  const media = window.matchMedia('(prefers-color-scheme: dark)');
  media.addEventListener('change', (e) => {
    let saved: string | null = null;
    try {
      saved = localStorage.getItem(KEY);
    } catch {
      /* ignore */
    }
    if (saved) return;
    applyTheme(e.matches ? 'dark' : 'light', false);
    onChange();
  });
}
