import { NextRequest } from 'next/server';
import { describe, expect, it, vi } from 'vitest';
import { TEST_ENV, httpsConfig } from '../../../test/auth-config';
import { applyPrivateCacheHeaders, type AuthCookieScope } from './cookies';
import { authProxy, refusedActionReason, returnPathOf, storeSession } from './proxy';

describe('returnPathOf', () => {
  it.each([
    ['http://localhost/dashboard', '/dashboard'],
    ['http://localhost/dashboard?tab=billing', '/dashboard?tab=billing'],
    ['http://localhost/dashboard?_rsc=abc', '/dashboard'],
    ['http://localhost/dashboard?tab=2&_rsc=abc', '/dashboard?tab=2'],
  ])("%s → %s (without Next's _rsc cache-buster)", (url, expected) => {
    expect(returnPathOf(new URL(url))).toBe(expected);
  });
});

describe('refusedActionReason', () => {
  const app = 'https://app.example.com';
  const action = (headers: Record<string, string>, path = '/dashboard') =>
    new NextRequest(`${app}${path}`, { method: 'POST', headers: { host: 'app.example.com', 'next-action': 'abc', ...headers } });

  it.each([
    ['from its own page', { origin: app, 'sec-fetch-site': 'same-origin' }, undefined],
    ['behind a proxy that names the host', { origin: app, host: '10.0.0.1:3000', 'x-forwarded-host': 'app.example.com, x' }, undefined],
    ['without an Origin, whatever the Referer', { referer: `${app}/dashboard` }, 'no_origin'],
    ['marked cross-site by the browser', { origin: app, 'sec-fetch-site': 'cross-site' }, 'cross_site'],
    ['from another origin', { origin: 'https://evil.example' }, 'cross_origin'],
    ['with an Origin that is not a URL', { origin: 'null' }, 'cross_origin'],
    ['with a Host that is not its Origin', { origin: app, host: 'evil.example' }, 'cross_origin'],
    ['with an X-Forwarded-Host that is not its Origin', { origin: app, 'x-forwarded-host': 'evil.example' }, 'cross_origin'],
  ])('a server action %s: %s', (_, headers, reason) => {
    expect(refusedActionReason(action(headers), app)).toBe(reason);
  });

  it('leaves what is not a server action, and route handlers, to their own checks', () => {
    expect(refusedActionReason(new NextRequest(`${app}/dashboard`, { method: 'POST' }), app)).toBeUndefined();
    expect(refusedActionReason(action({}, '/api/upload'), app)).toBeUndefined();
  });
});

describe('applyPrivateCacheHeaders', () => {
  it('makes the response private and keyed on the cookie, keeping other Vary values', () => {
    const headers = new Headers({ vary: 'rsc, Accept-Encoding', 'cache-control': 'public, max-age=3600' });
    applyPrivateCacheHeaders(headers);
    expect(headers.get('cache-control')).toBe('private, no-store, max-age=0');
    expect(headers.get('vary')).toBe('rsc, Accept-Encoding, Cookie');
  });

  it('does not add Cookie twice', () => {
    const headers = new Headers({ vary: 'cookie' });
    applyPrivateCacheHeaders(headers);
    expect(headers.get('vary')).toBe('cookie');
  });
});

describe('storeSession', () => {
  const context = (scope: AuthCookieScope) => ({ config: httpsConfig, origin: 'https://app.example.com', scope, returnTo: '/dashboard' });

  it('forgets a rejected session: removes the forwarded session and its Set-Cookie, keeps other cookies, deletes every form', () => {
    const headers = new Headers({ 'x-workos-session': 'sealed' });
    headers.append('set-cookie', 'wos-session=new-sealed; Path=/; HttpOnly');
    headers.append('set-cookie', 'wos-auth-verifier-1=v; Path=/; HttpOnly');
    const check = { state: 'rejected', reason: 'user_mismatch', headers, authorizationUrl: undefined } as const;
    const scope = {
      secure: true,
      domain: undefined,
      sameSite: 'lax',
      sessionMaxAgeSeconds: 60,
      prefix: '',
      hostname: 'app.example.com',
    } as const;
    expect(storeSession(check, ['wos-session.0', 'other'], context(scope))).toEqual({ fits: true });
    expect(headers.has('x-workos-session')).toBe(false);
    expect(headers.getSetCookie()).toEqual([
      'wos-auth-verifier-1=v; Path=/; HttpOnly',
      'wos-session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; HttpOnly; SameSite=lax',
      'wos-session.0=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; HttpOnly; SameSite=lax',
    ]);
  });

  it('deletes the cookie on its domain, with its SameSite, as it was set (WORKOS_COOKIE_DOMAIN)', () => {
    const headers = new Headers();
    const check = { state: 'rejected', reason: 'unreadable_cookie', headers, authorizationUrl: undefined } as const;
    storeSession(
      check,
      [],
      context({
        secure: false,
        domain: 'example.com',
        sameSite: 'strict',
        sessionMaxAgeSeconds: 60,
        prefix: '',
        hostname: 'app.example.com',
      }),
    );
    expect(headers.getSetCookie()).toEqual([
      'wos-session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Domain=example.com; HttpOnly; SameSite=strict',
    ]);
  });
});

describe('authProxy, before any session check', () => {
  it('refuses a server action posted from another origin: 403, a plain-text reason, the page CSP and private caching', async () => {
    for (const [name, value] of Object.entries(TEST_ENV)) vi.stubEnv(name, value);
    try {
      const response = await authProxy(
        new NextRequest('https://app.example.com/dashboard', {
          method: 'POST',
          headers: { 'next-action': 'abc123', origin: 'https://evil.example' },
        }),
      );
      expect(response.status).toBe(403);
      expect(await response.text()).toBe('Cross-origin server action refused.');
      expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'self'; script-src 'self' 'nonce-/);
      expect(response.headers.get('cache-control')).toBe('private, no-store, max-age=0');
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('passes a Bearer route on without the cookie or any forwarded auth header, privately cached; refuses a server action there', async () => {
    for (const [name, value] of Object.entries(TEST_ENV)) vi.stubEnv(name, value);
    try {
      const headers = {
        cookie: 'wos-session=anything',
        authorization: 'Bearer abc',
        'x-workos-session': 'forged',
        'x-url': 'https://evil.example',
      };
      const response = await authProxy(new NextRequest('https://app.example.com/api/projects', { headers }));
      expect(response.status).toBe(200);
      expect(response.headers.get('x-middleware-next')).toBe('1');
      // What the route handler gets: the Authorization header, nothing of the session.
      expect(response.headers.get('x-middleware-request-authorization')).toBe('Bearer abc');
      expect(response.headers.get('x-middleware-request-cookie')).toBeNull();
      expect(response.headers.get('x-middleware-request-x-workos-session')).toBeNull();
      expect(response.headers.get('x-middleware-request-x-url')).toBeNull();
      expect(response.headers.get('set-cookie')).toBeNull();
      expect(response.headers.get('cache-control')).toBe('private, no-store, max-age=0');

      const action = await authProxy(
        new NextRequest('https://app.example.com/api/projects', {
          method: 'POST',
          headers: { 'next-action': 'abc123', origin: 'https://app.example.com' },
        }),
      );
      expect(action.status).toBe(403);
      expect(await action.text()).toBe('Server actions are only accepted on pages.');
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
