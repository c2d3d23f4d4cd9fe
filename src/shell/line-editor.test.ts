/**
 * The lab shell's line editing, checked on a real terminal emulator (@xterm/headless, the engine of the
 * page's xterm.js) so that wrapping, cursor movement and clearing are judged on the screen a learner sees.
 */
import { describe, expect, test } from 'vitest';
import xtermHeadless from '@xterm/headless';
import { LabWorld } from '../lab/world.ts';
import { Shell } from './shell.ts';
import { columns, commonPrefix, LineEditor, visibleWidth } from './line-editor.ts';

const { Terminal } = xtermHeadless;

class Screen {
  readonly term: InstanceType<typeof Terminal>;
  readonly world: LabWorld;
  readonly shell: Shell;
  private pending: Promise<void> = Promise.resolve();

  constructor(cols: number, rows = 24) {
    this.term = new Terminal({ cols, rows, allowProposedApi: true, scrollback: 500 });
    this.world = new LabWorld({ seed: 3 });
    this.shell = new Shell(this.world, {
      write: (t) => {
        this.pending = this.pending.then(() => new Promise<void>((r) => this.term.write(t, r)));
      },
      clear: () => {
        this.pending = this.pending.then(() => new Promise<void>((r) => this.term.write('\x1b[H\x1b[2J\x1b[3J', r)));
      },
      columns: () => this.term.cols,
    }, { prompt: '\x1b[1;32m$\x1b[0m ' });
  }

  /** Keys as xterm's onData delivers them (one call per key, or one for a paste). */
  keys(...chunks: string[]): void {
    for (const c of chunks) {
      this.shell.input(c);
      this.world.notify();
    }
  }

  type(text: string): void {
    for (const ch of text) this.keys(ch);
  }

  wait(us: number): void {
    this.world.advanceBy(us);
  }

  /** The screen's rows (trailing spaces trimmed, trailing empty rows dropped). */
  async rows(): Promise<string[]> {
    await this.pending;
    const b = this.term.buffer.active;
    const out: string[] = [];
    for (let i = 0; i < b.length; i++) out.push(b.getLine(i)!.translateToString(true).trimEnd());
    while (out.length > 0 && out[out.length - 1] === '') out.pop();
    return out;
  }

  async cursor(): Promise<{ x: number; y: number }> {
    await this.pending;
    const b = this.term.buffer.active;
    return { x: b.cursorX, y: b.baseY + b.cursorY };
  }
}

/** How a line of `len` characters after the 2-cell prompt lies on a screen `cols` wide. */
function wrapped(line: string, cols: number): string[] {
  const all = `$ ${line}`;
  const rows: string[] = [];
  for (let i = 0; i < all.length; i += cols) rows.push(all.slice(i, i + cols).trimEnd());
  return rows;
}

const LONG = 'nc -z 127.0.0.1 8080; nc -z 127.0.0.1 8081; nc -z 127.0.0.1 8082';

