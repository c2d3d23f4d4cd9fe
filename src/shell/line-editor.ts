/**
 * The shell's line editor, as bash's readline behaves in a terminal: a line longer than the terminal
 * wraps, and every redraw moves the cursor back to where the prompt starts (cursor up, carriage return)
 * instead of printing the line again on a new row. Emacs keys: Ctrl-A/E/B/F, Ctrl-K/U/W/Y, Ctrl-L,
 * Alt-B/F, Home/End, Delete, history with ↑/↓ (and Ctrl-P/N), Tab completion through a callback.
 *
 * Pure: it returns the bytes to write; the shell writes them. Columns are asked for at each redraw, so a
 * resized terminal redraws right (xterm reflows wrapped rows, so the offset from the prompt's start holds).
 *
 * Why not a library: xterm-readline (the one readline addon for xterm.js) has no completion, no Ctrl-W
 * or Ctrl-Y, drops keys typed while no read is pending (type-ahead), and needs a live xterm Terminal,
 * so it could not run in the shell's Node tests nor behind the terminal interface the runners share.
 */

/** What a key did, for the shell to act on. */
export type EditResult =
  | { kind: 'none' }
  | { kind: 'submit'; line: string }
  | { kind: 'interrupt' }
  /** Ctrl-D on an empty line. */
  | { kind: 'eof' }
  | { kind: 'clear-screen' };

/** Completion of the word before the cursor: the candidates that may replace it. */
export type Completer = (line: string, cursor: number) => { start: number; candidates: string[] };

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** Width on screen of a prompt (escape sequences take none). */
export function visibleWidth(text: string): number {
  return text.replace(ANSI, '').length;
}

/** The longest common prefix of some words. */
export function commonPrefix(words: readonly string[]): string {
  if (words.length === 0) return '';
  let p = words[0]!;
  for (const w of words) while (!w.startsWith(p)) p = p.slice(0, -1);
  return p;
}

/** Lays candidates out in columns, as readline lists them after a second Tab. */
export function columns(words: readonly string[], width: number): string {
  const w = Math.max(...words.map((x) => x.length)) + 2;
  const perRow = Math.max(1, Math.floor(width / w));
  const rows = Math.ceil(words.length / perRow);
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    let line = '';
    for (let c = 0; c < perRow; c++) {
      const word = words[c * rows + r];
      if (word !== undefined) line += word.padEnd(w);
    }
    out.push(line.trimEnd());
  }
  return out.join('\r\n') + '\r\n';
}

export class LineEditor {
  line = '';
  cursor = 0;
  private history: string[] = [];
  private historyAt = 0;
  /** The line being typed when the learner started walking the history. */
  private draft = '';
  private killed = '';
  private lastWasTab = false;
  /** Where the cursor is now, as an offset from the prompt's first cell. */
  private shown = 0;
  private prompt = '';
  private promptWidth = 0;
  private readonly cols: () => number;
  private readonly completer: Completer | null;

  constructor(cols: () => number, completer: Completer | null = null) {
    this.cols = cols;
    this.completer = completer;
  }

  /** The commands typed so far, oldest first. */
  get entries(): readonly string[] {
    return this.history;
  }

  /** Starts a new line after `prompt` (already on screen, written by the shell or the program). */
  begin(prompt: string): void {
    this.prompt = prompt;
    this.promptWidth = visibleWidth(prompt);
    this.line = '';
    this.cursor = 0;
    this.shown = this.promptWidth;
    this.historyAt = this.history.length;
    this.lastWasTab = false;
  }

  /** Prompt and line written again from where the cursor is now to the end, cursor put back (Ctrl-L after clearing). */
  fullRedraw(): string {
    this.shown = 0;
    return this.prompt + this.paint(0);
  }

  /** Erases the prompt and line from the screen (before printing a notice above them). */
  erase(): string {
    return `${this.moveTo(0)}\x1b[J`;
  }

  /** Writes prompt and line again after erase(). */
  restore(): string {
    return this.fullRedraw();
  }

  /** Adds a submitted line to the history (bash skips empty lines and repeats of the last one). */
  remember(text: string): void {
    if (text.trim() === '' || this.history[this.history.length - 1] === text) return;
    this.history.push(text);
  }

