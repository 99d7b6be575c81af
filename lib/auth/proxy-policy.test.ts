import { describe, expect, it } from 'vitest';
import { applyPrivateCacheHeaders, dropSession, isProtectedPath } from './proxy-policy';

describe('isProtectedPath', () => {
  it.each([['/dashboard'], ['/dashboard/'], ['/dashboard/admin'], ['/dashboard/admin/users/user_01']])(
    'protects %j',
    (pathname) => {
      expect(isProtectedPath(pathname)).toBe(true);
    },
  );

  it.each([
    ['/'],
    ['/dashboardx'],
    ['/dashboard-public'],
    ['/dashboard.json'],
    ['/Dashboard'],
    ['/auth/sign-in'],
    ['/auth/error'],
    ['/api/auth/callback'],
    ['/public/dashboard'],
    [''],
  ])('leaves %j public', (pathname) => {
    expect(isProtectedPath(pathname)).toBe(false);
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

describe('dropSession', () => {
  it('removes the forwarded session and its Set-Cookie, keeps other cookies, deletes the cookie', () => {
    const headers = new Headers({ 'x-workos-session': 'sealed' });
    headers.append('set-cookie', 'wos-session=new-sealed; Path=/; HttpOnly');
    headers.append('set-cookie', 'wos-auth-verifier-1=v; Path=/; HttpOnly');
    dropSession(headers, { cookieName: 'wos-session', secure: true });
    expect(headers.has('x-workos-session')).toBe(false);
    expect(headers.getSetCookie()).toEqual([
      'wos-auth-verifier-1=v; Path=/; HttpOnly',
      'wos-session=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax; Secure',
    ]);
  });
});
