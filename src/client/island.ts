/**
 * Islands load their code when they come near the screen: `whenNear` calls `start` once, the first time
 * the element is within `margin` of the viewport (at once where IntersectionObserver is missing).
 */
export function whenNear(el: Element, start: () => void, margin = '200px'): void {
  if (!('IntersectionObserver' in window)) return start();
  // Already on screen (a lab pane beside the text): start now rather than a frame or two later.
  const r = el.getBoundingClientRect();
  if (r.bottom > 0 && r.top < window.innerHeight && r.width > 0) return start();
  const io = new IntersectionObserver(
    (entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        io.disconnect();
        start();
      }
    },
    { rootMargin: margin },
  );
  io.observe(el);
}

/** Loads an island's module and mounts it; a failure is written where the island says it is loading. */
export function loadIsland(el: HTMLElement, what: string, load: () => Promise<void>): void {
  load().catch((e: unknown) => {
    const p = el.querySelector('[data-loading]');
    if (p) p.textContent = `The ${what} could not start: ${e instanceof Error ? e.message : String(e)}. Reload the page to try again.`;
  });
}
