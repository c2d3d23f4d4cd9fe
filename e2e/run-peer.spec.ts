import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';

const code = (id: string, part: string) => readFileSync(join(import.meta.dirname, '../content/exercises', id, part), 'utf8');

async function openOnSim(page: Page, id: string): Promise<Locator> {
  await page.goto(`/exercises/${id}/`);
  const ex = page.locator('tcplab-exercise').first();
  await expect(ex).toHaveAttribute('data-runners-ready', 'true');
  await ex.getByLabel('Run on').selectOption('sim');
  return ex;
}

async function setCode(page: Page, ex: Locator, text: string) {
  await ex.locator('[data-editor] .cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

test('Run of a client exercise starts a practice server first and says so; the reference solution exits 0', async ({ page }) => {
  const ex = await openOnSim(page, 'half-close-request');
  await setCode(page, ex, code('half-close-request', 'solution/main.mjs'));
  await ex.getByRole('button', { name: 'Run' }).click();
  const out = ex.getByRole('region', { name: 'Program output' });
  await expect(out).toContainText('[exited with status 0]', { timeout: 15_000 });
  await expect(out).toContainText('practice server listening on 127.0.0.1:8080');
  await expect(out).toContainText('and only after your FIN.');
  await expect(out).not.toContainText('ECONNREFUSED');
});

test('Run of a server exercise says where it listens and opens a second terminal on that machine, with PORT exported; Stop says it stopped the program', async ({ page }) => {
  const ex = await openOnSim(page, 'four-way-close');
  await setCode(page, ex, code('four-way-close', 'solution/main.mjs'));
  await ex.getByRole('button', { name: 'Run' }).click();
  const out = ex.getByRole('region', { name: 'Program output' });
  await expect(out).toContainText('listening on 127.0.0.1:8080', { timeout: 15_000 });
  const second = ex.locator('[data-term2]');
  await expect(second).toBeVisible();
  await expect(second.locator('.xterm-rows')).toContainText('learner@tcplab');
  await second.locator('.xterm').click();
  await page.keyboard.type('nc -N 127.0.0.1 $PORT\n');
  await page.waitForTimeout(300);
  await page.keyboard.type('hello\n');
  await page.keyboard.press('Control+D');
  await expect(second.locator('.xterm-rows')).toContainText('got 6 bytes', { timeout: 10_000 });
  await page.keyboard.type('ss -tan\n');
  await expect(second.locator('.xterm-rows')).toContainText('TIME-WAIT');
  await ex.getByRole('button', { name: 'Stop' }).click();
  await expect(out).toContainText('[stopped the program]');
  await expect(second.locator('.xterm-rows')).toContainText('your program ended');
  await expect(ex.getByRole('button', { name: 'Run' })).toBeEnabled();
});

test('WebContainer fails over within 3 s when StackBlitz cannot be reached, and the next page does not try it again', async ({ page }) => {
  await page.goto('/exercises/four-way-close/');
  const ex = page.locator('tcplab-exercise').first();
  await expect(ex).toHaveAttribute('data-runners-ready', 'true');
  const select = ex.getByLabel('Run on');
  await expect(select.locator('option[value=webcontainer]')).toBeEnabled();
  await select.selectOption('webcontainer');
  const started = Date.now();
  await ex.getByRole('button', { name: 'Run' }).click();
  const out = ex.getByRole('region', { name: 'Program output' });
  await expect(out).toContainText('[switched to', { timeout: 3_500 });
  expect(Date.now() - started).toBeLessThan(3_500);
  await expect(out).toContainText('StackBlitz');
  await expect(ex).not.toHaveAttribute('data-runner', 'webcontainer');
  // The next page does not start with the runner that failed, and says why it is not offered.
  await page.goto('/exercises/half-close-request/');
  const next = page.locator('tcplab-exercise').first();
  await expect(next).toHaveAttribute('data-runners-ready', 'true');
  await expect(next).not.toHaveAttribute('data-runner', 'webcontainer');
  await expect(next.locator('option[value=webcontainer]')).toBeDisabled();
  await expect(next.locator('[data-runner-note]')).toContainText('could not start earlier in this session');
});

test.describe('on the local runner (real Node, this machine)', () => {
  async function openOnLocal(page: Page, id: string): Promise<Locator> {
    await page.goto(`/?token=${process.env['TCPLAB_TOKEN']}`);
    await page.goto(`/exercises/${id}/`);
    const ex = page.locator('tcplab-exercise').first();
    await expect(ex).toHaveAttribute('data-runners-ready', 'true');
    await ex.getByLabel('Run on').selectOption('local');
    await expect(ex).toHaveAttribute('data-runner', 'local');
    return ex;
  }

  test('Run of a client exercise gets a practice server on a free port of this machine; the reference solution exits 0', async ({ page }) => {
    const ex = await openOnLocal(page, 'half-close-request');
    await setCode(page, ex, code('half-close-request', 'solution/main.mjs'));
    await ex.getByRole('button', { name: 'Run' }).click();
    const out = ex.getByRole('region', { name: 'Program output' });
    await expect(out).toContainText('[exited with status 0]', { timeout: 15_000 });
    await expect(out).toContainText(/practice server listening on 127\.0\.0\.1:\d+/);
    await expect(out).toContainText('and only after your FIN.');
    await expect(out).not.toContainText('ECONNREFUSED');
  });

  test('Run of a server exercise says where it listens and opens a real shell with PORT exported; Stop says it stopped the program', async ({ page }) => {
    const ex = await openOnLocal(page, 'four-way-close');
    await setCode(page, ex, code('four-way-close', 'solution/main.mjs'));
    await ex.getByRole('button', { name: 'Run' }).click();
    const out = ex.getByRole('region', { name: 'Program output' });
    await expect(out).toContainText(/listening on 127\.0\.0\.1:\d+/, { timeout: 15_000 });
    const second = ex.locator('[data-term2]');
    await expect(second).toBeVisible();
    await second.locator('.xterm').click();
    await page.keyboard.type('echo "port=$PORT"; printf hello | nc -N 127.0.0.1 $PORT\n');
    await expect(second.locator('.xterm-rows')).toContainText(/port=\d+/, { timeout: 10_000 });
    await expect(second.locator('.xterm-rows')).toContainText('got 5 bytes', { timeout: 10_000 });
    await ex.getByRole('button', { name: 'Stop' }).click();
    await expect(out).toContainText('[stopped the program]');
    await expect(out).not.toContainText('the connection to the local server closed');
    await expect(ex.getByRole('button', { name: 'Run' })).toBeEnabled();
  });
});
