/**
 * A small POSIX-shell subset, enough for a networking lab: words with '…' and "…" quoting and backslash
 * escapes, $? expansion, pipelines (|), redirection of output to a file (>), lists with ; && || and a
 * trailing & for background jobs, and `while true; do …; done` / `while CMD; do …; done` loops.
 */
export interface SimpleCommand {
  kind: 'command';
  argv: string[];
  /** `> file` */
  redirect: string | null;
}

export interface Pipeline {
  kind: 'pipeline';
  commands: SimpleCommand[];
}

export interface WhileLoop {
  kind: 'while';
  condition: List;
  body: List;
}

export type Item = Pipeline | WhileLoop;

export interface ListEntry {
  item: Item;
  /** How this entry joins the next one. */
  next: ';' | '&&' | '||' | '&' | null;
}

export interface List {
  kind: 'list';
  entries: ListEntry[];
}

export class ShellSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShellSyntaxError';
  }
}

type Token = { t: 'word'; v: string; quoted: boolean } | { t: 'op'; v: string };

/** Stands for `$?` in parsed words until the command runs (bash expands it then, not when parsing). */
export const STATUS_MARK = '\u0000?';

/** Replaces the `$?` marks of a word with the status of the last command. */
export function expandStatus(word: string, status: number): string {
  return word.split(STATUS_MARK).join(String(status));
}

