/** Renders a grader's verdict: a headline, each check with expected / happened / hint, the program's output. */
import type { GradeResult } from '../../grading/exercise-types.ts';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

export function renderResults(host: HTMLElement, r: GradeResult, runnerName: string): void {
  host.replaceChildren();
  const passed = r.checks.filter((c) => c.pass).length;
  const headline =
    r.status === 'pass'
      ? `Passed: all ${r.checks.length} checks hold (${runnerName}).`
      : r.status === 'fail'
        ? `Not yet: ${r.checks.length - passed} of ${r.checks.length} checks failed (${runnerName}).`
        : `Could not grade: ${r.error ?? 'unknown error'}`;
  host.append(el('p', { class: `verdict ${r.status}`, 'data-verdict': r.status }, headline));
  if (r.checks.length > 0) {
    const ul = el('ul', { 'aria-label': 'Checks' });
    for (const c of r.checks) {
      const li = el('li', { 'data-check': c.pass ? 'pass' : 'fail' });
      const line = el('span', { class: 'check' });
      line.append(el('span', { 'aria-hidden': 'true' }, c.pass ? '✔' : '✘'), el('span', {}, `${c.pass ? '' : 'Failed: '}${c.name}`));
      li.append(line);
      if (!c.pass) {
        const dl = el('dl');
        for (const [k, v] of [['Expected', c.expected], ['Happened', c.happened], ['Hint', c.hint]] as const) {
          if (!v) continue;
          dl.append(el('dt', {}, k), el('dd', {}, v));
        }
        li.append(dl);
      }
      ul.append(li);
    }
    host.append(ul);
  }
  if (r.status !== 'pass' && r.output.trim() !== '') {
    const d = el('details');
    d.append(el('summary', {}, 'What your program printed'), el('pre', {}, r.output.slice(-4000)));
    host.append(d);
  }
}
