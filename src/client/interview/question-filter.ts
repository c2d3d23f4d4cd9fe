/**
 * The question bank page's filters (topic, level, only the article's questions). The list is static HTML and
 * complete without JavaScript; this only hides what does not match, keeps the choice in the address
 * (?topic=time-wait&level=advanced, so a filtered list can be shared) and says how many are shown.
 */
export interface QuestionFilters {
  topic: string;
  level: string;
  article: boolean;
}

export interface FilterableQuestion {
  topic: string;
  level: string;
  article: boolean;
}

export function matchesFilters(q: FilterableQuestion, f: QuestionFilters): boolean {
  return (f.topic === '' || q.topic === f.topic) && (f.level === '' || q.level === f.level) && (!f.article || q.article);
}

/** Reads filters from a query string; values the page does not offer are ignored, not trusted. */
export function filtersFromQuery(search: string, known: { topics: readonly string[]; levels: readonly string[] }): QuestionFilters {
  const params = new URLSearchParams(search);
  const topic = params.get('topic') ?? '';
  const level = params.get('level') ?? '';
  return {
    topic: known.topics.includes(topic) ? topic : '',
    level: known.levels.includes(level) ? level : '',
    article: params.get('article') === '1',
  };
}

export function queryFromFilters(f: QuestionFilters): string {
  const params = new URLSearchParams();
  if (f.topic) params.set('topic', f.topic);
  if (f.level) params.set('level', f.level);
  if (f.article) params.set('article', '1');
  const s = params.toString();
  return s ? `?${s}` : '';
}

export function countLine(shown: number, total: number): string {
  return `${shown} of ${total} question${total === 1 ? '' : 's'} shown.`;
}

/** Wires the filter form of /interview/ to the question list. */
export function bindQuestionFilters(doc: Document): void {
  const form = doc.querySelector<HTMLFormElement>('[data-filters]');
  if (!form) return;
  const topicSel = form.querySelector<HTMLSelectElement>('[data-filter=topic]');
  const levelSel = form.querySelector<HTMLSelectElement>('[data-filter=level]');
  const articleBox = form.querySelector<HTMLInputElement>('[data-filter=article]');
  const count = form.querySelector<HTMLElement>('[data-count]');
  const empty = doc.querySelector<HTMLElement>('[data-empty]');
  const items = [...doc.querySelectorAll<HTMLElement>('article.question[data-qid]')];
  const sections = [...doc.querySelectorAll<HTMLElement>('[data-topic-section]')];
  const options = (sel: HTMLSelectElement | null) => [...(sel?.options ?? [])].map((o) => o.value).filter(Boolean);
  const known = { topics: options(topicSel), levels: options(levelSel) };

  const apply = (f: QuestionFilters) => {
    let shown = 0;
    for (const el of items) {
      const on = matchesFilters({ topic: el.dataset['topic'] ?? '', level: el.dataset['level'] ?? '', article: el.hasAttribute('data-article') }, f);
      el.hidden = !on;
      if (on) shown++;
    }
    for (const s of sections) s.hidden = !s.querySelector('article.question:not([hidden])');
    if (count) count.textContent = countLine(shown, items.length);
    if (empty) empty.hidden = shown > 0;
  };
  const current = (): QuestionFilters => ({ topic: topicSel?.value ?? '', level: levelSel?.value ?? '', article: articleBox?.checked ?? false });

  const initial = filtersFromQuery(location.search, known);
  if (topicSel) topicSel.value = initial.topic;
  if (levelSel) levelSel.value = initial.level;
  if (articleBox) articleBox.checked = initial.article;
  apply(initial);
  form.hidden = false;
  form.addEventListener('submit', (e) => e.preventDefault());
  form.addEventListener('change', () => {
    const f = current();
    apply(f);
    history.replaceState(null, '', `${location.pathname}${queryFromFilters(f)}${location.hash}`);
  });
  form.dataset['ready'] = '';
}
