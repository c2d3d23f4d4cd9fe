import { expect, test, type Page } from '@playwright/test';

const LESSONS = ['lifecycle', 'four-way-close', 'who-sends-fin', 'fin-wait-2-pileup', 'close-with-data', 'half-close', 'close-or-shutdown', 'fin-timeout', 'three-way-close', 'self-connection', 'simultaneous-open', 'time-wait', 'review'];

/** Words of the reading pane's table cells that the browser split over two lines. */
async function brokenWords(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const cell of document.querySelectorAll('#reading td, #reading th')) {
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const text = n.textContent ?? '';
        // A line may end after a hyphen or slash (end-of-|file): that is a break between words, not in one.
        for (const m of text.matchAll(/[^\s\-/]+[-/]?/g)) {
          const r = document.createRange();
          r.setStart(n, m.index);
          r.setEnd(n, m.index + m[0].length);
          const tops = new Set([...r.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top)));
          if (tops.size > 1) out.push(m[0]);
        }
      }
    }
    return out;
  });
}

/**
 * Collisions in the figures: two texts whose boxes overlap, or a segment's arrow crossing its own label.
 * The label is rotated along the arrow, so the arrow is checked in the label's own coordinates.
 */
async function figureCollisions(page: Page, selector: string): Promise<string[]> {
  return page.evaluate((sel) => {
    const problems: string[] = [];
    for (const svgEl of document.querySelectorAll<SVGSVGElement>(sel)) {
      const texts = [...svgEl.querySelectorAll<SVGTextElement>('text')].filter((t) => (t.textContent ?? '').trim() !== '');
      const boxes = texts.map((t) => {
        // The rotated box's corners in the svg's coordinates.
        const b = t.getBBox();
        const m = t.transform.baseVal.consolidate()?.matrix ?? svgEl.createSVGMatrix();
        const pts = [
          [b.x, b.y],
          [b.x + b.width, b.y],
          [b.x + b.width, b.y + b.height],
          [b.x, b.y + b.height],
        ].map(([x, y]) => ({ x: m.a * x! + m.c * y! + m.e, y: m.b * x! + m.d * y! + m.f }));
        return { t, pts, b, m };
      });
      // Separating axis test of two convex quadrilaterals, shrunk by a pixel (touching is fine).
      const overlap = (p: Array<{ x: number; y: number }>, q: Array<{ x: number; y: number }>) => {
        for (const poly of [p, q]) {
          for (let i = 0; i < 4; i++) {
            const a = poly[i]!;
            const c = poly[(i + 1) % 4]!;
            const nx = c.y - a.y;
            const ny = a.x - c.x;
            const len = Math.hypot(nx, ny) || 1;
            const proj = (pts: typeof p) => pts.map((v) => (v.x * nx + v.y * ny) / len);
            const [pa, pb] = [proj(p), proj(q)];
            if (Math.max(...pa) - 1 <= Math.min(...pb) || Math.max(...pb) - 1 <= Math.min(...pa)) return false;
          }
        }
        return true;
      };
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++)
          if (overlap(boxes[i]!.pts, boxes[j]!.pts)) problems.push(`"${boxes[i]!.t.textContent}" overlaps "${boxes[j]!.t.textContent}"`);
      for (const box of boxes) {
        const seg = box.t.closest('.seg');
        const line = seg?.querySelector('line');
        if (!line) continue;
        const inv = box.m.inverse();
        const [x1, y1, x2, y2] = ['x1', 'y1', 'x2', 'y2'].map((k) => Number(line.getAttribute(k)));
        for (let k = 0; k <= 40; k++) {
          const x = x1! + ((x2! - x1!) * k) / 40;
          const y = y1! + ((y2! - y1!) * k) / 40;
          const lx = inv.a * x + inv.c * y + inv.e;
          const ly = inv.b * x + inv.d * y + inv.f;
          if (lx > box.b.x && lx < box.b.x + box.b.width && ly > box.b.y + 1 && ly < box.b.y + box.b.height - 1) {
            problems.push(`the arrow crosses its label "${box.t.textContent}"`);
            break;
          }
        }
      }
    }
    return problems;
  }, selector);
}

for (const slug of LESSONS) {
  test(`lesson ${slug}: no table breaks a word, and no figure has overlapping text or an arrow through a label`, async ({ page }) => {
    await page.goto(`/lessons/${slug}/`);
    expect(await brokenWords(page)).toEqual([]);
    expect(await figureCollisions(page, 'figure.ladder svg')).toEqual([]);
    // A table wider than the pane scrolls inside its own focusable region, never the page.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    for (const region of await page.locator('#reading .table-scroll').all()) {
      await expect(region).toHaveAttribute('tabindex', '0');
      await expect(region).toHaveAttribute('aria-label', /^Table/);
    }
  });
}

test("the lab's live ladder keeps labels clear of arrows, and the States tab's diagram is drawn at least 1:1", async ({ page }) => {
  await page.goto('/lessons/lifecycle/');
  const lab = page.locator('tcplab-kernel-lab[data-ready]');
  await expect(lab).toBeVisible();
  await lab.locator('.term-panel:not([hidden]) .xterm').click();
  await page.keyboard.type('nc -l 8080 &\n');
  await page.keyboard.type('nc 127.0.0.1 8080\n');
  await page.keyboard.type('hello\n');
  await page.keyboard.press('Control+C');
  await expect(lab.locator('[data-segment-count]')).not.toHaveText('0');
  await expect(lab.locator('svg[data-ladder] .seg').first()).toBeVisible();
  expect(await figureCollisions(page, 'svg[data-ladder]')).toEqual([]);
  await lab.getByRole('tab', { name: 'States' }).click();
  const heights = await lab.locator('[data-states] .box text').evaluateAll((ts) => ts.map((t) => t.getBoundingClientRect().height));
  expect(heights.length).toBe(11);
  expect(Math.min(...heights)).toBeGreaterThanOrEqual(11);
});
