import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';

const exercises = join(import.meta.dirname, '../content/exercises');
const code = (id: string, part: string) => readFileSync(join(exercises, id, part), 'utf8');

async function openExercise(page: Page, path: string, runner: 'local' | 'sim'): Promise<Locator> {
  // The local runner is for whoever opened the link `npm start` printed.
  if (runner === 'local') await page.goto(`/?token=${process.env['TCPLAB_TOKEN']}`);
  await page.goto(path);
  const ex = page.locator('tcplab-exercise').first();
  await ex.scrollIntoViewIfNeeded();
  await expect(ex).toHaveAttribute('data-runners-ready', 'true');
  await ex.getByLabel('Run on').selectOption(runner);
  await expect(ex).toHaveAttribute('data-runner', runner);
  return ex;
}

/** Replaces the editor's text as a paste would (typing would add CodeMirror's auto-indentation). */
async function setCode(page: Page, ex: Locator, text: string) {
  await ex.locator('[data-editor] .cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

const editorText = (ex: Locator) => ex.locator('[data-editor] .cm-content');

for (const runner of ['sim', 'local'] as const) {
  test(`on ${runner}: a wrong solution fails with a helpful message, a right one passes, ticks the checkpoint, and both survive a reload`, async ({ page }) => {
    const id = runner === 'sim' ? 'half-close-request' : 'reset-on-unread';
    const ex = await openExercise(page, `/exercises/${id}/`, runner);
    const state = ex.locator(`[data-checkpoint="${id}"]`);
    await expect(state).not.toHaveAttribute('data-done', '');

    if (id === 'half-close-request') {
      await setCode(page, ex, code(id, 'wrong/never-half-closes.mjs'));
      await ex.getByRole('button', { name: 'Test' }).click();
      await expect(ex.locator('[data-verdict]')).toHaveAttribute('data-verdict', 'fail', { timeout: 20_000 });
      await expect(ex.locator('[data-results]')).toContainText('call socket.end(): it sends your FIN');
      // The simulated kernel draws the segments of the graded run.
      await expect(ex.locator('[data-ladder-wrap]')).toBeVisible();
    } else {
      await setCode(page, ex, code(id, 'wrong/no-error-handler.mjs'));
      await ex.getByRole('button', { name: 'Test' }).click();
      await expect(ex.locator('[data-verdict]')).toHaveAttribute('data-verdict', 'fail', { timeout: 20_000 });
      await expect(ex.locator('[data-results]')).toContainText("without an 'error' listener, so Node crashed");
    }
    await expect(state).not.toHaveAttribute('data-done', '');

    await setCode(page, ex, code(id, 'solution/main.mjs'));
    await ex.getByRole('button', { name: 'Test' }).click();
    await expect(ex.locator('[data-verdict]')).toHaveAttribute('data-verdict', 'pass', { timeout: 20_000 });
    await expect(state).toHaveAttribute('data-done', '');

    await page.reload();
    const again = page.locator('tcplab-exercise').first();
    await again.scrollIntoViewIfNeeded();
    await expect(again).toHaveAttribute('data-ready', 'true');
    await expect(again.locator(`[data-checkpoint="${id}"]`)).toHaveAttribute('data-done', '');
    await expect(editorText(again)).toContainText(runner === 'sim' ? 'socket.end(process.env.REQUEST)' : "if (err.code === 'ECONNRESET') console.log('reset')");
  });

  test(`on ${runner}: Run prints the program's output and exit status in the terminal`, async ({ page }) => {
    const ex = await openExercise(page, '/exercises/four-way-close/', runner);
    await setCode(page, ex, "console.log('hello from ' + (process.version.includes('simulated') ? 'the simulation' : 'real node'));\nprocess.exitCode = 3;\n");
    await ex.getByRole('button', { name: 'Run' }).click();
    // The terminal sits below the fold at this size: Run brings it on screen, so the learner sees the output start.
    await expect(ex.locator('[data-term-host]')).toBeInViewport();
    const screen = ex.locator('[data-term-host] .xterm-rows');
    await expect(screen).toContainText(runner === 'sim' ? 'hello from the simulation' : 'hello from real node');
    await expect(screen).toContainText('[exited with status 3]');
  });
}

test('on sim: a program that never yields is stopped, and the page keeps working', async ({ page }) => {
  const ex = await openExercise(page, '/exercises/four-way-close/', 'sim');
  await setCode(page, ex, 'while (true) {}\n');
  await ex.getByRole('button', { name: 'Run' }).click();
  await expect(ex.locator('[data-term-host] .xterm-rows')).toContainText('endless loop', { timeout: 15_000 });
  await setCode(page, ex, "console.log('still alive');\n");
  await ex.getByRole('button', { name: 'Run' }).click();
  await expect(ex.locator('[data-term-host] .xterm-rows')).toContainText('still alive');
});

test('on local: the Shell button opens a real shell on this machine', async ({ page }) => {
  const ex = await openExercise(page, '/exercises/four-way-close/', 'local');
  await ex.getByRole('button', { name: 'Shell' }).click();
  await ex.locator('[data-term-host] .xterm').click();
  await page.keyboard.type('echo "kernel $(uname -s)"; ls');
  await page.keyboard.press('Enter');
  await expect(ex.locator('[data-term-host] .xterm-rows')).toContainText('kernel Linux');
  await expect(ex.locator('[data-term-host] .xterm-rows')).toContainText('main.mjs');
});

test('Reset asks first and keeps the work recoverable; Show solution never touches the learner’s code', async ({ page }) => {
  const ex = await openExercise(page, '/exercises/close-wait-leak/', 'sim');
  await setCode(page, ex, '// my own attempt\n');
  await ex.getByRole('button', { name: 'Reset…' }).click();
  const dialog = ex.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(editorText(ex)).toContainText('// my own attempt');

  await ex.getByRole('button', { name: 'Reset…' }).click();
  await ex.getByRole('dialog').getByRole('button', { name: 'Reset to the starter' }).click();
  await expect(editorText(ex)).toContainText('the CLOSE_WAIT pile-up');
  await ex.getByRole('button', { name: 'Bring back my previous code' }).click();
  await expect(editorText(ex)).toContainText('// my own attempt');

  await ex.getByRole('button', { name: 'Show solution' }).click();
  const solution = ex.locator('[data-solution]');
  await expect(solution).toBeVisible();
  await expect(solution.locator('.cm-content')).toContainText("socket.on('end', () => socket.end());");
  await expect(editorText(ex)).toContainText('// my own attempt');
  await ex.getByRole('button', { name: 'Hide solution' }).click();
  await expect(solution).toBeHidden();
});

test('the runner picker: WebContainer cannot boot here, says why, and the page falls back to another runner', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto('/exercises/four-way-close/');
  const ex = page.locator('tcplab-exercise').first();
  await expect(ex).toHaveAttribute('data-runners-ready', 'true');
  const note = ex.locator('[data-runner-note]');
  await ex.getByLabel('Run on').selectOption('webcontainer');
  await ex.getByRole('button', { name: 'Run' }).click();
  // Its servers are out of reach from this machine: the boot fails, the reason is printed, another runner takes over.
  await expect(ex.locator('[data-term-host] .xterm-rows')).toContainText('WebContainer could not boot', { timeout: 60_000 });
  await expect(ex.locator('[data-term-host] .xterm-rows')).toContainText('switched to');
  await expect(note).toContainText('WebContainer: WebContainer could not boot');
  await expect(ex.getByLabel('Run on').locator('option[value=webcontainer]')).toBeDisabled();
});

test('exercises index lists every exercise with its state, and the pages pass axe in light and dark', async ({ page }) => {
  await page.goto('/exercises/');
  await expect(page.getByRole('heading', { name: 'Node socket exercises' })).toBeVisible();
  await expect(page.locator('.list > li')).toHaveCount(6);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto('/exercises/four-way-close/');
    await expect(page.locator('tcplab-exercise')).toHaveAttribute('data-runners-ready', 'true');
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }
});

