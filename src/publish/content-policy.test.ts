import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { documentPolicy } from '../server/security-headers.ts';
import { addPolicyMeta, metaPolicy } from './content-policy.ts';

const sha = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;
const theme = "document.documentElement.dataset.theme = 'dark';";
const page = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>t</title><script>${theme}</script><script type="module" src="/_astro/a.js"></script><script type="application/json">{"a":1}</script></head><body></body></html>`;

describe('the page carries npm start’s script policy', () => {
  test('the same policy as the server’s header, less what a <meta> cannot carry', () => {
    expect(metaPolicy(page)).toBe(`script-src 'self' ${sha(theme)}; object-src 'none'; base-uri 'self'`);
    expect(documentPolicy(page)).toBe(`${metaPolicy(page)}; frame-ancestors 'none'`);
  });

  test('the tag goes right after <meta charset>, before any script it governs; the page is otherwise untouched', () => {
    const out = addPolicyMeta(page);
    const tag = `<meta http-equiv="Content-Security-Policy" content="script-src 'self' ${sha(theme)}; object-src 'none'; base-uri 'self'">`;
    expect(out).toBe(page.replace('<meta charset="utf-8">', `<meta charset="utf-8">${tag}`));
    // The npm start server still computes the same policy from the page with its tag.
    expect(documentPolicy(out)).toBe(documentPolicy(page));
  });

  test('a page that has a policy tag already, or no head in its source, is left alone', () => {
    const once = addPolicyMeta(page);
    expect(addPolicyMeta(once)).toBe(once);
    expect(addPolicyMeta('just text')).toBe('just text');
  });

  test('without <meta charset> the tag opens the head', () => {
    expect(addPolicyMeta('<html><head><title>t</title></head></html>')).toMatch(/^<html><head><meta http-equiv="Content-Security-Policy" content="script-src 'self'; object-src 'none'; base-uri 'self'"><title>/);
  });
});
