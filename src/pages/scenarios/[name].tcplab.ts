/**
 * Every scenario of content/scenarios/ as a plain file: the sandbox fetches one when opened with
 * ?scenario=<name> (a "Run it" link of the interview track), and learners can download it for `tcplab sim`.
 */
import type { APIRoute, GetStaticPaths } from 'astro';

const files = import.meta.glob<string>('../../../content/scenarios/*.tcplab', { eager: true, query: '?raw', import: 'default' });

export const getStaticPaths = (() =>
  Object.entries(files).map(([path, source]) => ({
    params: { name: path.replace(/^.*\//, '').replace(/\.tcplab$/, '') },
    props: { source },
  }))) satisfies GetStaticPaths;

export const GET: APIRoute = ({ props }) => new Response((props as { source: string }).source, { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