/** Splits a line into words and operators; `$?` becomes STATUS_MARK. Throws on unbalanced quotes. */
export function tokenize(line: string, lastStatus: number | null = null, vars: Readonly<Record<string, string>> = {}): Token[] {
  const status = (): string => (lastStatus === null ? STATUS_MARK : String(lastStatus));
  /** `$NAME` or `${NAME}` at `at`: the variable's value (empty when unset) and where the reference ends. */
  const variable = (at: number): { value: string; end: number } | null => {
    const m = /^\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)\})/.exec(line.slice(at));
    return m ? { value: vars[m[1] ?? m[2]!] ?? '', end: at + m[0].length } : null;
  };
  const tokens: Token[] = [];
  let i = 0;
  let word = '';
  let inWord = false;
  let quoted = false;
  const flush = () => {
    if (inWord) tokens.push({ t: 'word', v: word, quoted });
    word = '';
    inWord = false;
    quoted = false;
  };
  while (i < line.length) {
    const c = line[i]!;
    if (c === ' ' || c === '\t') {
      flush();
      i++;
    } else if (c === '#' && !inWord) {
      break;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new ShellSyntaxError("unexpected EOF while looking for matching `''");
      word += line.slice(i + 1, end);
      inWord = true;
      quoted = true;
      i = end + 1;
    } else if (c === '"') {
      let j = i + 1;
      let text = '';
      while (j < line.length && line[j] !== '"') {
        if (line[j] === '\\' && j + 1 < line.length && '"\\$`'.includes(line[j + 1]!)) {
          text += line[j + 1];
          j += 2;
        } else if (line.startsWith('$?', j)) {
          text += status();
          j += 2;
        } else if (variable(j)) {
          const v = variable(j)!;
          text += v.value;
          j = v.end;
        } else {
          text += line[j];
          j++;
        }
      }
      if (j >= line.length) throw new ShellSyntaxError('unexpected EOF while looking for matching `"\'');
      word += text;
      inWord = true;
      quoted = true;
      i = j + 1;
    } else if (c === '\\') {
      if (i + 1 < line.length) word += line[i + 1];
      inWord = true;
      i += 2;
    } else if (line.startsWith('$?', i)) {
      word += status();
      inWord = true;
      i += 2;
    } else if (variable(i)) {
      // Unquoted and empty, a variable leaves no word behind (as in bash).
      const v = variable(i)!;
      word += v.value;
      inWord ||= v.value !== '';
      i = v.end;
    } else if (line.startsWith('&&', i) || line.startsWith('||', i)) {
      flush();
      tokens.push({ t: 'op', v: line.slice(i, i + 2) });
      i += 2;
    } else if (c === ';' || c === '&' || c === '|' || c === '>') {
      flush();
      tokens.push({ t: 'op', v: c });
      i++;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  flush();
  return tokens;
}

const RESERVED = new Set(['while', 'do', 'done']);

/** Parses a command line into a list. An empty line gives an empty list. `$?` stays marked (STATUS_MARK). */
export function parseLine(line: string, vars: Readonly<Record<string, string>> = {}): List {
  const tokens = tokenize(line, null, vars);
  let pos = 0;
  const peek = () => tokens[pos];
  const isWord = (v?: string) => {
    const t = peek();
    return t?.t === 'word' && (v === undefined || (t.v === v && !t.quoted));
  };
  const near = () => {
    const t = peek();
    return t ? t.v : 'newline';
  };

  const parseSimple = (): SimpleCommand => {
    const argv: string[] = [];
    let redirect: string | null = null;
    for (;;) {
      const t = peek();
      if (!t) break;
      if (t.t === 'op' && t.v === '>') {
        pos++;
        const target = peek();
        if (!target || target.t !== 'word') throw new ShellSyntaxError(`syntax error near unexpected token \`${near()}'`);
        redirect = target.v;
        pos++;
        continue;
      }
      if (t.t !== 'word') break;
      if (!t.quoted && RESERVED.has(t.v) && argv.length === 0) break;
      if (!t.quoted && (t.v === 'do' || t.v === 'done') && argv.length > 0) break;
      argv.push(t.v);
      pos++;
    }
    if (argv.length === 0) throw new ShellSyntaxError(`syntax error near unexpected token \`${near()}'`);
    return { kind: 'command', argv, redirect };
  };

  const parseItem = (): Item => {
    if (isWord('while')) {
      pos++;
      const condition = parseList(['do']);
      if (!isWord('do')) throw new ShellSyntaxError(`syntax error near unexpected token \`${near()}'`);
      pos++;
      const body = parseList(['done']);
      if (!isWord('done')) throw new ShellSyntaxError("syntax error: unexpected end of file");
      pos++;
      return { kind: 'while', condition, body };
    }
    const commands = [parseSimple()];
    while (peek()?.t === 'op' && peek()!.v === '|') {
      pos++;
      commands.push(parseSimple());
    }
    return { kind: 'pipeline', commands };
  };

  const parseList = (terminators: string[]): List => {
    const entries: ListEntry[] = [];
    for (;;) {
      const t = peek();
      if (!t) break;
      if (t.t === 'word' && !t.quoted && terminators.includes(t.v)) break;
      if (t.t === 'op') throw new ShellSyntaxError(`syntax error near unexpected token \`${t.v}'`);
      const item = parseItem();
      const op = peek();
      if (op?.t === 'op' && (op.v === ';' || op.v === '&&' || op.v === '||' || op.v === '&')) {
        pos++;
        entries.push({ item, next: op.v });
        if ((op.v === '&&' || op.v === '||') && (!peek() || (peek()!.t === 'word' && terminators.includes(peek()!.v)))) {
          throw new ShellSyntaxError(`syntax error near unexpected token \`${near()}'`);
        }
      } else {
        entries.push({ item, next: null });
        if (op && !(op.t === 'word' && terminators.includes(op.v))) throw new ShellSyntaxError(`syntax error near unexpected token \`${op.v}'`);
      }
    }
    if (terminators.length > 0 && entries.length === 0) throw new ShellSyntaxError(`syntax error near unexpected token \`${near()}'`);
    return { kind: 'list', entries };
  };

  const list = parseList([]);
  if (pos < tokens.length) throw new ShellSyntaxError(`syntax error near unexpected token \`${near()}'`);
  return list;
}

/** Text of a command back as the user would type it (for `jobs` and export). */
export function commandText(cmd: SimpleCommand): string {
  return cmd.argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(' ');
}
