import { describe, expect, test } from 'vitest';
import { SECURITY_HEADERS } from '../server/security-headers.ts';
import { formatHeadersFile, headerRules, headersFor, IMMUTABLE_CACHE, parseHeadersFile } from './headers-file.ts';

describe('_headers (Netlify, Cloudflare Pages)', () => {
  test('every path under the base gets the headers npm start sends; bundles also a long cache', () => {
    const rules = parseHeadersFile(formatHeadersFile(headerRules('/tcp-lab/')));
    expect(headersFor(rules, '/tcp-lab/lessons/lifecycle/')).toEqual(SECURITY_HEADERS);
    expect(headersFor(rules, '/tcp-lab/')).toEqual(SECURITY_HEADERS);
    expect(headersFor(rules, '/tcp-lab/_astro/x.js')).toEqual({ ...SECURITY_HEADERS, 'Cache-Control': IMMUTABLE_CACHE });
    expect(headersFor(rules, '/elsewhere/')).toEqual({});
  });

  test('at the root the rules cover the whole host', () => {
    const rules = parseHeadersFile(formatHeadersFile(headerRules('/')));
    expect(rules.map((r) => r.path)).toEqual(['/*', '/_astro/*']);
    expect(headersFor(rules, '/')['Cross-Origin-Embedder-Policy']).toBe('require-corp');
  });

  test('reads the format as the hosts do: comments, blank lines, a header given twice joined by a comma', () => {
    const rules = parseHeadersFile('# c\n/a/*\n  X-A: 1\n\n/a/b\n  x-a: 2\n  X-B: y: z\n');
    expect(headersFor(rules, '/a/b')).toEqual({ 'X-A': '1, 2', 'X-B': 'y: z' });
    expect(headersFor(rules, '/a/c')).toEqual({ 'X-A': '1' });
    expect(() => parseHeadersFile('  X-A: 1\n')).toThrow(/line 1/);
    expect(() => parseHeadersFile('/a\n  no colon\n')).toThrow(/line 2/);
  });
});
