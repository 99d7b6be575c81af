import { describe, expect, it, vi } from 'vitest';
import { EPOCH, TEST_ENV, httpsConfig, httpsScope } from '../../../test/auth-config';
import { assertAuthConfig } from '../config/env';
import {
  authCookieScope,
  expiredAuthCookie,
  otherCopiesExpired,
  parseSetCookie,
  serializeSetCookie,
  type AuthCookieScope,
} from './cookies';

describe('authCookieScope', () => {
  it('is Secure for an https redirect URI, with the configured domain and session lifetime', () => {
    expect(authCookieScope(assertAuthConfig({ ...TEST_ENV, WORKOS_COOKIE_DOMAIN: 'example.com', WORKOS_COOKIE_MAX_AGE: '3600' }))).toEqual({
      secure: true,
      domain: 'example.com',
      sameSite: 'lax',
      sessionMaxAgeSeconds: 3600,
      prefix: '',
      hostname: 'app.example.com',
    });
  });

  it('names cookies __Host- wherever browsers take it (Secure, no Domain): https without WORKOS_COOKIE_DOMAIN', () => {
    const config = assertAuthConfig({ ...TEST_ENV, APP_ALLOWED_ORIGINS: 'http://localhost:3000' });
    expect(authCookieScope(config).prefix).toBe('__Host-');
    expect(authCookieScope(config, 'https://preview-acme.vercel.app').prefix).toBe('__Host-');
    expect(authCookieScope(config, 'http://localhost:3000').prefix).toBe('');
    expect(authCookieScope(httpsConfig).prefix).toBe('');
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
      'app-sign-in-context',
      'app-sign-in-context=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Domain=example.com; Secure; HttpOnly; SameSite=lax',
    ],
  ] as const)('%s: same Path, Domain, SameSite, Secure as when set, Expires in the past, no Max-Age', (kind, name, line) => {
    expect(serializeSetCookie(expiredAuthCookie(name, kind, httpsScope))).toBe(line);
  });

  it('keeps a Strict session cookie Strict, and never makes a verifier Strict (it must survive AuthKit’s redirect)', () => {
    const scope = { ...httpsScope, sameSite: 'strict' as const, domain: undefined };
    expect(serializeSetCookie(expiredAuthCookie('wos-session', 'session', scope))).toContain('SameSite=strict');
    expect(serializeSetCookie(expiredAuthCookie('wos-auth-verifier-1', 'verifier', scope))).toContain('SameSite=lax');
    // SameSite=None stays None for every kind (only Strict is the session's alone).
    const none = { ...httpsScope, sameSite: 'none' as const, domain: undefined };
    expect(serializeSetCookie(expiredAuthCookie('wos-auth-verifier-1', 'verifier', none))).toContain('SameSite=none');
  });
});

describe('otherCopiesExpired: the copies of a cookie other hosts may have tossed in', () => {
  const scopeFor = (origin: string, domain?: string): AuthCookieScope =>
    authCookieScope(assertAuthConfig({ ...TEST_ENV, WORKOS_COOKIE_DOMAIN: domain }), origin);
  const domainsOf = (name: string, scope: AuthCookieScope, hostOnly = false) =>
    otherCopiesExpired(name, 'session', scope, hostOnly).map((cookie) => cookie.domain ?? 'host-only');

  it.each([
    ['https://app.example.com', ['app.example.com', 'example.com']],
    ['https://a.b.example.co.uk', ['a.b.example.co.uk', 'b.example.co.uk', 'example.co.uk']],
    // A private-section suffix: a sibling (other.vercel.app) cannot set Domain=vercel.app.
    ['https://preview-acme.vercel.app', ['preview-acme.vercel.app']],
    ['http://localhost:3000', []],
    ['https://127.0.0.1', []],
  ])('unprefixed on %s: each Domain from the host up to its registrable domain', (origin, domains) => {
    expect(domainsOf('wos-session', { ...scopeFor(origin), prefix: '' })).toEqual(domains);
  });

  it('beside a WORKOS_COOKIE_DOMAIN cookie: the other domains, and with hostOnly the host-only copy', () => {
    const scope = scopeFor('https://app.example.com', 'example.com');
    expect(domainsOf('wos-session', scope)).toEqual(['app.example.com']);
    expect(domainsOf('wos-session', scope, true)).toEqual(['host-only', 'app.example.com']);
    // Written with a leading dot (browsers ignore it): still our own domain.
    expect(domainsOf('wos-session', scopeFor('https://app.example.com', '.Example.com'))).toEqual(['app.example.com']);
  });

  it('expires each with our attributes, and has none for a __Host- cookie (browsers refuse it a Domain)', () => {
    const scope = scopeFor('https://app.example.com');
    expect(domainsOf('__Host-wos-session', scope, true)).toEqual([]);
    expect(otherCopiesExpired('wos-session', 'session', scope, false).map(serializeSetCookie)).toEqual([
      `wos-session=; Path=/; ${EPOCH}; Domain=app.example.com; Secure; HttpOnly; SameSite=lax`,
      `wos-session=; Path=/; ${EPOCH}; Domain=example.com; Secure; HttpOnly; SameSite=lax`,
    ]);
  });
});

describe('parseSetCookie', () => {
  it.each([
    ['wos-session=; Path=/', true],
    ['wos-session=sealed; Path=/; Max-Age=0', true],
    ['wos-session=sealed; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT', true],
    ['wos-session=sealed; Path=/; Max-Age=600', false],
    // A fixed date: the test's name holds it, and the mutation run keys its results by test name.
    ['wos-session=sealed; Path=/; Expires=Fri, 31 Dec 9999 23:59:59 GMT', false],
    ['wos-session=sealed; Path=/; Expires=not a date', false],
  ])('%s deletes: %s', (line, deletes) => {
    expect(parseSetCookie(line)).toEqual({
      name: 'wos-session',
      value: deletes && line.startsWith('wos-session=;') ? '' : 'sealed',
      deletes,
    });
  });
});

describe('parseSetCookie at the Expires boundary', () => {
  it('deletes from the instant of its Expires on (Expires has whole seconds)', () => {
    const line = 'wos-session=sealed; Path=/; Expires=Wed, 15 Jan 2027 08:00:00 GMT';
    const at = Date.parse('2027-01-15T08:00:00Z');
    vi.useFakeTimers({ toFake: ['Date'], now: at - 1 });
    try {
      expect(parseSetCookie(line).deletes).toBe(false);
      vi.setSystemTime(at);
      expect(parseSetCookie(line).deletes).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
