import { expect, test } from 'vitest';
import { describeFlags, parseLadder } from './ladder-script.ts';

test('reads segments, lost segments, states and notes', () => {
  expect(parseLadder('L>R S seq=0\nR: SYN_RECV\nR>L! S. seq=0 ack=1\n~ 40 ms later\n# c')).toEqual([
    { kind: 'segment', from: 'L', to: 'R', flags: 'S', label: 'seq=0', lost: false },
    { kind: 'state', side: 'R', state: 'SYN_RECV' },
    { kind: 'segment', from: 'R', to: 'L', flags: 'S.', label: 'seq=0 ack=1', lost: true },
    { kind: 'note', text: '40 ms later' },
  ]);
});

test('a line it cannot read is an error naming the line', () => {
  expect(() => parseLadder('L>R S\nL->R oops')).toThrow(/ladder line 2/);
});

test('flags read as words', () => {
  expect(describeFlags('F.')).toBe('FIN+ACK');
  expect(describeFlags('R')).toBe('RST');
  expect(describeFlags('FP.')).toBe('FIN+PSH+ACK');
});
