/**
 * The drill island: one question at a time, chosen by the spaced-repetition schedule (due first, then new);
 * the learner answers in their head or types, reveals the model answers, and rates themselves. Every rating is
 * saved in the progress store at once. The cards are static HTML rendered at build; this only shows and hides.
 */
import { buildQueue, formatInterval, previewIntervals, type Rating } from '../../grading/review-schedule.ts';
import type { Progress } from '../../grading/progress.ts';
import { drafts, loadReviews, saveRatings } from './review-store.ts';
import { focusAndShow } from './focus.ts';

const RATING_WORD: Record<Rating, string> = { again: 'Again', hard: 'Hard', good: 'Good', easy: 'Easy' };

export function dueLine(due: number, now: number): string {
  return `in ${formatInterval(due - now)} (${new Date(due).toLocaleString(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' })})`;
}

export function mountDrill(root: HTMLElement, now: () => Date = () => new Date()): void {
  const q = <T extends Element>(sel: string) => root.querySelector<T>(sel);
  const cards = new Map([...root.querySelectorAll<HTMLElement>('article.question[data-qid]')].map((el) => [el.dataset['qid']!, el]));
  const allIds = [...cards.keys()];
  const topicSel = q<HTMLSelectElement>('[data-drill-topic]');
  const stats = q<HTMLElement>('[data-drill-stats]');
  const revealBtn = q<HTMLButtonElement>('[data-act=reveal]');
  const rateBox = q<HTMLElement>('[data-rate]');
  const rateButtons = [...root.querySelectorAll<HTMLButtonElement>('[data-rating]')];
  const donePanel = q<HTMLElement>('[data-done]');
  const doneText = q<HTMLElement>('[data-done-text]');
  const aheadBtn = q<HTMLButtonElement>('[data-act=ahead]');
  const live = q<HTMLElement>('[data-live]');
  const warning = q<HTMLElement>('[data-warning]');

  const loaded = loadReviews();
  let reviews: NonNullable<Progress['reviews']> = loaded.reviews;
  let current: string | null = null;
  let ratedThisVisit = 0;
  let interacted = false;
  if (loaded.unreadable && warning) {
    warning.textContent = 'Your saved progress could not be read, so it is left untouched: ratings count for this visit only. The progress page says more.';
    warning.hidden = false;
  }

  const ids = () => (topicSel?.value ? allIds.filter((id) => cards.get(id)?.dataset['topic'] === topicSel.value) : allIds);

  const renderStats = () => {
    const queue = buildQueue(ids(), reviews, now());
    if (stats) stats.textContent = `Due now: ${queue.due.length} · New: ${queue.fresh.length} · Scheduled later: ${queue.later.length} · Rated this visit: ${ratedThisVisit}`;
    return queue;
  };

  const show = (id: string | null) => {
    for (const [cid, el] of cards) el.hidden = cid !== id;
    current = id;
    if (rateBox) rateBox.hidden = true;
    if (id === null) {
      delete root.dataset['current'];
      if (revealBtn) revealBtn.hidden = true;
      return;
    }
    root.dataset['current'] = id;
    const card = cards.get(id)!;
    const answer = card.querySelector<HTMLElement>('[data-answer]');
    if (answer) answer.hidden = true;
    const draft = card.querySelector<HTMLTextAreaElement>('[data-draft]');
    if (draft) draft.value = drafts.get(id);
    if (revealBtn) revealBtn.hidden = false;
    if (donePanel) donePanel.hidden = true;
    if (interacted) focusAndShow(card.querySelector<HTMLElement>('.q'));
  };

  const next = () => {
    const queue = renderStats();
    const id = queue.due[0] ?? queue.fresh[0] ?? null;
    show(id);
    if (id === null && donePanel) {
      const soonest = queue.later[0];
      if (doneText) {
        doneText.textContent = soonest
          ? `Nothing is due. The next question comes back ${dueLine(soonest.due, now().getTime())}.`
          : 'There is no question to drill in this topic.';
      }
      if (aheadBtn) aheadBtn.hidden = !soonest;
      donePanel.hidden = false;
    }
  };

  const reveal = () => {
    if (!current) return;
    interacted = true;
    const card = cards.get(current)!;
    const answer = card.querySelector<HTMLElement>('[data-answer]');
    if (answer) answer.hidden = false;
    if (revealBtn) revealBtn.hidden = true;
    const intervals = previewIntervals(reviews[current], now());
    for (const b of rateButtons) {
      const r = b.dataset['rating'] as Rating;
      const when = b.querySelector('[data-interval]');
      if (when) when.textContent = formatInterval(intervals[r]);
    }
    if (rateBox) rateBox.hidden = false;
    focusAndShow(card.querySelector<HTMLElement>('.answer .part'));
  };

  const rate = (rating: Rating) => {
    if (!current) return;
    interacted = true;
    const id = current;
    const result = saveRatings([{ id, rating }], now(), reviews);
    reviews = result.reviews;
    ratedThisVisit++;
    drafts.set(id, '');
    const card = cards.get(id);
    const draft = card?.querySelector<HTMLTextAreaElement>('[data-draft]');
    if (draft) draft.value = '';
    const due = reviews[id] ? Date.parse(reviews[id]!.due) : now().getTime();
    const saved = result.outcome === 'saved' ? '' : result.outcome === 'not-saved' ? ' (not saved: this browser refused to store it)' : ' (for this visit only)';
    if (live) live.textContent = `Rated ${RATING_WORD[rating].toLowerCase()}: this question comes back in ${formatInterval(due - now().getTime())}${saved}.`;
    next();
  };

  revealBtn?.addEventListener('click', reveal);
  for (const b of rateButtons) b.addEventListener('click', () => rate(b.dataset['rating'] as Rating));
  aheadBtn?.addEventListener('click', () => {
    interacted = true;
    const soonest = buildQueue(ids(), reviews, now()).later[0];
    if (soonest) show(soonest.id);
  });
  topicSel?.addEventListener('change', () => {
    interacted = true;
    next();
  });
  root.addEventListener('input', (e) => {
    const t = e.target;
    if (t instanceof HTMLTextAreaElement && t.matches('[data-draft]') && current) drafts.set(current, t.value);
  });

  q('[data-loading]')?.remove();
  q<HTMLElement>('[data-drill-ui]')?.removeAttribute('hidden');
  next();
  root.dataset['ready'] = '';
}

