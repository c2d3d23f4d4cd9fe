/**
 * Moves keyboard focus to a heading and brings it to the top of the screen, below the sticky site header
 * (its scroll-margin-top), so that it is not hidden behind the sticky rating bar at the bottom.
 */
export function focusAndShow(el: HTMLElement | null): void {
  if (!el) return;
  el.focus({ preventScroll: true });
  el.scrollIntoView({ block: 'start' });
}
