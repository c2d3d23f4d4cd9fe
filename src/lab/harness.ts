import { LabWorld } from './world.ts';
import { Shell } from '../shell/shell.ts';
import type { KernelOptions } from '../kernel/kernel.ts';

/**
 * A terminal without a screen and without a width (lines never wrap): a tiny VT100 subset (\r \n \b,
 * ESC[K, ESC[J, ESC[nA/B/C/D, ESC[2J) over plain text lines. Tests of wrapping use @xterm/headless.
 */
export class TextTerminal {
  private lines: string[] = [''];
  private row = 0;
  private col = 0;

  write(text: string): void {
    let i = 0;
    while (i < text.length) {
      const esc = /^\x1b\[([0-9;]*)([A-Za-z])/.exec(text.slice(i));
      if (esc) {
        const n = Number(esc[1] || 1);
        if (esc[2] === 'K') this.lines[this.row] = this.lines[this.row]!.slice(0, this.col);
        else if (esc[2] === 'D') this.col = Math.max(0, this.col - n);
        else if (esc[2] === 'C') this.col += n;
        else if (esc[2] === 'A') this.row = Math.max(0, this.row - n);
        else if (esc[2] === 'B') this.row = Math.min(this.lines.length - 1, this.row + n);
        else if (esc[2] === 'J' && esc[1] === '2') this.clear();
        else if (esc[2] === 'J') {
          this.lines[this.row] = this.lines[this.row]!.slice(0, this.col);
          this.lines.length = this.row + 1;
        }
        else if (esc[2] === 'H') {
          this.row = 0;
          this.col = 0;
        }
        i += esc[0].length;
        continue;
      }
      const ch = text[i]!;
      if (ch === '\r') this.col = 0;
      else if (ch === '\n') {
        this.row++;
        if (this.row >= this.lines.length) this.lines.push('');
      } else if (ch === '\b') this.col = Math.max(0, this.col - 1);
      else {
        const line = this.lines[this.row]!.padEnd(this.col, ' ');
        this.lines[this.row] = line.slice(0, this.col) + ch + line.slice(this.col + 1);
        this.col++;
      }
      i++;
    }
  }

  clear(): void {
    this.lines = [''];
    this.row = 0;
    this.col = 0;
  }

  /** The screen's text, line by line (trailing spaces trimmed). */
  text(): string {
    return this.lines.map((l) => l.trimEnd()).join('\n');
  }
}

/** A headless lab: a world and some shells, driven by typed lines and virtual time (for tests and exports). */
export class LabHarness {
  readonly world: LabWorld;
  readonly terminals: TextTerminal[] = [];
  readonly shells: Shell[] = [];

  constructor(terminals = 2, opts: KernelOptions = {}) {
    this.world = new LabWorld(opts);
    for (let i = 0; i < terminals; i++) {
      const t = new TextTerminal();
      this.terminals.push(t);
      this.shells.push(new Shell(this.world, t, { prompt: '$ ' }));
    }
  }

  /** Types text into terminal n (1-based), as keystrokes; "\r" is Enter. */
  type(n: number, keys: string): void {
    this.shells[n - 1]!.input(keys);
    this.world.notify();
  }

  /** Types a line and presses Enter. */
  enter(n: number, line: string): void {
    this.type(n, `${line}\r`);
  }

  /** Lets virtual time pass. */
  wait(us: number): void {
    this.world.advanceBy(us);
  }

  screen(n: number): string {
    return this.terminals[n - 1]!.text();
  }
}
