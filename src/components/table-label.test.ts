import { expect, test } from 'vitest';
import { tableLabel } from './table-label.ts';

test('a table is named after its column headings, markup and entities removed', () => {
  expect(tableLabel('<thead><tr><th>state</th><th align="left"><code>ss</code> &amp; netstat</th></tr></thead><tbody><tr><td>x</td></tr></tbody>')).toBe('Table: state, ss & netstat');
  expect(tableLabel('<tbody><tr><td>x</td></tr></tbody>')).toBe('Table');
});
