import { describe, expect, test } from 'vitest';
import { expandStatus, parseLine, ShellSyntaxError, tokenize } from './parse.ts';

const argvs = (line: string) =>
  parseLine(line).entries.map((e) => (e.item.kind === 'pipeline' ? e.item.commands.map((c) => c.argv) : 'while'));

describe('shell parser', () => {
  test('words, quotes and escapes', () => {
    expect(tokenize(`echo 'a b' "c \\"d\\"" e\\ f`).map((t) => t.v)).toEqual(['echo', 'a b', 'c "d"', 'e f']);
  });

  test('$? expands to the last status, also inside double quotes but not single', () => {
    expect(tokenize(`echo $? "$?" '$?'`, 127).map((t) => t.v)).toEqual(['echo', '127', '127', '$?']);
    // Variables the shell exports (PORT while a server exercise runs), unset ones empty, none in single quotes.
    expect(tokenize(`nc 127.0.0.1 $PORT "\${PORT}x" '$PORT' $NOPE end`, 0, { PORT: '8080' }).map((t) => t.v)).toEqual(['nc', '127.0.0.1', '8080', '8080x', '$PORT', 'end']);
  });

  test('$? is kept for the moment the command runs', () => {
    const l = parseLine('false; echo $?');
    const echo = l.entries[1]!.item;
    expect(echo.kind === 'pipeline' && expandStatus(echo.commands[0]!.argv[1]!, 1)).toBe('1');
  });

  test('lists with ; && || and a background &', () => {
    const list = parseLine('nc -l 8080 & ss -tan; false || echo fallback && echo ok');
    expect(list.entries.map((e) => e.next)).toEqual(['&', ';', '||', '&&', null]);
    expect(argvs('nc -l 8080 & ss -tan')).toEqual([[['nc', '-l', '8080']], [['ss', '-tan']]]);
  });

  test('pipelines and a redirection', () => {
    expect(argvs('netstat -nt | grep 6666')).toEqual([[['netstat', '-nt'], ['grep', '6666']]]);
    const l = parseLine('echo 5 > /proc/sys/net/ipv4/tcp_fin_timeout');
    expect(l.entries[0]!.item.kind === 'pipeline' && l.entries[0]!.item.commands[0]!.redirect).toBe('/proc/sys/net/ipv4/tcp_fin_timeout');
  });

  test('the article retry loop: while true; do nc -p 2224 127.0.0.1 2223 -v; done', () => {
    const list = parseLine('while true; do nc -p 2224 127.0.0.1 2223 -v; done');
    const loop = list.entries[0]!.item;
    expect(loop.kind).toBe('while');
    if (loop.kind !== 'while') return;
    expect(loop.condition.entries[0]!.item).toMatchObject({ kind: 'pipeline', commands: [{ argv: ['true'] }] });
    expect(loop.body.entries[0]!.item).toMatchObject({ kind: 'pipeline', commands: [{ argv: ['nc', '-p', '2224', '127.0.0.1', '2223', '-v'] }] });
  });

  test('comments and empty lines', () => {
    expect(parseLine('   ').entries).toEqual([]);
    expect(argvs('ss -tan # all sockets')).toEqual([[['ss', '-tan']]]);
  });

  test.each([
    ['echo "unterminated', 'unexpected EOF while looking for matching `"\''],
    ["echo 'x", "unexpected EOF while looking for matching `''"],
    ['; ls', "syntax error near unexpected token `;'"],
    ['ls &&', "syntax error near unexpected token `newline'"],
    ['| grep x', "syntax error near unexpected token `|'"],
    ['while true; do ss', 'syntax error: unexpected end of file'],
    ['echo >', "syntax error near unexpected token `newline'"],
  ])('%j is a syntax error like bash: %s', (line, message) => {
    expect(() => parseLine(line)).toThrow(ShellSyntaxError);
    expect(() => parseLine(line)).toThrow(message);
  });
});