describe('a line longer than the terminal', () => {
  test('wraps once and stays one copy while typing, moving, deleting and inserting (readline redraw)', async () => {
    const s = new Screen(30);
    s.type(LONG);
    expect(await s.rows()).toEqual(wrapped(LONG, 30));
    // Back over the last word, across a row boundary, then edit there.
    for (let i = 0; i < 25; i++) s.keys('\x1b[D');
    s.keys('\x7f', '\x7f', '\x7f');
    s.type('XYZ');
    const edited = LONG.slice(0, LONG.length - 28) + 'XYZ' + LONG.slice(LONG.length - 25);
    expect(await s.rows()).toEqual(wrapped(edited, 30));
    const at = 2 + LONG.length - 25;
    expect(await s.cursor()).toEqual({ x: at % 30, y: Math.floor(at / 30) });
    // Home and End cross rows too.
    s.keys('\x01');
    expect(await s.cursor()).toEqual({ x: 2, y: 0 });
    s.keys('\x05');
    const end = 2 + edited.length;
    expect(await s.cursor()).toEqual({ x: end % 30, y: Math.floor(end / 30) });
  });

  test('Backspace back over a row boundary leaves no stale characters', async () => {
    const s = new Screen(20);
    s.type('echo 123456789012345678901234');
    for (let i = 0; i < 14; i++) s.keys('\x7f');
    expect(await s.rows()).toEqual(['$ echo 1234567890']);
    expect(await s.cursor()).toEqual({ x: 17, y: 0 });
    s.type('abc');
    expect(await s.rows()).toEqual(['$ echo 1234567890abc']);
    expect(await s.cursor()).toEqual({ x: 0, y: 1 });
  });

  test('a line that exactly fills a row puts the cursor on the next row, and Enter adds no empty row', async () => {
    const s = new Screen(20);
    s.type('echo 6789012345678');
    expect(await s.cursor()).toEqual({ x: 0, y: 1 });
    s.keys('\r');
    expect(await s.rows()).toEqual(['$ echo 6789012345678', '6789012345678', '$']);
  });

  test('a background job notice prints above the line being typed, which is drawn again whole', async () => {
    const s = new Screen(20);
    s.type('sleep 1 &');
    s.keys('\r');
    s.type('echo abcdefghijklmnopqrstuvwxyz');
    s.wait(1_100_000);
    const rows = await s.rows();
    expect(rows.slice(-4)).toEqual(['[1]+  Done', '          sleep 1', ...wrapped('echo abcdefghijklmnopqrstuvwxyz', 20)]);
    expect(rows.filter((r) => r.startsWith('$ echo abc'))).toHaveLength(1);
  });
});

describe('type-ahead', () => {
  test('keys typed while a command starts and runs are not lost: ss -tan⏎netstat -nt⏎ runs both', async () => {
    const s = new Screen(100);
    s.type('ss -tan\r');
    // The command has not even started (exec takes about a millisecond of lab time): keep typing.
    s.type('n');
    s.wait(5000);
    s.type('etstat -nt\r');
    s.wait(5000);
    const rows = await s.rows();
    // As on a real tty, the type-ahead is echoed where the cursor is, then read again after the prompt.
    expect(rows.some((r) => /State +Recv-Q +Send-Q/.test(r))).toBe(true);
    expect(rows).toContain('$ netstat -nt');
    expect(rows.some((r) => r.startsWith('Active Internet connections'))).toBe(true);
    expect(rows.join('\n')).not.toContain('command not found');
    expect(s.shell.busy).toBe(false);
  });

  test('a paste of several lines runs each line in turn', async () => {
    const s = new Screen(60);
    s.keys('echo one\recho two\rsleep 1\recho three\r');
    s.wait(1_200_000);
    const rows = (await s.rows()).filter((r) => !r.startsWith('$'));
    expect(rows.filter((r) => /^(one|two|three)$/.test(r))).toEqual(['one', 'two', 'three']);
  });
});