test('in a lesson, on local: lesson 3’s exercise passes with real processes killed by the grader, and the sidebar ticks it', async ({ page }) => {
  const ex = await openExercise(page, '/lessons/who-sends-fin/', 'local');
  await setCode(page, ex, code('process-exit-fin', 'solution/main.mjs'));
  await ex.getByRole('button', { name: 'Test' }).click();
  await expect(ex.locator('[data-verdict]')).toHaveAttribute('data-verdict', 'pass', { timeout: 20_000 });
  await expect(ex.locator('[data-results]')).toContainText('the first client is killed (kill -9)');
  await expect(page.locator('.lesson-sidebar li[data-checkpoint="process-exit-fin"]')).toHaveAttribute('data-done', '');
  // The same exercise on its own, wider page: the code followed, and so did the tick.
  await ex.getByRole('link', { name: 'Open this exercise on a page of its own' }).click();
  const own = page.locator('tcplab-exercise');
  await expect(own).toHaveAttribute('data-ready', 'true');
  await expect(own.locator('[data-editor] .cm-content')).toContainText("socket.on('close', () => {");
  await expect(own.locator('[data-checkpoint="process-exit-fin"]')).toHaveAttribute('data-done', '');
});

for (const runner of ['sim', 'local'] as const) {
  test(`the Node playground runs any program on ${runner}, with nothing graded`, async ({ page }) => {
    const ex = await openExercise(page, '/playground/', runner);
    await expect(ex.getByRole('button', { name: 'Test' })).toHaveCount(0);
    await expect(ex.getByRole('button', { name: 'Show solution' })).toHaveCount(0);
    await ex.getByRole('button', { name: 'Run' }).click();
    // The terminal sits below the fold at this size: Run brings it on screen, so the learner sees the output start.
    await expect(ex.locator('[data-term-host]')).toBeInViewport();
    const screen = ex.locator('[data-term-host] .xterm-rows');
    await expect(screen).toContainText('client: got "pong\\n"');
    await expect(screen).toContainText('[exited with status 0]');
    if (runner === 'sim') await expect(ex.locator('[data-ladder-count]')).toHaveText(/\d+ segments/);
  });
}
