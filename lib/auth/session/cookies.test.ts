import { sealData } from 'iron-session';
import { describe, expect, it } from 'vitest';
import { assertAuthConfig } from '../config/env';
import {
  MAX_PENDING_SIGN_INS,
  authCookieScope,
  expiredAuthCookie,
  isVerifierCookie,
  lightVerifierValue,
  normaliseAuthCookieJar,
  normaliseAuthSetCookies,
  pruneVerifierCookies,
  restoreVerifierForState,
  serializeSetCookie,
  verifierMatchesState,
  verifiersToExpire,
  type AuthCookie,
} from './cookies';

const env = {
  WORKOS_CLIENT_ID: 'client_01TEST',
  WORKOS_API_KEY: 'sk_test_x',
  WORKOS_COOKIE_PASSWORD: 'p'.repeat(32),
  NEXT_PUBLIC_WORKOS_REDIRECT_URI: 'https://app.example.com/api/auth/callback',
};
const EPOCH = 'Expires=Thu, 01 Jan 1970 00:00:00 GMT';
const httpsConfig = assertAuthConfig({ ...env, WORKOS_COOKIE_DOMAIN: 'example.com' });
const httpsScope = authCookieScope(httpsConfig);

describe('isVerifierCookie', () => {
  it.each(['wos-auth-verifier', 'wos-auth-verifier-1a2b3c4d'])('%s is a verifier cookie', (name) => {
    expect(isVerifierCookie(name)).toBe(true);
  });

  it.each(['wos-session', 'wos-auth-verifierx', 'x-wos-auth-verifier-1'])('%s is not', (name) => {
    expect(isVerifierCookie(name)).toBe(false);
  });
});

describe('authCookieScope', () => {
  it('is Secure for an https redirect URI, with the configured domain and session lifetime', () => {
    expect(authCookieScope(assertAuthConfig({ ...env, WORKOS_COOKIE_DOMAIN: 'example.com', WORKOS_COOKIE_MAX_AGE: '3600' }))).toEqual({
      secure: true,
      domain: 'example.com',
      sameSite: 'lax',
      sessionMaxAgeSeconds: 3600,
    });
  });

  it('follows the origin the request is served on, not the configured one', () => {
    const config = assertAuthConfig({ ...env, NEXT_PUBLIC_WORKOS_REDIRECT_URI: 'http://localhost:3000/api/auth/callback' });
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

describe('normaliseAuthSetCookies', () => {
  it('gives authkit’s session and verifier lines the deployment’s attributes, and leaves other cookies alone', async () => {
    const state = await sealData({ nonce: 'n' }, { password: env.WORKOS_COOKIE_PASSWORD, ttl: 600 });
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
      { password: env.WORKOS_COOKIE_PASSWORD, ttl: 600 },
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
    const sent = [
      { name: 'wos-session', value: 'old-seal' },
      { name: 'wos-auth-verifier-1', value: 'pending' },
      { name: 'wos-auth-verifier-2', value: 'unchanged' },
    ];
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

describe('light verifier values', () => {
  it('stand for their state only', async () => {
    const value = await lightVerifierValue('state-a');
    expect(await verifierMatchesState(value, 'state-a')).toBe(true);
    expect(await verifierMatchesState(value, 'state-b')).toBe(false);
    expect(await verifierMatchesState('state-a', 'state-a')).toBe(true);
  });

  it('the callback gets the state back in the matching verifier only', async () => {
    const other = await lightVerifierValue('state-b');
    const cookies = new Map([
      ['wos-session', 's'],
      ['wos-auth-verifier-aaaaaaaa', await lightVerifierValue('state-a')],
      ['wos-auth-verifier-bbbbbbbb', other],
    ]);
    const store = {
      getAll: () => [...cookies].map(([name, value]) => ({ name, value })),
      set: (name: string, value: string) => cookies.set(name, value),
    };
    await restoreVerifierForState(store, 'state-a');
    expect(Object.fromEntries(cookies)).toEqual({
      'wos-session': 's',
      'wos-auth-verifier-aaaaaaaa': 'state-a',
      'wos-auth-verifier-bbbbbbbb': other,
    });
    await restoreVerifierForState(store, 'forged');
    await restoreVerifierForState(store, null);
    expect(cookies.get('wos-auth-verifier-bbbbbbbb')).toBe(other);
  });
});

describe('pruning verifiers', () => {
  const pending = async (count: number) =>
    Promise.all(
      Array.from({ length: count }, async (_, index) => ({
        name: `wos-auth-verifier-${index}`,
        value: await lightVerifierValue(`s${index}`, 1_000 + index),
      })),
    );

  it('keeps the newest ones up to the cap, counting the one being added', async () => {
    expect(verifiersToExpire(await pending(MAX_PENDING_SIGN_INS))).toEqual([]);
    expect(verifiersToExpire(await pending(MAX_PENDING_SIGN_INS), 1)).toEqual(['wos-auth-verifier-0']);
    expect(verifiersToExpire(await pending(8))).toEqual(['wos-auth-verifier-0', 'wos-auth-verifier-1', 'wos-auth-verifier-2']);
  });

  it('orders full sealed states by the expiry iron sealed into them', async () => {
    const old = await sealData({}, { password: env.WORKOS_COOKIE_PASSWORD, ttl: 600 });
    const cookies = [
      { name: 'wos-auth-verifier-old', value: old },
      ...(await pending(MAX_PENDING_SIGN_INS)).map((c) => ({
        ...c,
        value: `${(Date.now() + 1000).toString(36)}.${c.value.split('.')[1]}`,
      })),
    ];
    expect(verifiersToExpire(cookies)).toEqual(['wos-auth-verifier-old']);
  });

  it('expires a burst of parallel starts on the next proxied response, with the attributes they were set with', async () => {
    const headers = new Headers();
    pruneVerifierCookies(await pending(100), headers, httpsScope);
    expect(headers.getSetCookie()).toHaveLength(100 - MAX_PENDING_SIGN_INS);
    expect(headers.getSetCookie()[0]).toBe(`wos-auth-verifier-0=; Path=/; ${EPOCH}; Domain=example.com; Secure; HttpOnly; SameSite=lax`);
  });
});
