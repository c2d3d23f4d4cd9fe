import { describe, expect, test } from 'vitest';
import { SECURITY_HEADERS } from '../server/security-headers.ts';
import { handles, isolate, ISOLATION_HEADERS } from './isolation-headers.ts';

describe('the service worker adds what npm start sends', () => {
  test('its headers are the same as the server’s', () => {
    for (const [name, value] of Object.entries(ISOLATION_HEADERS)) expect(SECURITY_HEADERS[name as keyof typeof SECURITY_HEADERS]).toBe(value);
    for (const name of ['Cross-Origin-Opener-Policy', 'Cross-Origin-Embedder-Policy', 'Cross-Origin-Resource-Policy']) expect(ISOLATION_HEADERS[name]).toBeDefined();
  });

  test('a page from a host without headers comes back isolated, with its status, type and body', async () => {
    const res = isolate(new Response('<!doctype html><p>hi', { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Last-Modified': 'x' } }));
    expect(res.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
    expect(res.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
    expect(res.headers.get('Cross-Origin-Resource-Policy')).toBe('same-origin');
    expect(res.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('Last-Modified')).toBe('x');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('<!doctype html><p>hi');
  });

  test('a 404 stays a 404, and a body-less 304 stays body-less', async () => {
    const missing = isolate(new Response('not found', { status: 404, statusText: 'Not Found' }));
    expect(missing.status).toBe(404);
    expect(missing.statusText).toBe('Not Found');
    expect(missing.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
    const notModified = isolate(new Response(null, { status: 304 }));
    expect(notModified.status).toBe(304);
    expect(notModified.body).toBeNull();
  });

  test('a host’s own headers win: an isolated response is passed through untouched, a host CSP is kept', () => {
    const already = new Response('x', { headers: { 'Cross-Origin-Embedder-Policy': 'credentialless' } });
    expect(isolate(already)).toBe(already);
    const withPolicy = isolate(new Response('x', { headers: { 'Content-Security-Policy': "default-src 'self'" } }));
    expect(withPolicy.headers.get('Content-Security-Policy')).toBe("default-src 'self'");
  });

  test('a network error is passed through', () => {
    const error = Response.error();
    expect(isolate(error)).toBe(error);
  });

  test('only requests of this site, within the scope, are handled', () => {
    const scope = 'https://me.github.io/tcp-lab/';
    expect(handles('https://me.github.io/tcp-lab/', scope)).toBe(true);
    expect(handles('https://me.github.io/tcp-lab/_astro/x.js', scope)).toBe(true);
    expect(handles('https://me.github.io/other-project/', scope)).toBe(false);
    expect(handles('https://stackblitz.com/headless', scope)).toBe(false);
    expect(handles('not a url', scope)).toBe(false);
  });
});