  /** One key (a character or an escape sequence). Returns what to write, and what happened. */
  key(k: string): { write: string; result: EditResult } {
    const wasTab = this.lastWasTab;
    this.lastWasTab = false;
    const none = (write: string) => ({ write, result: { kind: 'none' } as EditResult });
    switch (k) {
      case '\r':
      case '\n': {
        const line = this.line;
        const write = this.toEnd();
        this.remember(line);
        return { write, result: { kind: 'submit', line } };
      }
      case '\x03':
        return { write: `${this.moveTo(this.promptWidth + this.line.length)}^C\r\n`, result: { kind: 'interrupt' } };
      case '\x04':
        if (this.line === '') return { write: '', result: { kind: 'eof' } };
        return none(this.edit(this.line.slice(0, this.cursor) + this.line.slice(this.cursor + 1), this.cursor));
      case '\x0c':
        return { write: '', result: { kind: 'clear-screen' } };
      case '\x7f':
      case '\b':
        if (this.cursor === 0) return none('\x07');
        return none(this.edit(this.line.slice(0, this.cursor - 1) + this.line.slice(this.cursor), this.cursor - 1));
      case '\x1b[3~':
        if (this.cursor >= this.line.length) return none('');
        return none(this.edit(this.line.slice(0, this.cursor) + this.line.slice(this.cursor + 1), this.cursor));
      case '\x01':
      case '\x1b[H':
      case '\x1bOH':
      case '\x1b[1~':
        return none(this.place(0));
      case '\x05':
      case '\x1b[F':
      case '\x1bOF':
      case '\x1b[4~':
        return none(this.place(this.line.length));
      case '\x02':
      case '\x1b[D':
      case '\x1bOD':
        return none(this.place(Math.max(0, this.cursor - 1)));
      case '\x06':
      case '\x1b[C':
      case '\x1bOC':
        return none(this.place(Math.min(this.line.length, this.cursor + 1)));
      case '\x1bb':
      case '\x1b[1;5D':
        return none(this.place(this.wordStart(this.cursor)));
      case '\x1bf':
      case '\x1b[1;5C':
        return none(this.place(this.wordEnd(this.cursor)));
      case '\x0b':
        this.killed = this.line.slice(this.cursor);
        return none(this.edit(this.line.slice(0, this.cursor), this.cursor));
      case '\x15':
        this.killed = this.line.slice(0, this.cursor);
        return none(this.edit(this.line.slice(this.cursor), 0));
      case '\x17': {
        // unix-word-rubout: back over spaces, then over the word.
        let i = this.cursor;
        while (i > 0 && this.line[i - 1] === ' ') i--;
        while (i > 0 && this.line[i - 1] !== ' ') i--;
        this.killed = this.line.slice(i, this.cursor);
        return none(this.edit(this.line.slice(0, i) + this.line.slice(this.cursor), i));
      }
      case '\x19':
        return none(this.insert(this.killed));
      case '\x10':
      case '\x1b[A':
      case '\x1bOA':
        return none(this.walkHistory(-1));
      case '\x0e':
      case '\x1b[B':
      case '\x1bOB':
        return none(this.walkHistory(1));
      case '\t':
        return none(this.complete(wasTab));
      default:
        if (k.length === 1 && k >= ' ' && k !== '\x7f') return none(this.insert(k));
        // Printable text that arrived as one chunk (a paste without newlines) goes in whole.
        if (k.length > 1 && !k.includes('\x1b') && !/[\x00-\x1f]/.test(k)) return none(this.insert(k));
        return none('');
    }
  }

  /** The cursor to a new row after the line (the row below it is already one when the line fills its last row). */
  private toEnd(): string {
    const end = this.promptWidth + this.line.length;
    return this.moveTo(end) + (end > 0 && end % this.cols() === 0 ? '' : '\r\n');
  }

  private insert(text: string): string {
    if (text === '') return '';
    const atEnd = this.cursor === this.line.length;
    const line = this.line.slice(0, this.cursor) + text + this.line.slice(this.cursor);
    if (!atEnd) return this.edit(line, this.cursor + text.length);
    // Typing at the end of the line: print the text, nothing else moves.
    this.line = line;
    this.cursor = line.length;
    const end = this.promptWidth + line.length;
    this.shown = end;
    return text + this.wrapFix(end);
  }