describe('keys', () => {
  test('Ctrl-U, Ctrl-K, Ctrl-W and Ctrl-Y kill and yank as readline does', async () => {
    const s = new Screen(80);
    s.type('echo alpha beta gamma');
    s.keys('\x17');
    expect((await s.rows()).at(-1)).toBe('$ echo alpha beta');
    s.keys('\x01', '\x1bf', '\x0b');
    expect((await s.rows()).at(-1)).toBe('$ echo');
    s.keys('\x19');
    expect((await s.rows()).at(-1)).toBe('$ echo alpha beta');
    s.keys('\x15');
    expect((await s.rows()).at(-1)).toBe('$');
    s.keys('\x19', '\r');
    expect((await s.rows()).at(-1)).toBe('$');
    expect((await s.rows()).at(-2)).toBe('alpha beta');
  });

  test('↑ and ↓ walk the history and come back to the line being typed', async () => {
    const s = new Screen(80);
    s.type('echo first\r');
    s.type('echo second\r');
    s.type('echo draft');
    s.keys('\x1b[A');
    expect((await s.rows()).at(-1)).toBe('$ echo second');
    s.keys('\x1b[A', '\x1b[A');
    expect((await s.rows()).at(-1)).toBe('$ echo first');
    s.keys('\x1b[B', '\x1b[B');
    expect((await s.rows()).at(-1)).toBe('$ echo draft');
  });

  test('Ctrl-L clears the screen and draws the prompt and line at the top', async () => {
    const s = new Screen(80);
    s.type('echo one\r');
    s.type('echo two');
    s.keys('\x0c');
    expect(await s.rows()).toEqual(['$ echo two']);
  });

  test('Ctrl-D on an empty line does not close the lab shell; on a line it deletes the character under the cursor', async () => {
    const s = new Screen(80);
    s.keys('\x04');
    expect((await s.rows()).slice(-2)).toEqual(['Use "logout" to leave the shell.', '$']);
    s.type('echo ab');
    s.keys('\x1b[D', '\x04');
    expect((await s.rows()).at(-1)).toBe('$ echo a');
  });
});

describe('Tab completion', () => {
  test('completes a command name and adds a space', async () => {
    const s = new Screen(80);
    s.type('nets');
    s.keys('\t');
    expect((await s.rows()).at(-1)).toBe('$ netstat');
    s.type('-nt');
    s.keys('\r');
    s.wait(5000);
    expect((await s.rows()).some((r) => r.startsWith('Active Internet connections'))).toBe(true);
  });

  test("completes ss's state names after state, and a second Tab lists the choices", async () => {
    const s = new Screen(80);
    s.type('ss -tan state close-');
    s.keys('\t');
    expect((await s.rows()).at(-1)).toBe('$ ss -tan state close-wait');
    s.keys('\x15');
    s.type('ss state clo');
    s.keys('\t', '\t');
    const rows = await s.rows();
    expect(rows.at(-1)).toBe('$ ss state clos');
    expect(rows.at(-2)!.split(/\s+/)).toEqual(['close-wait', 'closed', 'closing']);
  });

  test('completes sysctl keys and /proc/sys paths', async () => {
    const s = new Screen(100);
    s.type('sysctl net.ipv4.tcp_fin_t');
    s.keys('\t');
    expect((await s.rows()).at(-1)).toBe('$ sysctl net.ipv4.tcp_fin_timeout');
    s.keys('\x15');
    s.type('cat /proc/sys/net/ipv4/tcp_fin_t');
    s.keys('\t', '\r');
    s.wait(5000);
    expect((await s.rows()).at(-2)).toBe('60');
  });

  test('inside sock, Tab completes its calls and the names of its sockets', async () => {
    const s = new Screen(80);
    s.type('sock\r');
    s.wait(5000);
    s.type('listener = socket\r');
    s.type('bi');
    s.keys('\t');
    s.type('lis');
    s.keys('\t');
    expect((await s.rows()).at(-1)).toBe('sock> bind listener');
    s.type('127.0.0.1:8080\r');
    expect((await s.rows()).slice(-2)).toEqual(['0', 'sock>']);
  });
});

describe('helpers', () => {
  test('visibleWidth ignores colour codes; commonPrefix; columns fill down then across', () => {
    expect(visibleWidth('\x1b[1;32mlearner@tcplab\x1b[0m:\x1b[1;34m~\x1b[0m$ ')).toBe('learner@tcplab:~$ '.length);
    expect(commonPrefix(['close-wait', 'closed', 'closing'])).toBe('clos');
    expect(columns(['a', 'b', 'c', 'd', 'e'], 9)).toBe('a  c  e\r\nb  d\r\n');
  });

  test('an editor without a completer rings the bell on Tab and changes nothing', () => {
    const e = new LineEditor(() => 80);
    e.begin('$ ');
    e.key('x');
    expect(e.key('\t')).toEqual({ write: '\x07', result: { kind: 'none' } });
    expect(e.line).toBe('x');
  });
});
