import { withBase } from '../site/base-path.ts';
import { isDone } from '../grading/progress.ts';
import { onProgress } from './progress-store.ts';
import { checkpointsDone } from './words.ts';

/**
 * Decorates server-rendered markup with the learner's progress:
 * - `[data-checkpoint="id"]` gets `data-done` when that checkpoint passed;
 * - `[data-lesson-checkpoints="a b c"]` gets `data-done-count` and its `[data-count]` child the text "2 of 3";
 * - `[data-continue]` links point at the first lesson with work left, labelled Continue once started.
 */
export function startProgressMarks(root: ParentNode = document): void {
  onProgress(({ progress }) => {
    for (const el of root.querySelectorAll<HTMLElement>('[data-checkpoint]')) {
      const id = el.dataset['checkpoint'] ?? '';
      el.toggleAttribute('data-done', isDone(progress, id));
      const label = el.querySelector<HTMLElement>('[data-status]');
      if (label) label.textContent = isDone(progress, id) ? 'done' : 'not done yet';
    }
    let firstOpen: HTMLElement | undefined;
    let anyDone = false;
    for (const el of root.querySelectorAll<HTMLElement>('[data-lesson-checkpoints]')) {
      const ids = (el.dataset['lessonCheckpoints'] ?? '').split(' ').filter(Boolean);
      const done = ids.filter((id) => isDone(progress, id)).length;
      anyDone ||= done > 0;
      el.dataset['doneCount'] = String(done);
      el.toggleAttribute('data-complete', done === ids.length && ids.length > 0);
      const count = el.querySelector<HTMLElement>('[data-count]');
      if (count) count.textContent = checkpointsDone(done, ids.length);
      if (!firstOpen && done < ids.length) firstOpen = el;
    }
    for (const link of root.querySelectorAll<HTMLAnchorElement>('a[data-continue]')) {
      const last = progress.lastLesson;
      const target = firstOpen?.dataset['href'] ?? (last ? withBase(`/lessons/${last}/`) : undefined);
      if (target && (anyDone || last)) {
        link.href = target;
        link.textContent = 'Continue where you left off';
      }
    }
  });
}