  /** At the last column the terminal waits to wrap: move to the next row now, so the offset stays true. */
  private wrapFix(offset: number): string {
    return offset > 0 && offset % this.cols() === 0 ? '\r\n' : '';
  }

  /** Replaces the line, redraws from the first cell that changed, and puts the cursor at `cursor`. */
  private edit(line: string, cursor: number): string {
    let same = 0;
    while (same < line.length && same < this.line.length && line[same] === this.line[same]) same++;
    this.line = line;
    this.cursor = cursor;
    return this.moveTo(this.promptWidth + same) + this.paint(same);
  }

  /** Writes the line from index `from` (cursor is there), clears what was below, moves to the cursor. */
  private paint(from: number): string {
    const end = this.promptWidth + this.line.length;
    // Only text just written leaves the terminal waiting to wrap; nothing written, nothing to fix.
    const text = this.line.slice(from) + '\x1b[K' + (from < this.line.length ? this.wrapFix(end) : '') + '\x1b[J';
    this.shown = end;
    return text + this.moveTo(this.promptWidth + this.cursor);
  }

  private place(cursor: number): string {
    this.cursor = cursor;
    return this.moveTo(this.promptWidth + cursor);
  }

  /** Cursor movement from where it is to `offset` cells after the prompt's start. */
  private moveTo(offset: number): string {
    const cols = this.cols();
    const fromRow = Math.floor(this.shown / cols);
    const toRow = Math.floor(offset / cols);
    const fromCol = this.shown % cols;
    const toCol = offset % cols;
    this.shown = offset;
    let s = '';
    if (toRow < fromRow) s += `\x1b[${fromRow - toRow}A`;
    else if (toRow > fromRow) s += `\x1b[${toRow - fromRow}B`;
    if (toCol === fromCol) return s;
    if (toCol === 0) return `${s}\r`;
    return s + (toCol > fromCol ? `\x1b[${toCol - fromCol}C` : `\x1b[${fromCol - toCol}D`);
  }

  private walkHistory(dir: 1 | -1): string {
    const at = this.historyAt + dir;
    if (at < 0 || at > this.history.length) return '';
    if (this.historyAt === this.history.length) this.draft = this.line;
    this.historyAt = at;
    const line = at === this.history.length ? this.draft : this.history[at]!;
    return this.edit(line, line.length);
  }

  private wordStart(i: number): number {
    while (i > 0 && !/\w/.test(this.line[i - 1]!)) i--;
    while (i > 0 && /\w/.test(this.line[i - 1]!)) i--;
    return i;
  }

  private wordEnd(i: number): number {
    while (i < this.line.length && !/\w/.test(this.line[i]!)) i++;
    while (i < this.line.length && /\w/.test(this.line[i]!)) i++;
    return i;
  }

  /** Tab: complete as far as the candidates agree; a second Tab lists them (readline's default). */
  private complete(second: boolean): string {
    if (!this.completer) return '\x07';
    const { start, candidates } = this.completer(this.line, this.cursor);
    const word = this.line.slice(start, this.cursor);
    const matches = [...new Set(candidates.filter((c) => c.startsWith(word)))].sort();
    if (matches.length === 0) return '\x07';
    if (matches.length === 1) {
      const only = matches[0]!;
      // A finished word gets a space after it (a directory-like word ending in / does not).
      const after = this.line.slice(this.cursor);
      const tail = only.endsWith('/') || only.endsWith('=') || after.startsWith(' ') ? '' : ' ';
      return this.insert(only.slice(word.length) + tail);
    }
    const common = commonPrefix(matches);
    this.lastWasTab = true;
    if (common.length > word.length) return this.insert(common.slice(word.length));
    if (!second) return '\x07';
    // List them below, then the prompt and line again, as bash does.
    const below = this.moveTo(this.promptWidth + this.line.length);
    const list = `\r\n${columns(matches, this.cols())}`;
    return below + list + this.fullRedraw();
  }
}
