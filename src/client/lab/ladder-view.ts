import type { LadderModel } from '../../lab/ladder-model.ts';
import { labelAlong } from '../../lab/ladder-geometry.ts';
import { svg } from './svg.ts';

const ROW = 30;
const STATE_ROW = 18;
const TOP = 44;
const COL_MIN = 150;

/** Draws a ladder model into an <svg>: columns for addresses, arrows for segments, state labels. */
export function renderLadder(host: SVGSVGElement, model: LadderModel, width: number): void {
  const cols = Math.max(1, model.columns.length);
  const w = Math.max(width, cols * COL_MIN);
  const margin = 70;
  const xOf = (c: number) => (cols === 1 ? w / 2 : margin + (c * (w - 2 * margin)) / (cols - 1));
  let y = TOP;
  const parts: SVGElement[] = [];
  parts.push(svg('defs', {}));
  const marker = svg('marker', { id: 'lab-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
  marker.append(svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: 'currentColor' }));
  parts[0]!.append(marker);
  model.columns.forEach((c, i) => {
    parts.push(svg('text', { x: xOf(i), y: 16, 'text-anchor': 'middle', class: 'who' }, c.endpoint));
    parts.push(svg('text', { x: xOf(i), y: 30, 'text-anchor': 'middle', class: 'names' }, c.names.slice(-2).join(', ')));
  });
  const body: SVGElement[] = [];
  for (const r of model.rows) {
    if (r.kind === 'state') {
      const x = xOf(r.col);
      const right = r.col < cols - 1 || cols === 1;
      const t = svg('text', { x: right ? x + 6 : x - 6, y: y + 12, 'text-anchor': right ? 'start' : 'end', class: 'state' }, r.state);
      t.append(svg('title', {}, `${r.socket}: ${r.state} — ${r.reason}`));
      body.push(t);
      y += STATE_ROW;
      continue;
    }
    const x1 = xOf(r.from);
    const x2 = xOf(r.to);
    const g = svg('g', { class: `seg${r.dropped ? ' lost' : ''}${r.flags.includes('R') ? ' rst' : ''}${r.mark ? ` ${r.mark}` : ''}`, tabindex: 0, role: 'listitem', 'aria-label': r.detail });
    g.append(svg('title', {}, r.detail));
    if (r.from === r.to) {
      const d = `M ${x1} ${y + 4} C ${x1 + 80} ${y + 4}, ${x1 + 80} ${y + ROW - 6}, ${x1 + 4} ${y + ROW - 6}`;
      g.append(svg('path', { d, fill: 'none', ...(r.dropped ? {} : { 'marker-end': 'url(#lab-arrow)' }) }));
      g.append(svg('text', { x: x1 + 86, y: y + ROW / 2 + 4 }, r.label));
    } else {
      const endX = r.dropped ? (x1 + x2) / 2 : x2;
      const endY = r.dropped ? y + ROW / 2 : y + ROW - 6;
      g.append(svg('line', { x1, y1: y + 4, x2: endX, y2: endY, ...(r.dropped ? {} : { 'marker-end': 'url(#lab-arrow)' }) }));
      // Parallel to the arrow and above it, so the line never strikes the text through.
      const at = labelAlong(x1, y + 4, endX, endY, 5);
      g.append(svg('text', { x: at.x, y: at.y, transform: `rotate(${at.angle} ${at.x} ${at.y})`, 'text-anchor': 'middle', class: 'lbl' }, r.label));
      if (r.dropped) g.append(svg('text', { x: endX + 4, y: endY + 4, class: 'x' }, '✕ lost'));
    }
    body.push(g);
    y += ROW;
  }
  const height = y + 16;
  const lines = model.columns.map((_, i) => svg('line', { x1: xOf(i), x2: xOf(i), y1: 36, y2: height - 4, class: 'life' }));
  host.replaceChildren(...parts, ...lines, ...body);
  host.setAttribute('viewBox', `0 0 ${w} ${height}`);
  host.setAttribute('width', String(w));
  host.setAttribute('height', String(height));
}
