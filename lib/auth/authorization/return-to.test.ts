import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETURN_TO, sanitizeReturnTo } from './return-to';

const APP_ORIGIN = 'https://app.example';
const CONTROL_OR_BACKSLASH = /[\u0000-\u001f\u007f-\u009f\\]/;

describe('sanitizeReturnTo', () => {
  it('judges the value after dot segments are removed as it judged the input: /./%2F becomes /%2F, which decodes to //', () => {
    // Found by the idempotence property below (seed -667587212): the value it returned was one it refuses itself.
    expect(sanitizeReturnTo('/./%2F')).toBe('/dashboard');
    expect(sanitizeReturnTo('/a/../%2F%2Fevil.example')).toBe('/dashboard');
  });

  it('falls back to the dashboard when no fallback is given', () => {
    expect(sanitizeReturnTo('https://evil.example/phish')).toBe('/dashboard');
    expect(sanitizeReturnTo(undefined)).toBe('/dashboard');
  });

  it.each([
    ['/dashboard', '/dashboard'],
    ['/dashboard/settings?tab=1#x', '/dashboard/settings?tab=1#x'],
    ['/', '/'],
    // Look-alikes of the auth prefixes are ordinary pages.
    ['/authors', '/authors'],
    ['/api/authx', '/api/authx'],
    // `//` after the path is part of the query or fragment, not an authority.
    ['/search?next=//evil.example', '/search?next=//evil.example'],
  ])('keeps the same-origin path %j', (input, expected) => {
    expect(sanitizeReturnTo(input)).toBe(expected);
  });

  it.each([
    ['/a/./b/../c', '/a/c'],
    ['/dashboard/../settings', '/settings'],
    ['/a/%2e%2e/b', '/b'],
    ['/..', '/'],
  ])('normalises dot segments in %j', (input, expected) => {
    expect(sanitizeReturnTo(input)).toBe(expected);
  });

  it('percent-encodes characters the URL parser would encode anyway', () => {
    expect(sanitizeReturnTo('/dash board?q=a b')).toBe('/dash%20board?q=a%20b');
    expect(sanitizeReturnTo('/café')).toBe('/caf%C3%A9');
  });

  describe('rejects hostile input and falls back to /dashboard', () => {
    it.each([
      // Other schemes and absolute URLs.
      ['javascript: URL', 'javascript:alert(1)'],
      ['data: URL', 'data:text/html,<script>alert(1)</script>'],
      ['absolute https URL', 'https://evil.example'],
      ['scheme-relative URL', '//evil.example'],
      ['slash-backslash', '/\\evil.example'],
      ['double backslash', '\\\\evil.example'],
      ['scheme with one slash', 'https:/evil.example'],
      ['relative path without leading slash', 'dashboard'],
      // Percent-encoded `//` and `\`, once and twice.
      ['encoded //', '%2F%2Fevil.example'],
      ['slash then encoded /', '/%2Fevil.example'],
      ['lower-case encoded /', '/%2fevil.example'],
      ['double-encoded //', '%252F%252Fevil.example'],
      ['slash then double-encoded //', '/%252F%252Fevil.example'],
      ['encoded backslash', '/%5Cevil.example'],
      // Header injection and other control characters, encoded and raw.
      ['encoded CRLF', '/foo%0d%0aSet-Cookie:x=1'],
      ['raw CRLF', '/foo\r\nSet-Cookie:x=1'],
      ['raw NUL', '/foo\u0000bar'],
      ['encoded NUL', '/foo%00bar'],
      ['raw tab', '/foo\tbar'],
      ['encoded tab before //', '/%09/evil.example'],
      ['DEL', '/foo\u007fbar'],
      // Malformed escapes.
      ['truncated UTF-8 escape', '/%E0%A4%A'],
      ['lone percent', '/100%'],
      // Loops back into the auth flow.
      ['sign-in page', '/auth/sign-in'],
      ['auth root', '/auth'],
      ['callback', '/api/auth/callback'],
      ['dot segments into sign-in', '/x/../auth/sign-in'],
      ['encoded dot segments into sign-in', '/x/%2e%2e/auth/sign-in'],
      ['single-dot segment into sign-in', '/./auth/sign-in'],
      ['encoded auth path', '/api/%61uth/callback'],
    ])('%s', (_label, input) => {
      expect(sanitizeReturnTo(input)).toBe('/dashboard');
    });

    it('a 10 kB value', () => {
      expect(sanitizeReturnTo(`/${'a'.repeat(10 * 1024)}`)).toBe('/dashboard');
    });

    it('a value longer than 2,048 characters (2,048 is the last length kept)', () => {
      const longest = `/${'a'.repeat(2047)}`;
      expect(longest).toHaveLength(2048);
      expect(sanitizeReturnTo(longest)).toBe(longest);
      expect(sanitizeReturnTo(`${longest}b`)).toBe('/dashboard');
    });

    it('a value whose fourth percent-decoding is //… (four decodings are checked; a fifth is not made)', () => {
      // '/%2525252Fevil.example' decodes to '/%25252Fevil.example', '/%252Fevil.example', '/%2Fevil.example', '//evil.example'.
      expect(sanitizeReturnTo('/%2525252Fevil.example')).toBe('/dashboard');
      // One level deeper, the fourth decoding is still a path on this site.
      expect(sanitizeReturnTo('/%252525252Fevil.example')).toBe('/%252525252Fevil.example');
    });

    it('the empty string', () => {
      expect(sanitizeReturnTo('')).toBe('/dashboard');
    });

    it.each([
      ['undefined', undefined],
      ['null', null],
      ['a number', 42],
      ['an array holding a safe path', ['/dashboard/settings']],
      ['an object', { toString: () => '/dashboard/settings' }],
    ])('%s', (_label, input) => {
      expect(sanitizeReturnTo(input)).toBe('/dashboard');
    });
  });

  it('uses a custom fallback for unsafe values only', () => {
    expect(sanitizeReturnTo('//evil.example', '/')).toBe('/');
    expect(sanitizeReturnTo(undefined, '/welcome')).toBe('/welcome');
    expect(sanitizeReturnTo('/dashboard/settings', '/welcome')).toBe('/dashboard/settings');
  });

  describe('properties', () => {
    // Fragments that matter to URL parsing, so generated strings hit the interesting cases often.
    const token = fc.constantFrom(
      '/',
      '//',
      '\\',
      '.',
      '..',
      ':',
      '@',
      '?',
      '#',
      '%',
      '%2F',
      '%2f',
      '%5C',
      '%25',
      '%252F',
      '%2e',
      '%0d%0a',
      '%00',
      '\r',
      '\n',
      '\t',
      '\u0000',
      '\u007f',
      '\u0085',
      'https:',
      'javascript:',
      'evil.example',
      'auth',
      'api',
      'sign-in',
      'é',
      ' ',
    );
    const urlish = fc.array(fc.oneof(token, fc.string({ maxLength: 3 })), { maxLength: 12 }).map((parts) => parts.join(''));
    const anyString = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 64 }),
      urlish,
      urlish.map((rest) => `/${rest}`),
    );

    it('returns the fallback or a single-slash path without backslashes or control characters', () => {
      fc.assert(
        fc.property(anyString, (input) => {
          const result = sanitizeReturnTo(input);
          if (result === DEFAULT_RETURN_TO) return;
          expect(result.startsWith('/')).toBe(true);
          expect(result.startsWith('//')).toBe(false);
          expect(result).not.toMatch(CONTROL_OR_BACKSLASH);
        }),
        { numRuns: 2000 },
      );
    });

    it('never leaves the app origin when resolved against it', () => {
      fc.assert(
        fc.property(anyString, (input) => {
          const resolved = new URL(sanitizeReturnTo(input), APP_ORIGIN);
          expect(resolved.origin).toBe(APP_ORIGIN);
          expect(resolved.pathname.startsWith('/auth/')).toBe(false);
          expect(resolved.pathname.startsWith('/api/auth/')).toBe(false);
        }),
        { numRuns: 2000 },
      );
    });

    it('is idempotent: a sanitised value passes through unchanged', () => {
      fc.assert(
        fc.property(anyString, (input) => {
          const once = sanitizeReturnTo(input);
          expect(sanitizeReturnTo(once)).toBe(once);
        }),
        { numRuns: 2000 },
      );
    });
  });
});
