/**
 * Brings an element into view when none of it is on screen: a learner who presses Run with the terminal
 * below the fold sees the output start, while one who scrolled to read part of it is left where they are.
 */
export function revealIfOffScreen(el: HTMLElement): void {
  const r = el.getBoundingClientRect();
  if (r.bottom > 0 && r.top < window.innerHeight) return;
  const still = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  el.scrollIntoView({ block: 'nearest', behavior: still ? 'auto' : 'smooth' });
}
