import { expect, test } from 'vitest';
import { inlineMarkup } from './inline-markup.ts';

test('escapes HTML and marks code spans', () => {
  expect(inlineMarkup('a <b> & `close()`')).toBe('a &lt;b&gt; &amp; <code>close()</code>');
});
