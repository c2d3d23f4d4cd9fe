/**
 * The sandbox can open with a scene prepared: /sandbox/?scenario=16-self-connect replays
 * content/scenarios/16-self-connect.tcplab (served at /scenarios/<name>.tcplab) into the lab.
 * A bad or unknown name never breaks the lab: it opens empty and says why.
 */
import { withBase } from '../../site/base-path.ts';

export type SceneFromUrl =
  | { kind: 'none' }
  | { kind: 'scene'; name: string; source: string }
  | { kind: 'problem'; name: string; message: string };

const NAME = /^[a-z0-9][a-z0-9-]{0,79}$/;

export function scenarioUrl(name: string): string {
  return withBase(`/scenarios/${name}.tcplab`);
}

/** Reads ?scenario= from a query string and fetches that scenario's text. Never throws. */
export async function sceneFromUrl(search: string, fetchText: (url: string) => Promise<Response> = (u) => fetch(u)): Promise<SceneFromUrl> {
  const name = new URLSearchParams(search).get('scenario');
  if (name === null || name.trim() === '') return { kind: 'none' };
  if (!NAME.test(name)) return { kind: 'problem', name, message: `"${name.slice(0, 80)}" is not a scenario name (lowercase letters, digits and dashes, as in 16-self-connect)` };
  try {
    const res = await fetchText(scenarioUrl(name));
    if (res.status === 404) return { kind: 'problem', name, message: `there is no scenario named "${name}"` };
    if (!res.ok) return { kind: 'problem', name, message: `the scenario "${name}" could not be loaded (HTTP ${res.status})` };
    return { kind: 'scene', name, source: await res.text() };
  } catch (e) {
    return { kind: 'problem', name, message: `the scenario "${name}" could not be loaded (${e instanceof Error ? e.message : String(e)})` };
  }
}

/** The comment lines at the top of a scenario: what it shows, in its author's words. */
export function scenarioDescription(source: string): string {
  const lines: string[] = [];
  for (const raw of source.split('\n')) {
    const line = raw.trim();
    if (!line.startsWith('#')) break;
    lines.push(line.replace(/^#\s?/, ''));
  }
  return lines.join(' ').replace(/\s+/g, ' ').trim();
}

/**
 * For a lab that takes its scene from the page's address: fetches it into the lab's config (or the reason it
 * could not), and tells the page with a `tcplab:scene` event carrying the SceneFromUrl.
 */
export async function prepareSceneFromUrl(el: HTMLElement, config: { scenario?: { name: string; source: string }; sceneProblem?: string }): Promise<void> {
  const scene = await sceneFromUrl(location.search);
  if (scene.kind === 'scene') config.scenario = { name: scene.name, source: scene.source };
  if (scene.kind === 'problem') config.sceneProblem = scene.message;
  el.dispatchEvent(new CustomEvent('tcplab:scene', { detail: scene, bubbles: true }));
}
