import { describe, expect, it } from 'vitest';
import { sealData } from 'iron-session';
import { EPOCH, TEST_ENV, httpsConfig, httpsScope } from '../../../test/auth-config';
import { expiredAuthCookie, type AuthCookie } from '../session/cookies';
import { normaliseAuthCookieJar, normaliseAuthSetCookies } from './cookie-attributes';

describe('normaliseAuthSetCookies', () => {
  it('gives authkit’s session and verifier lines the deployment’s attributes, and leaves other cookies alone', async () => {
    const state = await sealData({ nonce: 'n' }, { password: TEST_ENV.WORKOS_COOKIE_PASSWORD, ttl: 600 });
    const headers = new Headers();
    headers.append('set-cookie', 'wos-session=sealed; Path=/; HttpOnly; SameSite=Lax; Max-Age=34560000');
    headers.append('set-cookie', `wos-auth-verifier-1a2b3c4d=${state}; Path=/; HttpOnly; SameSite=Lax; Max-Age=600`);
    headers.append('set-cookie', 'wos-auth-verifier-99999999=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0');
    headers.append('set-cookie', 'theme=dark; Path=/; Max-Age=0');
    await normaliseAuthSetCookies(headers, httpsConfig, httpsScope);
    const [session, verifier, deleted, other] = headers.getSetCookie();
    expect(session).toMatch(
      /^wos-session=sealed; Path=\/; Expires=[^;]+; Max-Age=34560000; Domain=example.com; Secure; HttpOnly; SameSite=lax$/,
    );
    expect(verifier).toMatch(
      /^wos-auth-verifier-1a2b3c4d=[0-9a-z]+\.[A-Za-z0-9_-]{22}; Path=\/; Expires=[^;]+; Max-Age=600; Domain=example.com; Secure; HttpOnly; SameSite=lax$/,
    );
    expect(deleted).toBe(`wos-auth-verifier-99999999=; Path=/; ${EPOCH}; Domain=example.com; Secure; HttpOnly; SameSite=lax`);
    expect(other).toBe('theme=dark; Path=/; Max-Age=0');
  });

  it('treats numbered parts of the session cookie as the session, and nothing else named alike', async () => {
    const headers = new Headers();
    headers.append('set-cookie', 'wos-session.1=part; Path=/');
    headers.append('set-cookie', 'wos-session-extra=x; Path=/');
    await normaliseAuthSetCookies(headers, httpsConfig, httpsScope);
    expect(headers.getSetCookie()[0]).toMatch(/^wos-session\.1=part; .*Secure; HttpOnly/);
    expect(headers.getSetCookie()[1]).toBe('wos-session-extra=x; Path=/');
  });

  it('keeps a light verifier (name=value) under 64 bytes, where the sealed state was about 600', async () => {
    const state = await sealData(
      { nonce: crypto.randomUUID(), codeVerifier: 'v'.repeat(43), returnPathname: '/dashboard' },
      { password: TEST_ENV.WORKOS_COOKIE_PASSWORD, ttl: 600 },
    );
    const headers = new Headers([['set-cookie', `wos-auth-verifier-1a2b3c4d=${state}; Path=/`]]);
    await normaliseAuthSetCookies(headers, httpsConfig, httpsScope);
    const pair = (headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
    expect(state.length).toBeGreaterThan(400);
    expect(pair.length).toBeLessThan(64);
  });
});

describe('normaliseAuthCookieJar', () => {
  function jarWith(entries: Array<{ name: string; value: string }>) {
    const cookies = new Map(entries.map((entry) => [entry.name, entry as Partial<AuthCookie> & { name: string; value: string }]));
    return { cookies, getAll: () => [...cookies.values()], set: (cookie: AuthCookie) => cookies.set(cookie.name, cookie) };
  }

  it('rewrites only the auth cookies written in this request, deletions as deletions', async () => {
    const jar = jarWith([
      { name: 'wos-session', value: 'new-seal' },
      { name: 'wos-auth-verifier-1', value: '' },
      { name: 'wos-auth-verifier-2', value: 'unchanged' },
      { name: 'theme', value: 'dark' },
    ]);
    const sent = { 'wos-session': 'old-seal', 'wos-auth-verifier-1': 'pending', 'wos-auth-verifier-2': 'unchanged' };
    await normaliseAuthCookieJar(jar, sent, httpsConfig, httpsScope);
    expect(jar.cookies.get('wos-session')).toEqual({
      name: 'wos-session',
      value: 'new-seal',
      path: '/',
      httpOnly: true,
      secure: true,
      sameSite: 'lax',
      domain: 'example.com',
      maxAge: httpsScope.sessionMaxAgeSeconds,
    });
    expect(jar.cookies.get('wos-auth-verifier-1')).toEqual(expiredAuthCookie('wos-auth-verifier-1', 'verifier', httpsScope));
    expect(jar.cookies.get('wos-auth-verifier-2')).toEqual({ name: 'wos-auth-verifier-2', value: 'unchanged' });
    expect(jar.cookies.get('theme')).toEqual({ name: 'theme', value: 'dark' });
  });
});
