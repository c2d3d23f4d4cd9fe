import { readScriptArgs } from './script-args.ts';

export const PKT_USAGE = 'usage: tcplab pkt FILE [--json] [--seed N]';

/**
 * `tcplab pkt FILE [--json]`: runs a packetdrill script against the simulated kernel. Exit 0 when every line
 * held, 1 when one did not (FILE:LINE, then the script's packet or result and the actual one, as packetdrill
 * prints them: after the transcript, or on stderr with --json), 2 for a script that cannot be read or parsed.
 */
export async function pktCommand(args: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const parsed = readScriptArgs('pkt', PKT_USAGE, args, err);
  if (!parsed) return 2;
  const { file, source, json, seed } = parsed;
  // Loaded here, not at the top: `tcplab --help` and the other commands do not pay for the interpreter.
  const { PktSyntaxError, pktJson, pktText, failureText, runPkt } = await import('../packetdrill/index.ts');
  try {
    const run = runPkt(source, file, { seed });
    if (json) out(JSON.stringify(pktJson(run), null, 2) + '\n');
    else out(pktText(run));
    if (!run.verdict.ok && json) err(failureText(file, run.verdict));
    return run.verdict.ok ? 0 : 1;
  } catch (e) {
    if (e instanceof PktSyntaxError) {
      if (json) out(JSON.stringify({ ok: false, error: { line: e.line, message: e.detail, script: null, actual: null }, lines: [], packets: [] }, null, 2) + '\n');
      err(e.message);
      return 2;
    }
    throw e;
  }
}
