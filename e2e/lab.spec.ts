import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';

async function openLab(page: Page, path: string): Promise<Locator> {
  await page.goto(path);
  const lab = page.locator('tcplab-kernel-lab[data-ready]').first();
  await lab.scrollIntoViewIfNeeded();
  await expect(lab).toBeVisible();
  return lab;
}

/** Types a command into terminal n of the lab, as a person would: select the tab, click, type, Enter. */
async function run(page: Page, lab: Locator, n: number, command: string) {
  await lab.getByRole('tab', { name: `Terminal ${n}` }).click();
  const panel = lab.locator('.term-panel:not([hidden])');
  await panel.locator('.xterm').click();
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
}

function screen(lab: Locator): Locator {
  return lab.locator('.term-panel:not([hidden]) .xterm-rows');
}

test('self-connection (lesson 10): netstat shows it, Ctrl-C closes it in exactly two segments and ticks the goal, which survives a reload', async ({ page }) => {
  const lab = await openLab(page, '/lessons/self-connection/');
  const goal = lab.locator('[data-goal="self-connect-two-segment"]');
  await expect(goal).not.toHaveAttribute('data-done', '');
  await run(page, lab, 1, 'nc -p 6666 127.0.0.1 6666');
  await run(page, lab, 2, 'netstat -nt');
  await expect(screen(lab)).toContainText('127.0.0.1:6666          127.0.0.1:6666          ESTABLISHED');
  await lab.getByRole('tab', { name: 'Terminal 1' }).click();
  await lab.locator('.term-panel:not([hidden]) .xterm').click();
  await page.keyboard.press('Control+C');
  await lab.getByRole('tab', { name: /Segments/ }).click();
  const rows = lab.locator('[data-segments] tr');
  await expect(rows).toHaveCount(5);
  await expect(rows.nth(3)).toContainText('127.0.0.1:6666 → 127.0.0.1:6666');
  await expect(rows.nth(3).locator('td').nth(2)).toHaveText('F.');
  await expect(rows.nth(4).locator('td').nth(2)).toHaveText('.');
  await lab.getByRole('tab', { name: 'States' }).click();
  await expect(lab.locator('[data-sockets]')).toContainText('TIME_WAIT');
  await lab.getByRole('tab', { name: 'Ladder' }).click();
  await expect(lab.locator('[data-ladder] g.seg')).toHaveCount(5);
  await expect(goal).toHaveAttribute('data-done', '');
  await page.reload();
  await expect(page.locator('[data-goal="self-connect-two-segment"]')).toHaveAttribute('data-done', '');
  await expect(page.locator('.lesson-sidebar li[data-checkpoint="self-connect-two-segment"]')).toHaveAttribute('data-done', '');
});

test('the two nc retry loops of the article open a connection with no listener', async ({ page }) => {
  // The loops run for real seconds of lab time: room for a busy machine.
  test.setTimeout(60_000);
  const lab = await openLab(page, '/sandbox/');
  await run(page, lab, 1, 'while true; do nc -p 2224 127.0.0.1 2223 -v; done');
  await run(page, lab, 2, 'while true; do nc -p 2223 127.0.0.1 2224 -v; done');
  await expect(screen(lab)).toContainText('Connection to 127.0.0.1 2224 port [tcp/*] succeeded!', { timeout: 20_000 });
  await lab.getByRole('tab', { name: 'States' }).click();
  await expect(lab.locator('[data-sockets] tr').filter({ hasText: 'ESTABLISHED' })).toHaveCount(2);
});

test('a bad command prints an error and the terminal keeps working', async ({ page }) => {
  const lab = await openLab(page, '/sandbox/');
  await run(page, lab, 1, 'ncat -l 8080');
  await expect(screen(lab)).toContainText('bash: ncat: command not found');
  await run(page, lab, 1, 'echo $?');
  await expect(screen(lab)).toContainText('127');
  await run(page, lab, 1, 'ss -tan');
  // On a terminal, ss spreads its columns over the terminal's width, as iproute2 does.
  await expect(screen(lab)).toContainText(/State +Recv-Q +Send-Q +Local Address:Port +Peer Address:Port *Process/);
});

