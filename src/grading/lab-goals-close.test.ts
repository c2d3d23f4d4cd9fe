/** The goal kinds of the later lessons, on traces that meet them and on near misses that must not. */
import { describe, expect, test } from 'vitest';
import { runScenarioSource } from '../kernel/scenario/index.ts';
import { goalMet } from './lab-goals.ts';

const trace = (src: string) => runScenarioSource(src.replace(/^[ \t]+/gm, ''), 'goal.tcplab').kernel.trace.events;
const CONNECTED = `
  srv: l = socket
  srv: bind l 127.0.0.1:8080
  srv: listen l
  cli: s = socket
  cli: connect s 127.0.0.1:8080
  srv: a = accept l
`;

describe('simultaneous-close', () => {
  test('met by two closes at the same instant', () => {
    expect(goalMet({ kind: 'simultaneous-close' }, trace(`${CONNECTED}\ncli: close s &\nsrv: close a &\nsleep 10ms`))).toBe(true);
  });
  test('not by closes one after the other, nor by a self-connection (one socket through CLOSING)', () => {
    expect(goalMet({ kind: 'simultaneous-close' }, trace(`${CONNECTED}\ncli: close s\nsleep 10ms\nsrv: close a\nsleep 10ms`))).toBe(false);
    expect(goalMet({ kind: 'simultaneous-close' }, trace(`cli: s = socket\ncli: bind s 127.0.0.1:6666\ncli: connect s 127.0.0.1:6666\ncli: close s\nsleep 10ms`))).toBe(false);
  });
});

describe('data-after-fin', () => {
  test('met when the half-closed side still receives data, then the peer closes', () => {
    expect(goalMet({ kind: 'data-after-fin' }, trace(`${CONNECTED}\ncli: shutdown s SHUT_WR\nsrv: recv a 10\nsrv: send a "late"\nsrv: close a\nsleep 10ms`))).toBe(true);
  });
  test('not when that data is answered with a RST (the closer called close(), not shutdown())', () => {
    expect(goalMet({ kind: 'data-after-fin' }, trace(`${CONNECTED}\ncli: close s\nsrv: recv a 10\nsrv: send a "late"\nsrv: close a\nsleep 10ms`))).toBe(false);
  });
  test('not when no data follows the first FIN', () => {
    expect(goalMet({ kind: 'data-after-fin' }, trace(`${CONNECTED}\ncli: send s "x"\ncli: shutdown s SHUT_WR\nsrv: recv a 10\nsrv: close a\nsleep 10ms`))).toBe(false);
  });
});

describe('transition with a count', () => {
  const twoLeaks = `${CONNECTED}\ncli: t = socket\ncli: connect t 127.0.0.1:8080\nsrv: b = accept l\ncli: close s\ncli: close t\nsleep 50ms`;
  const goal = (count: number) => ({ kind: 'transition' as const, from: ['CLOSE_WAIT' as const], to: ['LAST_ACK' as const], reason: 'process exit', count });
  test('counts distinct sockets', () => {
    const events = trace(`${twoLeaks}\nkill srv\nsleep 10ms`);
    expect(goalMet(goal(2), events)).toBe(true);
    expect(goalMet(goal(3), events)).toBe(false);
  });
  test('a close() by the program is not a process exit', () => {
    expect(goalMet(goal(1), trace(`${twoLeaks}\nsrv: close a\nsrv: close b\nsleep 10ms`))).toBe(false);
  });
});
