/**
 * Highlighting for packetdrill scripts (a CodeMirror stream parser): comments, times, the direction of a
 * packet, flags, option and field keywords, system calls, errno names and backtick commands.
 */
import type { StreamParser } from '@codemirror/language';

interface State {
  inComment: boolean;
  /** Where on the line we are: before the time, after it, inside a packet, inside a call. */
  at: 'start' | 'action' | 'packet' | 'call';
}

const PACKET_WORDS = new Set(['ack', 'win', 'mss', 'sackOK', 'sack', 'TS', 'val', 'ecr', 'nop', 'eol', 'wscale']);

export const pktLanguage: StreamParser<State> = {
  name: 'packetdrill',
  startState: () => ({ inComment: false, at: 'start' }),
  copyState: (s) => ({ ...s }),
  token(stream, state) {
    if (stream.sol()) state.at = 'start';
    if (state.inComment) {
      if (stream.skipTo('*/')) {
        stream.next();
        stream.next();
        state.inComment = false;
      } else stream.skipToEnd();
      return 'comment';
    }
    if (stream.eatSpace()) return null;
    if (stream.match('//')) {
      stream.skipToEnd();
      return 'comment';
    }
    if (stream.match('/*')) {
      state.inComment = true;
      return 'comment';
    }
    if (stream.match(/^`[^`]*`?/)) return 'string';
    if (stream.match(/^"(?:\\.|[^"\\])*"?/)) return 'string';
    if (state.at === 'start') {
      if (stream.match(/^--[a-z_]+=\S*/)) return 'meta';
      if (stream.match(/^(\*|\+?(\d+\.?\d*|\.\d+))(~\+?(\d+\.?\d*|\.\d+)|\.\.\.(\d+\.?\d*|\.\d+))?/)) {
        state.at = 'action';
        return 'number';
      }
    }
    if (state.at === 'action') {
      if (stream.match(/^[<>]/)) {
        state.at = 'packet';
        return 'operator';
      }
      if (stream.match(/^[a-z_]+(?=\()/)) {
        state.at = 'call';
        return 'def';
      }
    }
    if (state.at === 'packet') {
      if (stream.match(/^(?:[SFRP]+\.?|\.|-)(?=\s)/)) return 'atom';
      if (stream.match(/^\d+:\d+\(\d+\)/)) return 'number';
    }
    if (stream.match(/^-?(0x[0-9a-fA-F]+|\d+)/)) return 'number';
    if (stream.match('...')) return 'meta';
    const word = stream.match(/^[A-Za-z_][A-Za-z0-9_]*/) as RegExpMatchArray | null;
    if (word) {
      const w = word[0];
      if (state.at === 'packet' && PACKET_WORDS.has(w)) return 'keyword';
      if (/^E[A-Z]+$/.test(w)) return 'builtin';
      if (/^[A-Z][A-Z0-9_]+$/.test(w)) return 'variable-2';
      return 'variable';
    }
    stream.next();
    return null;
  },
};
