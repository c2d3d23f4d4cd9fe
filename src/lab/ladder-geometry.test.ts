import { expect, test } from 'vitest';
import { labelAlong } from './ladder-geometry.ts';

/** Distance from a point to the infinite line through (x1,y1)-(x2,y2), signed: negative above it. */
function side(px: number, py: number, x1: number, y1: number, x2: number, y2: number): number {
  return ((x2 - x1) * (py - y1) - (y2 - y1) * (px - x1)) / Math.hypot(x2 - x1, y2 - y1) * Math.sign(x2 - x1 || 1);
}

test('a label sits above its arrow, parallel to it, whichever way the arrow points', () => {
  for (const [x1, y1, x2, y2] of [
    [100, 40, 400, 66],
    [400, 40, 100, 66],
    [100, 40, 400, 40],
  ] as const) {
    const p = labelAlong(x1, y1, x2, y2, 6);
    expect(Math.abs(p.angle)).toBeLessThan(90);
    expect(side(p.x, p.y, x1, y1, x2, y2)).toBeCloseTo(-6, 1);
    expect(p.angle).toBeCloseTo((Math.atan((y2 - y1) / (x2 - x1)) * 180) / Math.PI, 1);
  }
});
