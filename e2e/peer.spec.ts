import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';

test.describe.configure({ timeout: 90_000 });

/** A passive close as the learner would write it: 12 lines, the kernel sends a SYN-ACK, an ACK and its FIN. */
const SCRIPT = `// My first script: the peer opens, closes first, and we close after it.
0     socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
+0    bind(3, ..., ...) = 0
+0    listen(3, 1) = 0
+0    < S 0:0(0) win 65535 <mss 1460,nop,wscale 7>
+0    > S. 0:0(0) ack 1 <mss 1460,nop,wscale 7>
+.1   < . 1:1(0) ack 1 win 512
+0    accept(3, ..., ...) = 4
+.1   < F. 1:1(0) ack 1 win 512
+0~+.005 > . 1:1(0) ack 2
+.1   close(4) = 0
+0    > F. 1:1(0) ack 2
+.1   < . 2:2(0) ack 2 win 512
`;

async function openPeerTab(page: Page): Promise<Locator> {
  await page.goto('/sandbox/');
  const lab = page.locator('tcplab-kernel-lab[data-ready]');
  await expect(lab).toBeVisible();
  await lab.getByRole('tab', { name: 'Be the peer' }).click();
  const peer = lab.locator('tcplab-peer-lab[data-ready]');
  await expect(peer).toBeVisible();
  return peer;
}

async function setScript(page: Page, peer: Locator, text: string): Promise<void> {
  await peer.getByRole('textbox', { name: /packetdrill script/ }).click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
}

test('sandbox, Be the peer: write a script, run it, see the ladder; break a line and see the failure on that line', async ({ page }) => {
  const peer = await openPeerTab(page);
  await setScript(page, peer, SCRIPT);
  await peer.getByRole('button', { name: 'Run' }).click();
  const result = peer.locator('[data-peer-result]');
  await expect(result).toHaveAttribute('data-outcome', 'pass');
  await expect(result).toContainText('All 12 lines held');
  const arrows = peer.locator('[data-peer-ladder] g.seg');
  // You send SYN, ACK, FIN, ACK; the kernel SYN-ACK, ACK, FIN.
  await expect(arrows).toHaveCount(7);
  await expect(arrows.nth(1)).toHaveAttribute('aria-label', /^line 6: .* \[S\.\]/);
  await expect(peer.locator('[data-peer-ladder-wrap]')).toContainText('the kernel on the left, you on the right');

  // Break line 12: the script now says the kernel resets instead of sending its FIN.
  await setScript(page, peer, SCRIPT.replace('+0    > F. 1:1(0) ack 2', '+0    > R. 1:1(0) ack 2'));
  await peer.getByRole('button', { name: 'Run' }).click();
  await expect(result).toHaveAttribute('data-outcome', 'fail');
  await expect(result.locator('[data-peer-verdict]')).toHaveText('✗ Line 12 did not hold: error handling packet: bad outbound TCP flags: script R. vs actual F.');
  await expect(result.locator('[data-peer-diff]')).toHaveText('script: 0.303000 R. 1:1(0) ack 2\nactual: 0.303000 F. 1:1(0) ack 2 win 502');
  await expect(peer.locator('.cm-line[data-failed-line="12"]')).toBeVisible();
  await expect(peer.locator('.cm-line[data-failed-line="12"]')).toContainText('> R. 1:1(0) ack 2');
  await expect(peer.locator('[data-peer-ladder] g.seg.bad')).toHaveCount(1);
  await expect(peer.locator('[data-peer-ladder] g.seg.bad')).toHaveAttribute('aria-label', /not what line 12 expects/);
  await expect(peer.getByRole('status')).toHaveText('Line 12 did not hold.');
});

test('Be the peer: a script that cannot be read names its line; edits survive a reload; Reset brings the original back', async ({ page }) => {
  let peer = await openPeerTab(page);
  await setScript(page, peer, '0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 frobnicate(3) = 0\n');
  await peer.getByRole('textbox', { name: /packetdrill script/ }).press('Control+Enter');
  await expect(peer.locator('[data-peer-verdict]')).toHaveText(/^✗ Line 2 did not hold: the script cannot be read: unknown call 'frobnicate'/);
  await expect(peer.locator('.cm-line[data-failed-line="2"]')).toBeVisible();
  await expect(peer.locator('[data-peer-ladder-wrap]')).toBeHidden();

  await page.reload();
  peer = await openPeerTab(page);
  await expect(peer.getByRole('status')).toHaveText(/Your edited script is back/);
  await expect(peer.locator('.cm-content')).toContainText('frobnicate(3)');
  await peer.getByRole('button', { name: 'Reset' }).click();
  await expect(peer.locator('.cm-content')).toContainText('Active close: our program closes first.');
  await peer.getByLabel('Example').selectOption('13-rst-into-time-wait');
  await expect(peer.locator('.cm-content')).toContainText('TIME-WAIT assassination');
  await peer.getByRole('button', { name: 'Run' }).click();
  await expect(peer.locator('[data-peer-result]')).toHaveAttribute('data-outcome', 'pass');
});

test('a lesson shows the script as text and loads the editor only when the learner opens it', async ({ page }) => {
  const loaded: string[] = [];
  page.on('request', (r) => {
    if (/peer-lab\.|peer-worker/.test(r.url())) loaded.push(r.url());
  });
  await page.goto('/lessons/time-wait/');
  const block = page.locator('tcplab-peer-lab', { hasText: 'A reset into TIME_WAIT' });
  await block.scrollIntoViewIfNeeded();
  await expect(block.getByRole('region', { name: /13-rst-into-time-wait\.pkt/ }).or(block.locator('[data-peer-source]'))).toContainText('< R. 2:2(0) ack 2 win 0');
  await page.waitForLoadState('networkidle');
  expect(loaded).toEqual([]);
  await block.getByRole('button', { name: 'Edit and run this script' }).click();
  await expect(block).toHaveAttribute('data-ready', '');
  await expect(block.locator('[data-peer-source]')).toBeHidden();
  await block.getByRole('button', { name: 'Run' }).click();
  await expect(block.locator('[data-peer-result]')).toHaveAttribute('data-outcome', 'pass');
  expect(loaded.length).toBeGreaterThan(0);
});

for (const theme of ['light', 'dark'] as const) {
  test(`Be the peer passes axe (WCAG 2.1 AA) after a failing run, ${theme}`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: theme });
    const peer = await openPeerTab(page);
    await setScript(page, peer, SCRIPT.replace('+0    > F. 1:1(0) ack 2', '+0    > R. 1:1(0) ack 2'));
    await peer.getByRole('button', { name: 'Run' }).click();
    await expect(peer.locator('[data-peer-result]')).toHaveAttribute('data-outcome', 'fail');
    const results = await new AxeBuilder({ page }).include('tcplab-peer-lab').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
  });
}
