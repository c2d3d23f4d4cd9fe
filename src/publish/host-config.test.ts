import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { SECURITY_HEADERS } from '../server/security-headers.ts';
import { hostConfig, HOSTS } from './host-config.ts';

const docs = readFileSync(new URL('../../docs/publish.md', import.meta.url), 'utf8');

describe('host snippets (nginx, Apache, Caddy, Vercel)', () => {
  test('each sends every header npm start sends', () => {
    for (const host of HOSTS) {
      const text = hostConfig(host, '/tcp-lab/');
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
        expect(text, `${host}: ${name}`).toContain(name);
        expect(text, `${host}: ${name}`).toContain(value);
      }
    }
  });

  test('nginx repeats the headers in its nested location (add_header there replaces the outer ones)', () => {
    const nginx = hostConfig('nginx', '/tcp-lab/');
    expect(nginx.match(/add_header Cross-Origin-Embedder-Policy "require-corp" always;/g)).toHaveLength(2);
    expect(nginx).toContain('location /tcp-lab/_astro/ {');
  });

  test('vercel.json is JSON with the headers for every path', () => {
    const config = JSON.parse(hostConfig('vercel', '/')) as { outputDirectory: string; headers: Array<{ source: string; headers: Array<{ key: string; value: string }> }> };
    expect(config.outputDirectory).toBe('dist');
    expect(config.headers[0]!.source).toBe('/(.*)');
    expect(Object.fromEntries(config.headers[0]!.headers.map((h) => [h.key, h.value]))).toEqual(SECURITY_HEADERS);
  });

  test('docs/publish.md shows each snippet as the code makes it', () => {
    for (const host of HOSTS) expect(docs, host).toContain(hostConfig(host, '/tcp-lab/'));
  });
});
