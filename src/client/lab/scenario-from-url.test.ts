import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenario, checkScenario, runScenario } from '../../kernel/scenario/index.ts';
import { LabWorld } from '../../lab/world.ts';
import { scenarioDescription, sceneFromUrl } from './scenario-from-url.ts';

const SCENARIOS = join(import.meta.dirname, '../../../content/scenarios');
/** A fetch that serves content/scenarios/ as the built site does, and 404 for anything else. */
const serveScenarios = async (url: string): Promise<Response> => {
  const m = /^\/scenarios\/([a-z0-9-]+)\.tcplab$/.exec(url);
  try {
    if (m) return new Response(readFileSync(join(SCENARIOS, `${m[1]}.tcplab`), 'utf8'));
  } catch {
    /* not there */
  }
  return new Response('<!doctype html><title>Not found</title>', { status: 404 });
};

describe('the sandbox opened with ?scenario=', () => {
  test('no parameter: no scene', async () => {
    expect(await sceneFromUrl('', serveScenarios)).toEqual({ kind: 'none' });
    expect(await sceneFromUrl('?scenario=', serveScenarios)).toEqual({ kind: 'none' });
  });

  test('a known scenario is fetched, and replaying it into a lab world leaves the scene it describes', async () => {
    const scene = await sceneFromUrl('?scenario=16-self-connect', serveScenarios);
    expect(scene.kind).toBe('scene');
    if (scene.kind !== 'scene') return;
    const world = new LabWorld({ seed: 3 });
    const parsed = parseScenario(scene.source, scene.name);
    checkScenario(parsed);
    runScenario(parsed, { kernel: world.kernel });
    const segments = world.kernel.trace.events.flatMap((e) => (e.kind === 'segment' ? [`${e.src}>${e.dst} ${e.flags}`] : []));
    expect(segments.slice(-2)).toEqual(['127.0.0.1:6666>127.0.0.1:6666 F.', '127.0.0.1:6666>127.0.0.1:6666 .']);
    expect(world.kernel.sockets().map((s) => s.state)).toEqual(['TIME_WAIT']);
    expect(scenarioDescription(scene.source)).toMatch(/^Self-connection: a socket bound to 127\.0\.0\.1:6666/);
  });

  test('an unknown name says so instead of breaking the lab', async () => {
    expect(await sceneFromUrl('?scenario=99-no-such-scene', serveScenarios)).toEqual({ kind: 'problem', name: '99-no-such-scene', message: 'there is no scenario named "99-no-such-scene"' });
  });

  test('a name that could climb out of /scenarios/ or inject markup is refused before any fetch', async () => {
    let fetched = 0;
    const counting = async (u: string) => {
      fetched++;
      return serveScenarios(u);
    };
    for (const bad of ['../../etc/passwd', '16-self-connect.tcplab', '<img src=x>', 'A-Capital', 'x'.repeat(200)]) {
      const scene = await sceneFromUrl(`?scenario=${encodeURIComponent(bad)}`, counting);
      expect(scene.kind).toBe('problem');
    }
    expect(fetched).toBe(0);
  });

  test('a network failure is a problem to report, not an exception', async () => {
    const scene = await sceneFromUrl('?scenario=16-self-connect', async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(scene).toMatchObject({ kind: 'problem', message: expect.stringContaining('Failed to fetch') });
  });

  test('the description is the comment block at the top of the file, joined into one text', () => {
    expect(scenarioDescription('# one\n#  two\nsrv: l = socket\n# not this')).toBe('one two');
    expect(scenarioDescription('srv: l = socket')).toBe('');
  });
});
