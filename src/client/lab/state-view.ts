import type { TcpState } from '../../kernel/types.ts';
import { svg } from './svg.ts';

/** Box positions of RFC 9293's state diagram (Figure 5), on a 3-column grid. */
const BOXES: Record<Exclude<TcpState, never>, [number, number]> = {
  CLOSED: [1, 0],
  LISTEN: [1, 1],
  SYN_RECV: [0, 2],
  SYN_SENT: [2, 2],
  ESTABLISHED: [1, 3],
  FIN_WAIT_1: [0, 4],
  CLOSE_WAIT: [2, 4],
  FIN_WAIT_2: [0, 5],
  CLOSING: [1, 5],
  LAST_ACK: [2, 5],
  TIME_WAIT: [1, 6],
};

const EDGES: Array<[TcpState, TcpState, string]> = [
  ['CLOSED', 'LISTEN', 'listen'],
  ['CLOSED', 'SYN_SENT', 'connect / SYN'],
  ['LISTEN', 'SYN_RECV', 'rcv SYN / SYN,ACK'],
  ['SYN_SENT', 'SYN_RECV', 'rcv SYN'],
  ['SYN_SENT', 'ESTABLISHED', 'rcv SYN,ACK / ACK'],
  ['SYN_RECV', 'ESTABLISHED', 'rcv ACK'],
  ['ESTABLISHED', 'FIN_WAIT_1', 'close / FIN'],
  ['ESTABLISHED', 'CLOSE_WAIT', 'rcv FIN / ACK'],
  ['FIN_WAIT_1', 'FIN_WAIT_2', 'rcv ACK'],
  ['FIN_WAIT_1', 'CLOSING', 'rcv FIN / ACK'],
  ['CLOSE_WAIT', 'LAST_ACK', 'close / FIN'],
  ['FIN_WAIT_2', 'TIME_WAIT', 'rcv FIN / ACK'],
  ['CLOSING', 'TIME_WAIT', 'rcv ACK'],
  ['LAST_ACK', 'CLOSED', 'rcv ACK'],
  ['TIME_WAIT', 'CLOSED', '60 s'],
];

const W = 150;
const H = 30;
const GX = 175;
const GY = 56;
const center = (s: TcpState) => {
  const [c, r] = BOXES[s];
  return { x: 20 + c * GX + W / 2, y: 14 + r * GY + H / 2 };
};

/** Draws the RFC 9293 state diagram, highlighting the states sockets are in now (with their names). */
export function renderStates(host: SVGSVGElement, current: Map<TcpState, string[]>): void {
  const children: SVGElement[] = [];
  const defs = svg('defs');
  const marker = svg('marker', { id: 'st-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto-start-reverse' });
  marker.append(svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: 'currentColor' }));
  defs.append(marker);
  children.push(defs);
  for (const [a, b] of EDGES) {
    const p = center(a);
    const q = center(b);
    const dx = q.x - p.x;
    const dy = q.y - p.y;
    const len = Math.hypot(dx, dy) || 1;
    const shrink = (v: { x: number; y: number }, s: number) => ({ x: v.x + (dx / len) * s, y: v.y + (dy / len) * s });
    const from = shrink(p, Math.abs(dy) > Math.abs(dx) ? H / 2 : W / 2);
    const to = shrink(q, -(Math.abs(dy) > Math.abs(dx) ? H / 2 + 3 : W / 2 + 3));
    children.push(svg('line', { x1: from.x, y1: from.y, x2: to.x, y2: to.y, class: 'edge', 'marker-end': 'url(#st-arrow)' }));
  }
  for (const s of Object.keys(BOXES) as TcpState[]) {
    const [c, r] = BOXES[s];
    const who = current.get(s) ?? [];
    const g = svg('g', { class: who.length ? 'box on' : 'box' });
    g.append(svg('rect', { x: 20 + c * GX, y: 14 + r * GY, width: W, height: H, rx: 6 }));
    g.append(svg('text', { x: 20 + c * GX + W / 2, y: 14 + r * GY + 19, 'text-anchor': 'middle' }, s));
    if (who.length) g.append(svg('title', {}, `${s}: ${who.join(', ')}`));
    children.push(g);
    if (who.length) {
      children.push(svg('text', { x: 20 + c * GX + W / 2, y: 14 + r * GY + H + 13, 'text-anchor': 'middle', class: 'who' }, who.slice(0, 3).join(', ') + (who.length > 3 ? ` +${who.length - 3}` : '')));
    }
  }
  host.replaceChildren(...children);
  host.setAttribute('viewBox', `0 0 ${20 * 2 + GX * 2 + W} ${14 + 6 * GY + H + 24}`);
}
