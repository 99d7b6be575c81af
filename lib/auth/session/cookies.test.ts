import { describe, expect, it } from 'vitest';
import { TEST_ENV, httpsConfig, httpsScope } from '../../../test/auth-config';
import { assertAuthConfig } from '../config/env';
import { authCookieScope, expiredAuthCookie, parseSetCookie, serializeSetCookie } from './cookies';

describe('authCookieScope', () => {
  it('is Secure for an https redirect URI, with the configured domain and session lifetime', () => {
    expect(authCookieScope(assertAuthConfig({ ...TEST_ENV, WORKOS_COOKIE_DOMAIN: 'example.com', WORKOS_COOKIE_MAX_AGE: '3600' }))).toEqual({
      secure: true,
      domain: 'example.com',
      sameSite: 'lax',
      sessionMaxAgeSeconds: 3600,
    });
  });

  it('follows the origin the request is served on, not the configured one', () => {
    const config = assertAuthConfig({ ...TEST_ENV, NEXT_PUBLIC_WORKOS_REDIRECT_URI: 'http://localhost:3000/api/auth/callback' });
    expect(authCookieScope(config).secure).toBe(false);
    expect(authCookieScope(config, 'https://preview-acme.vercel.app').secure).toBe(true);
  });

  it('is Secure with SameSite=None whatever the origin (browsers require it)', () => {
    expect(authCookieScope({ ...httpsConfig, cookie: { ...httpsConfig.cookie, sameSite: 'none' } }, 'http://localhost:3000').secure).toBe(
      true,
    );
  });
});

describe('expiredAuthCookie: the one way auth cookies are deleted', () => {
  it.each([
    [
      'session',
      'wos-session',
      'wos-session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Domain=example.com; Secure; HttpOnly; SameSite=lax',
    ],
    [
      'verifier',
      'wos-auth-verifier-1a2b3c4d',
      'wos-auth-verifier-1a2b3c4d=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Domain=example.com; Secure; HttpOnly; SameSite=lax',
    ],
    [
      'app',
      'auth-sign-in-context',
      'auth-sign-in-context=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Domain=example.com; Secure; HttpOnly; SameSite=lax',
    ],
  ] as const)('%s: same Path, Domain, SameSite, Secure as when set, Expires in the past, no Max-Age', (kind, name, line) => {
    expect(serializeSetCookie(expiredAuthCookie(name, kind, httpsScope))).toBe(line);
  });

  it('keeps a Strict session cookie Strict, and never makes a verifier Strict (it must survive AuthKit’s redirect)', () => {
    const scope = { ...httpsScope, sameSite: 'strict' as const, domain: undefined };
    expect(serializeSetCookie(expiredAuthCookie('wos-session', 'session', scope))).toContain('SameSite=strict');
    expect(serializeSetCookie(expiredAuthCookie('wos-auth-verifier-1', 'verifier', scope))).toContain('SameSite=lax');
  });
});

describe('parseSetCookie', () => {
  it.each([
    ['wos-session=; Path=/', true],
    ['wos-session=sealed; Path=/; Max-Age=0', true],
    ['wos-session=sealed; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT', true],
    ['wos-session=sealed; Path=/; Max-Age=600', false],
    [`wos-session=sealed; Path=/; Expires=${new Date(Date.now() + 60_000).toUTCString()}`, false],
    ['wos-session=sealed; Path=/; Expires=not a date', false],
  ])('%s deletes: %s', (line, deletes) => {
    expect(parseSetCookie(line)).toEqual({
      name: 'wos-session',
      value: deletes && line.startsWith('wos-session=;') ? '' : 'sealed',
      deletes,
    });
  });
});
