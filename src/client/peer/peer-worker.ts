/**
 * The "Be the peer" worker: parses and runs a script on a fresh simulated kernel, off the page's thread (a long
 * script never freezes the page, and the page's bundle does not carry the interpreter twice).
 */
import { PktSyntaxError, pktText, runPkt } from '../../packetdrill/index.ts';
import type { PeerRunReply, PeerRunRequest } from './peer-run.ts';

const post = (reply: PeerRunReply) => (self as unknown as { postMessage(m: unknown): void }).postMessage(reply);

self.addEventListener('message', (e: MessageEvent<PeerRunRequest>) => {
  const { id, source, file } = e.data;
  try {
    const run = runPkt(source, file);
    const events = run.kernel.trace.events;
    const labels: Record<number, string> = {};
    for (const ev of events) {
      if (ev.kind === 'segment' && ev.from !== null) labels[ev.from] = run.kernel.label(ev.from);
      if (ev.kind === 'state') labels[ev.sock] = run.kernel.label(ev.sock);
    }
    post({ id, kind: 'run', view: { events, labels, observation: run.observation, verdict: run.verdict, lines: run.script.events.length, transcript: pktText(run) } });
  } catch (err) {
    if (err instanceof PktSyntaxError) post({ id, kind: 'syntax', line: err.line, detail: err.detail });
    else post({ id, kind: 'crash', message: err instanceof Error ? err.message : String(err) });
  }
});
