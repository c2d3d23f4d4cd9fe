/**
 * The mock interview island: ten random questions against one clock, a self-assessment after each, and a
 * summary at the end that can feed the drill schedule. The question cards are static HTML; this shows and hides.
 */
import { MARKS, MOCK_MS_PER_QUESTION, MOCK_QUESTIONS, drawQuestions, formatClock, ratingsFrom, summarize, type Mark, type MockAnswer } from './mock-session.ts';
import { loadReviews, saveRatings } from './review-store.ts';
import { focusAndShow } from './focus.ts';
import { withBase } from '../../site/base-path.ts';

type Phase = 'setup' | 'run' | 'summary';

export function mountMock(root: HTMLElement, random: () => number = Math.random): void {
  const q = <T extends Element>(sel: string) => root.querySelector<T>(sel);
  const cards = new Map([...root.querySelectorAll<HTMLElement>('article.question[data-qid]')].map((el) => [el.dataset['qid']!, el]));
  const setup = q<HTMLElement>('[data-phase-setup]');
  const run = q<HTMLElement>('[data-phase-run]');
  const summaryBox = q<HTMLElement>('[data-phase-summary]');
  const levelSel = q<HTMLSelectElement>('[data-mock-level]');
  const clockOut = q<HTMLElement>('[data-clock]');
  const progressOut = q<HTMLElement>('[data-progress]');
  const doneBtn = q<HTMLButtonElement>('[data-act=done]');
  const markBox = q<HTMLElement>('[data-marks]');
  const live = q<HTMLElement>('[data-live]');
  const headline = q<HTMLElement>('[data-headline]');
  const list = q<HTMLOListElement>('[data-results]');
  const scheduleBtn = q<HTMLButtonElement>('[data-act=schedule]');
  const scheduleNote = q<HTMLElement>('[data-schedule-note]');

  let order: string[] = [];
  let answers: MockAnswer[] = [];
  let index = 0;
  let startedAt = 0;
  let shownAt = 0;
  let limitMs = 0;
  let ticker: ReturnType<typeof setInterval> | undefined;
  const warned = new Set<number>();

  const setPhase = (phase: Phase) => {
    root.dataset['phase'] = phase;
    if (setup) setup.hidden = phase !== 'setup';
    if (run) run.hidden = phase !== 'run';
    if (summaryBox) summaryBox.hidden = phase !== 'summary';
  };

  const remaining = () => limitMs - (Date.now() - startedAt);

  const tick = () => {
    const left = remaining();
    if (clockOut) clockOut.textContent = formatClock(left);
    for (const mark of [300_000, 60_000]) {
      if (left <= mark && left > 0 && !warned.has(mark) && limitMs > mark) {
        warned.add(mark);
        if (live) live.textContent = `${mark / 60_000} minute${mark === 60_000 ? '' : 's'} left.`;
      }
    }
    if (left <= 0) finish(true);
  };

  const showQuestion = () => {
    const id = order[index]!;
    for (const [cid, el] of cards) el.hidden = cid !== id;
    const card = cards.get(id)!;
    const answer = card.querySelector<HTMLElement>('[data-answer]');
    if (answer) answer.hidden = true;
    const draft = card.querySelector<HTMLTextAreaElement>('[data-draft]');
    if (draft) draft.value = '';
    if (progressOut) progressOut.textContent = `Question ${index + 1} of ${order.length}`;
    if (doneBtn) doneBtn.hidden = false;
    if (markBox) markBox.hidden = true;
    root.dataset['current'] = id;
    shownAt = Date.now();
    focusAndShow(card.querySelector<HTMLElement>('.q'));
  };

  const start = () => {
    const level = levelSel?.value ?? '';
    const pool = [...cards.entries()].filter(([, el]) => !level || el.dataset['level'] === level).map(([id]) => id);
    order = drawQuestions(pool, MOCK_QUESTIONS, random);
    answers = order.map((id) => ({ id, mark: null, ms: 0 }));
    index = 0;
    limitMs = order.length * MOCK_MS_PER_QUESTION;
    startedAt = Date.now();
    warned.clear();
    setPhase('run');
    tick();
    ticker = setInterval(tick, 1000);
    showQuestion();
  };

  const revealAnswer = () => {
    const card = cards.get(order[index]!)!;
    const answer = card.querySelector<HTMLElement>('[data-answer]');
    if (answer) answer.hidden = false;
    if (doneBtn) doneBtn.hidden = true;
    if (markBox) markBox.hidden = false;
    focusAndShow(card.querySelector<HTMLElement>('.answer .part'));
  };

  const markAnswer = (mark: Mark) => {
    const a = answers[index];
    if (!a) return;
    a.mark = mark;
    a.ms = Date.now() - shownAt;
    index++;
    if (index >= order.length) finish(false);
    else showQuestion();
  };

  function finish(outOfTime: boolean): void {
    if (root.dataset['phase'] !== 'run') return;
    if (ticker !== undefined) clearInterval(ticker);
    ticker = undefined;
    const used = Date.now() - startedAt;
    const current = answers[index];
    if (current && current.mark === null) current.ms = Date.now() - shownAt;
    const s = summarize(answers, limitMs, used, outOfTime);
    if (headline) headline.textContent = s.headline;
    list?.replaceChildren(
      ...answers.map((a) => {
        const li = document.createElement('li');
        li.dataset['mark'] = a.mark ?? 'none';
        const card = cards.get(a.id);
        const link = document.createElement('a');
        link.href = withBase(`/interview/#q-${a.id}`);
        link.textContent = card?.querySelector('.q')?.textContent ?? a.id;
        const mark = document.createElement('span');
        mark.className = 'mark-word';
        mark.textContent = a.mark ? MARKS.find((m) => m.id === a.mark)!.word : 'Not reached';
        const time = document.createElement('span');
        time.className = 'time';
        time.textContent = a.mark ? formatClock(a.ms) : '';
        li.append(link, ' ', mark, ' ', time);
        return li;
      }),
    );
    for (const el of cards.values()) el.hidden = true;
    delete root.dataset['current'];
    if (scheduleBtn) {
      scheduleBtn.disabled = ratingsFrom(answers).length === 0;
      scheduleBtn.hidden = false;
    }
    if (scheduleNote) scheduleNote.textContent = '';
    setPhase('summary');
    q<HTMLElement>('[data-summary-title]')?.focus();
  }

  q('[data-act=start]')?.addEventListener('click', start);
  q('[data-act=again]')?.addEventListener('click', () => setPhase('setup'));
  q('[data-act=end]')?.addEventListener('click', () => finish(false));
  doneBtn?.addEventListener('click', revealAnswer);
  for (const b of root.querySelectorAll<HTMLButtonElement>('[data-mark]')) b.addEventListener('click', () => markAnswer(b.dataset['mark'] as Mark));
  scheduleBtn?.addEventListener('click', () => {
    const ratings = ratingsFrom(answers);
    const result = saveRatings(ratings, new Date(), loadReviews().reviews);
    if (scheduleNote) {
      scheduleNote.textContent =
        result.outcome === 'saved'
          ? `${ratings.length} question${ratings.length === 1 ? '' : 's'} added to your drill schedule: the ones you missed come back first.`
          : 'Your progress could not be saved in this browser, so the drill schedule is unchanged.';
    }
    scheduleBtn.disabled = true;
  });

  q('[data-loading]')?.remove();
  setPhase('setup');
  root.dataset['ready'] = '';
}
