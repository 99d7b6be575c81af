import { describe, expect, it } from 'vitest';
import { sealData } from 'iron-session';
import { EPOCH, TEST_ENV, httpsConfig, httpsScope } from '../../../test/auth-config';
import { assertAuthConfig } from '../config/env';
import { authCookieScope, expiredAuthCookie, type AuthCookie } from '../session/cookies';
import { authCookiesOfRequest, normaliseAuthCookieJar, normaliseAuthSetCookies, tossedCopiesExpired } from './cookie-attributes';

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

function jarWith(entries: Array<{ name: string; value: string }>) {
  const cookies = new Map(entries.map((entry) => [entry.name, entry as Partial<AuthCookie> & { name: string; value: string }]));
  return { cookies, getAll: () => [...cookies.values()], set: (cookie: AuthCookie) => cookies.set(cookie.name, cookie) };
}

describe('normaliseAuthCookieJar', () => {
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

describe('the __Host- prefix (https, no WORKOS_COOKIE_DOMAIN): authkit keeps its names, the browser gets prefixed ones', () => {
  const config = assertAuthConfig(TEST_ENV);
  const scope = authCookieScope(config);

  it('rewrites authkit’s Set-Cookie lines under the prefixed name, Secure and without a Domain', async () => {
    const headers = new Headers();
    headers.append('set-cookie', 'wos-session=sealed; Path=/; HttpOnly; SameSite=Lax');
    headers.append('set-cookie', 'wos-session.1=; Path=/; Max-Age=0');
    headers.append('set-cookie', 'theme=dark; Path=/');
    await normaliseAuthSetCookies(headers, config, scope);
    expect(headers.getSetCookie()).toEqual([
      expect.stringMatching(/^__Host-wos-session=sealed; Path=\/; Expires=[^;]+; Max-Age=34560000; Secure; HttpOnly; SameSite=lax$/),
      `__Host-wos-session.1=; Path=/; ${EPOCH}; Secure; HttpOnly; SameSite=lax`,
      'theme=dark; Path=/',
    ]);
  });

  it('rewrites cookies written through next/headers, and expires authkit’s own entry so the browser never keeps it', async () => {
    const jar = jarWith([{ name: 'wos-session', value: 'new-seal' }]);
    await normaliseAuthCookieJar(jar, { 'wos-session': 'old-seal' }, config, scope);
    expect(jar.cookies.get('__Host-wos-session')).toMatchObject({ value: 'new-seal', secure: true, path: '/' });
    expect(jar.cookies.get('__Host-wos-session')?.domain).toBeUndefined();
    expect(jar.cookies.get('wos-session')).toMatchObject({ value: '', expires: new Date(0) });
  });

  it('reads the browser’s prefixed cookies under authkit’s names, and drops unprefixed ones another host could have set', () => {
    const sent = authCookiesOfRequest(
      '__Host-wos-session=mine; wos-session=tossed; __Host-wos-auth-verifier-1=v1; wos-auth-verifier-2=planted; theme=dark; __Host-own=x',
      config,
      scope,
    );
    expect(sent.header).toBe('wos-session=mine; wos-auth-verifier-1=v1; theme=dark; __Host-own=x');
    expect(sent.auth).toEqual([
      { name: '__Host-wos-session', kind: 'session' },
      { name: '__Host-wos-auth-verifier-1', kind: 'verifier' },
    ]);
    expect(sent.tampered).toBe(false);
    // No copy of a __Host- cookie can sit on another domain.
    expect(tossedCopiesExpired(sent, scope, true)).toEqual([]);
  });

  it('rewrites the header pair by pair: a name without "=" keeps an empty value, spaces are trimmed, a pair without a name is dropped', () => {
    const sent = authCookiesOfRequest('__Host-wos-session=mine;flag;=x; theme= dark ', config, scope);
    expect(sent.header).toBe('wos-session=mine; flag=; theme=dark');
    expect(sent.cookies).toEqual([
      { name: 'wos-session', value: 'mine', sentAs: { name: '__Host-wos-session', kind: 'session' } },
      { name: 'flag', value: '' },
      { name: 'theme', value: 'dark' },
    ]);
  });
});

describe('authCookiesOfRequest: an authkit cookie sent twice was tossed in by another host', () => {
  it.each([
    ['the session twice', 'wos-session=victim; wos-session=attacker; theme=dark'],
    ['a chunk twice', 'wos-session.0=a; wos-session.1=b; wos-session.1=garbage'],
    ['a verifier twice', 'wos-session=s; wos-auth-verifier-1=a; wos-auth-verifier-1=b'],
    ['the session whole and in chunks', 'wos-session.0=victim; wos-session.1=victim; wos-session=attacker'],
  ])('%s: every authkit cookie is left out (signed out)', (_, header) => {
    const sent = authCookiesOfRequest(header, httpsConfig, httpsScope);
    expect(sent.tampered).toBe(true);
    expect(sent.header).toBe(header.includes('theme') ? 'theme=dark' : '');
    expect(sent.cookies.filter(({ name }) => name.startsWith('wos-'))).toEqual([]);
  });

  it('leaves a request without duplicates as it came (an emptied session beside chunks is Next keeping a deletion)', () => {
    for (const header of [
      'wos-session=s; wos-auth-verifier-1=a; wos-auth-verifier-2=b',
      'wos-session=; wos-session.0=a; wos-session.1=b',
      // Not even re-joined in the canonical form.
      'wos-session=s;theme=dark;flag',
    ]) {
      const sent = authCookiesOfRequest(header, httpsConfig, httpsScope);
      expect(sent.tampered).toBe(false);
      expect(sent.header).toBe(header);
    }
  });

  it('expires every copy after tampering, and on a server action the copies on other domains than ours', () => {
    const scope = authCookieScope(httpsConfig, 'https://app.example.com');
    const tampered = authCookiesOfRequest('wos-session=a; wos-session=b', httpsConfig, scope);
    const base = `wos-session=; Path=/; ${EPOCH}`;
    const attributes = 'Secure; HttpOnly; SameSite=lax';
    expect(tossedCopiesExpired(tampered, scope, false)).toEqual([
      `${base}; Domain=example.com; ${attributes}`,
      `${base}; ${attributes}`,
      `${base}; Domain=app.example.com; ${attributes}`,
    ]);
    const action = authCookiesOfRequest('wos-session=a; wos-auth-verifier-1=v', httpsConfig, scope);
    expect(tossedCopiesExpired(action, scope, true)).toEqual([
      `${base}; Domain=app.example.com; ${attributes}`,
      `wos-auth-verifier-1=; Path=/; ${EPOCH}; Domain=app.example.com; ${attributes}`,
    ]);
    expect(tossedCopiesExpired(action, scope, false)).toEqual([]);
  });
});
