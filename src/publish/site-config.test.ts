import { describe, expect, test } from 'vitest';
import { LOCAL_BUILD } from '../server/build-manifest.ts';
import { normaliseBase, siteConfigFromEnv } from './site-config.ts';

describe('SITE_BASE and SITE_URL', () => {
  test('nothing set: the build npm start serves', () => {
    expect(siteConfigFromEnv({})).toEqual(LOCAL_BUILD);
    expect(siteConfigFromEnv({ SITE_BASE: '', SITE_URL: '' })).toEqual(LOCAL_BUILD);
  });

  test('a base path in any usual spelling comes out with both slashes', () => {
    for (const raw of ['tcp-lab', '/tcp-lab', 'tcp-lab/', '/tcp-lab/', ' /tcp-lab/ ']) expect(normaliseBase(raw)).toBe('/tcp-lab/');
    expect(normaliseBase('/courses//net/tcp-lab')).toBe('/courses/net/tcp-lab/');
    expect(normaliseBase('/')).toBe('/');
    expect(normaliseBase('')).toBe('/');
    expect(normaliseBase('My.Repo_2~x')).toBe('/My.Repo_2~x/');
  });

  test('a bad base path fails naming the variable and the value', () => {
    expect(() => normaliseBase('https://example.org/x')).toThrow(/SITE_BASE must be a path .*"https:\/\/example.org\/x".*SITE_URL/);
    expect(() => normaliseBase('//cdn/x')).toThrow(/SITE_BASE/);
    expect(() => normaliseBase('/a/../b')).toThrow(/SITE_BASE .*"\.\." is not one/);
    expect(() => normaliseBase('/tcp lab/')).toThrow(/SITE_BASE/);
    expect(() => normaliseBase('/x?y')).toThrow(/SITE_BASE/);
    expect(() => normaliseBase('/x#y')).toThrow(/SITE_BASE/);
    expect(() => normaliseBase('/"><script>/')).toThrow(/SITE_BASE/);
  });

  test('SITE_URL gives the origin, and its path is the base unless SITE_BASE gives one', () => {
    expect(siteConfigFromEnv({ SITE_BASE: '/tcp-lab/', SITE_URL: 'https://example.org' })).toEqual({ version: 1, base: '/tcp-lab/', site: 'https://example.org' });
    expect(siteConfigFromEnv({ SITE_URL: 'https://me.github.io/tcp-lab' })).toEqual({ version: 1, base: '/tcp-lab/', site: 'https://me.github.io' });
    expect(siteConfigFromEnv({ SITE_URL: 'https://me.github.io/tcp-lab/', SITE_BASE: 'tcp-lab' })).toEqual({ version: 1, base: '/tcp-lab/', site: 'https://me.github.io' });
    expect(siteConfigFromEnv({ SITE_URL: 'https://example.org/' })).toEqual({ version: 1, base: '/', site: 'https://example.org' });
  });

  test('a bad SITE_URL fails naming it', () => {
    expect(() => siteConfigFromEnv({ SITE_URL: 'example.org' })).toThrow(/SITE_URL must be an absolute/);
    expect(() => siteConfigFromEnv({ SITE_URL: 'ftp://example.org' })).toThrow(/SITE_URL must be an http/);
    expect(() => siteConfigFromEnv({ SITE_URL: 'https://u:p@example.org' })).toThrow(/SITE_URL must be an origin/);
    expect(() => siteConfigFromEnv({ SITE_URL: 'https://example.org/?x=1' })).toThrow(/SITE_URL/);
    expect(() => siteConfigFromEnv({ SITE_URL: 'https://me.github.io/a/', SITE_BASE: '/b/' })).toThrow(/SITE_BASE \(\/b\/\) and the path of SITE_URL \(\/a\/\) disagree/);
  });
});
