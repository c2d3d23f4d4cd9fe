/**
 * The scenario library: every script runs, its output matches its golden files byte for byte, and where
 * real Linux was recorded (shared/ground-truth) the segments agree with the capture.
 * Regenerate goldens after a deliberate change: UPDATE_GOLDEN=1 npm run test:unit -- scenario-library
 */
import { describe, expect, test } from 'vitest';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runScenarioSource, scenarioJson, scenarioText } from '../scenario/index.ts';
import { clientServer, compact } from './helpers.ts';

const dir = join(import.meta.dirname, '../../../content/scenarios');
const goldenDir = join(dir, 'golden');
const files = readdirSync(dir).filter((f) => f.endsWith('.tcplab')).sort();
const update = process.env['UPDATE_GOLDEN'] === '1';

describe('scenario library', () => {
  test('has a script for every curriculum case', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  for (const file of files) {
    test(`${file} holds every expectation and matches its golden output`, () => {
      const path = `content/scenarios/${file}`;
      const run = runScenarioSource(readFileSync(join(dir, file), 'utf8'), path);
      expect(run.error).toBeNull();
      expect(run.expects.filter((e) => !e.ok)).toEqual([]);
      const text = scenarioText(run, path);
      const json = JSON.stringify(scenarioJson(run), null, 2) + '\n';
      const base = join(goldenDir, file.replace(/\.tcplab$/, ''));
      if (update || !existsSync(`${base}.txt`)) {
        mkdirSync(goldenDir, { recursive: true });
        writeFileSync(`${base}.txt`, text);
        writeFileSync(`${base}.json`, json);
      }
      expect(text).toBe(readFileSync(`${base}.txt`, 'utf8'));
      expect(json).toBe(readFileSync(`${base}.json`, 'utf8'));
    });
  }

  test('the same script gives the same trace, byte for byte', () => {
    const src = readFileSync(join(dir, '01-lifecycle.tcplab'), 'utf8');
    const a = JSON.stringify(scenarioJson(runScenarioSource(src, 'a', { seed: 42 })));
    const b = JSON.stringify(scenarioJson(runScenarioSource(src, 'a', { seed: 42 })));
    expect(a).toBe(b);
  });
});

/** Ground-truth captures (the COMPACT line of shared/ground-truth/sNN/VARIANT/segments.txt) and the scenario that redoes each. */
const GROUND_TRUTH: Array<{ scenario: string; capture: string; who?: (ep: string) => string }> = [
  { scenario: '01-lifecycle', capture: 's01_four_way_close/a_classic' },
  { scenario: '03-close-then-peer-writes-rst', capture: 's01_four_way_close/b_server_sends_after_client_close' },
  { scenario: '14-three-way-close', capture: 's02_three_way_close/a_close_immediately_on_EOF' },
  { scenario: '15-four-way-after-delayed-ack', capture: 's02_three_way_close/c_close_60ms_after_EOF' },
  { scenario: '07-close-unread-rst', capture: 's03_close_unread_rst/a_unread_data_close' },
  { scenario: '08-unsent-data-flushed-before-fin', capture: 's04_close_with_unsent_data/a_send_then_close' },
  { scenario: '09-shut-rd-sends-nothing', capture: 's05_shutdown/a_shut_rd' },
  { scenario: '10-shut-rdwr-then-peer-sends', capture: 's05_shutdown/c_shut_rdwr_then_peer_sends' },
  { scenario: '04-kill-sends-fin', capture: 's06_process_kill/a_kill9_no_unread' },
  { scenario: '05-kill-with-unread-rst', capture: 's06_process_kill/b_kill9_with_unread' },
  { scenario: '12-fin-timeout-orphan', capture: 's07_fin_wait2_timeout/a_close_orphan_fin_wait2' },
  { scenario: '13-fin-wait-2-forever', capture: 's07_fin_wait2_timeout/b_shutdown_wr_fin_wait2_forever' },
  { scenario: '16-self-connect', capture: 's08_self_connect/a_python_close', who: () => 'A' },
  { scenario: '20-linger-zero-rst', capture: 's11_linger0_rst/a_linger0_close_established' },
];

// The COMPACT lines of those captures, copied from shared/ground-truth so the test runs in any checkout.
const captures = (JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures/linux-captures.json'), 'utf8')) as { captures: Record<string, string> }).captures;

describe('agreement with real Linux captures', () => {
  for (const { scenario, capture, who } of GROUND_TRUTH) {
    test(`${scenario} sends the segments Linux sent in ${capture}`, () => {
      const line = captures[capture];
      expect(line, `no capture ${capture} in fixtures/linux-captures.json`).toBeDefined();
      const linux = line!.replace(/ win=\d+/g, '').replace(/\(abs\)/g, '').trim();
      const run = runScenarioSource(readFileSync(join(dir, `${scenario}.tcplab`), 'utf8'), scenario);
      expect(compact(run, who ?? clientServer)).toBe(linux);
    });
  }
});