test('sysctl and cat of /proc/sys read and set the lab kernel (commands loaded on first use)', async ({ page }) => {
  const lab = await openLab(page, '/sandbox/');
  await run(page, lab, 1, 'sysctl net.ipv4.tcp_fin_timeout');
  await expect(screen(lab)).toContainText('net.ipv4.tcp_fin_timeout = 60');
  await run(page, lab, 1, 'sysctl -w net.ipv4.tcp_fin_timeout=5');
  await expect(screen(lab)).toContainText('net.ipv4.tcp_fin_timeout = 5');
  await run(page, lab, 1, 'cat /proc/sys/net/ipv4/tcp_fin_timeout /proc/sys/net/nope');
  await expect(screen(lab)).toContainText('cat: /proc/sys/net/nope: No such file or directory');
  // The row after the command holds the value alone.
  await expect(screen(lab).locator(':scope > div').filter({ hasText: /^\s*5\s*$/ })).toHaveCount(1);
});

test('the lab clock can pause, skip ahead and step to the next segment', async ({ page }) => {
  const lab = await openLab(page, '/sandbox/');
  await lab.getByRole('button', { name: 'Pause' }).click();
  const clock = lab.locator('[data-clock]');
  const before = Number.parseFloat((await clock.textContent()) ?? '0');
  await lab.getByRole('button', { name: '+10 s' }).click();
  await expect.poll(async () => Number.parseFloat((await clock.textContent()) ?? '0')).toBeGreaterThanOrEqual(before + 10);
  await run(page, lab, 1, 'nc -z 127.0.0.1 9');
  // Paused: nothing happens until we step.
  await lab.getByRole('tab', { name: /Segments/ }).click();
  await expect(lab.locator('[data-segments] tr')).toHaveCount(0);
  await lab.getByRole('button', { name: 'Next segment' }).click();
  await expect(lab.locator('[data-segments] tr')).toHaveCount(1);
  await lab.getByRole('button', { name: 'Next segment' }).click();
  await expect(lab.locator('[data-segments] tr')).toHaveCount(2);
  await expect(lab.locator('[data-segments] tr').nth(1).locator('td').nth(2)).toHaveText('R.');
});

test('a lesson lab goal ticks live and the tick survives a reload', async ({ page }) => {
  const lab = await openLab(page, '/lessons/lifecycle/');
  const goal = lab.locator('[data-goal="lifecycle-open-close"]');
  await expect(goal).not.toHaveAttribute('data-done', '');
  await run(page, lab, 1, 'nc -l 8080');
  await run(page, lab, 2, 'nc 127.0.0.1 8080');
  await page.keyboard.type('hello');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+C');
  await expect(goal).toHaveAttribute('data-done', '');
  await expect(page.locator('.checkpoints li[data-checkpoint="lifecycle-open-close"]')).toHaveAttribute('data-done', '');
  await page.reload();
  await expect(page.locator('.checkpoints li[data-checkpoint="lifecycle-open-close"]')).toHaveAttribute('data-done', '');
  await expect(page.locator('[data-goal="lifecycle-open-close"]')).toHaveAttribute('data-done', '');
});

test('the ladder diagram draws one arrow per segment, readable by keyboard', async ({ page }) => {
  const lab = await openLab(page, '/sandbox/');
  await run(page, lab, 1, 'nc -z 127.0.0.1 9');
  const arrows = lab.locator('[data-ladder] g.seg');
  await expect(arrows).toHaveCount(2);
  await expect(arrows.first()).toHaveAttribute('aria-label', /127\.0\.0\.1:\d+ → 127\.0\.0\.1:9 {2}\[S\], seq 0/);
  await expect(lab.locator('[data-ladder-note]')).toHaveText('2 segments.');
});

test('axe finds no serious or critical violation in a running lab, light and dark', async ({ page }) => {
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    const lab = await openLab(page, '/sandbox/');
    await run(page, lab, 1, 'nc -z 127.0.0.1 9');
    await expect(lab.locator('[data-ladder] g.seg')).toHaveCount(2);
    const results = await new AxeBuilder({ page }).include('tcplab-kernel-lab').analyze();
    const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
  }
});
