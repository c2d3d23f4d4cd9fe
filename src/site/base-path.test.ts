import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { BASE, isRootRelative, isUnderBase, withBase } from './base-path.ts';

describe('withBase', () => {
  test('outside a build (Node, tests) the base is the root', () => {
    expect(BASE).toBe('/');
    expect(withBase('/lessons/lifecycle/')).toBe('/lessons/lifecycle/');
  });

  test('puts a root-relative path of the site under the base', () => {
    expect(withBase('/lessons/lifecycle/', '/tcp-lab/')).toBe('/tcp-lab/lessons/lifecycle/');
    expect(withBase('/', '/tcp-lab/')).toBe('/tcp-lab/');
    expect(withBase('/scenarios/16-self-connect.tcplab', '/a/b/')).toBe('/a/b/scenarios/16-self-connect.tcplab');
    expect(withBase('/interview/#q-linger', '/tcp-lab/')).toBe('/tcp-lab/interview/#q-linger');
    expect(withBase('/sandbox/?scenario=x', '/tcp-lab/')).toBe('/tcp-lab/sandbox/?scenario=x');
  });

  test('leaves relative, absolute, protocol-relative and fragment addresses alone', () => {
    for (const url of ['lessons/', './x', '../x', '#main', '?q=1', 'https://example.org/x', '//cdn.example/x', '/\\evil.example/', 'mailto:a@b', 'data:text/plain,x', ''])
      expect(withBase(url, '/tcp-lab/')).toBe(url);
  });

  test('leaves an address already under the base alone', () => {
    for (const url of ['/tcp-lab/', '/tcp-lab', '/tcp-lab/lessons/', '/tcp-lab?x', '/tcp-lab#top']) expect(withBase(url, '/tcp-lab/')).toBe(url);
    // A sibling whose name starts like the base is not under it.
    expect(withBase('/tcp-labs/', '/tcp-lab/')).toBe('/tcp-lab/tcp-labs/');
  });

  test('is idempotent and always lands under the base', () => {
    const segment = fc.stringMatching(/^[a-z0-9._~-]{1,8}$/).filter((s) => s !== '.' && s !== '..');
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 3 }), fc.array(segment, { maxLength: 4 }), fc.boolean(), (baseParts, pathParts, slash) => {
        const base = `/${baseParts.join('/')}/`;
        const path = `/${pathParts.join('/')}${slash && pathParts.length ? '/' : ''}`;
        const once = withBase(path, base);
        expect(withBase(once, base)).toBe(once);
        expect(isUnderBase(once, base)).toBe(true);
      }),
    );
  });

  test('isRootRelative', () => {
    expect(isRootRelative('/x')).toBe(true);
    expect(isRootRelative('//x')).toBe(false);
    expect(isRootRelative('/\\x')).toBe(false);
    expect(isRootRelative('x')).toBe(false);
  });
});
