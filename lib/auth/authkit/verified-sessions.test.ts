import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sealData } from 'iron-session';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { NextRequest } from 'next/server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

const PASSWORD = 'verified-sessions-test-password-0123456789';
const CLIENT_ID = 'client_memo_test';
const USER = { object: 'user', id: 'user_memo', email: 'memo@example.com', firstName: 'Memo', lastName: null };

let server: Server;
let privateKey: CryptoKey;
let memo: typeof import('./verified-sessions');
let authkitModule: Pick<typeof import('@workos-inc/authkit-nextjs'), 'authkit' | 'handleAuthkitProxy'> &
  Pick<typeof import('./session-header'), 'forwardWithAuthkitHeaders'>;

beforeAll(async () => {
  const keys = await generateKeyPair('RS256', { extractable: true });
  privateKey = keys.privateKey;
  const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  server = createServer((request, response) => {
    if (request.url === `/sso/jwks/${CLIENT_ID}`)
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // authkit reads its environment when first imported.
  vi.stubEnv('WORKOS_CLIENT_ID', CLIENT_ID);
  vi.stubEnv('WORKOS_API_KEY', 'sk_test_memo');
  vi.stubEnv('WORKOS_COOKIE_PASSWORD', PASSWORD);
  vi.stubEnv('NEXT_PUBLIC_WORKOS_REDIRECT_URI', 'http://localhost:3000/api/auth/callback');
  vi.stubEnv('WORKOS_API_HOSTNAME', '127.0.0.1');
  vi.stubEnv('WORKOS_API_PORT', String((server.address() as AddressInfo).port));
  vi.stubEnv('WORKOS_API_HTTPS', 'false');
  const authkitNextjs = await import('@workos-inc/authkit-nextjs');
  const { throughBoundedClient } = await import('./client');
  authkitModule = {
    authkit: throughBoundedClient(authkitNextjs.authkit),
    handleAuthkitProxy: authkitNextjs.handleAuthkitProxy,
    forwardWithAuthkitHeaders: (await import('./session-header')).forwardWithAuthkitHeaders,
  };
  memo = await import('./verified-sessions');
});

afterAll(async () => {
  vi.unstubAllEnvs();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => memo.forgetVerifiedSessions());
afterEach(() => vi.useRealTimers());

const nowSeconds = () => Math.floor(Date.now() / 1000);

async function sessionCookie({
  lifetimeSeconds = 300,
  issuedAgoSeconds = 0,
  claims = {},
}: { lifetimeSeconds?: number; issuedAgoSeconds?: number; claims?: Record<string, unknown> } = {}) {
  const iat = nowSeconds() - issuedAgoSeconds;
  const accessToken = await new SignJWT({
    sid: 'session_memo',
    org_id: 'org_memo',
    role: 'member',
    roles: ['member'],
    permissions: ['posts:read'],
    ...claims,
  })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setSubject(USER.id)
    .setIssuedAt(iat)
    .setExpirationTime(iat + lifetimeSeconds)
    .sign(privateKey);
  const cookie = await sealData(
    { accessToken, refreshToken: 'refresh_memo', user: USER, authenticationMethod: 'Password' },
    { password: PASSWORD, ttl: 0 },
  );
  return { cookie, iat, exp: iat + lifetimeSeconds };
}

const request = (cookie: string, url = 'http://localhost:3000/dashboard') =>
  new NextRequest(url, { headers: { cookie: `wos-session=${cookie}` } });
const options = { redirectUri: 'http://localhost:3000/api/auth/callback' };

describe('verified-session memo', () => {
  it('answers the same cookie exactly as authkit does for a valid token, with x-url from the new request', async () => {
    const { cookie } = await sessionCookie();
    const first = await authkitModule.authkit(request(cookie), options);
    memo.rememberVerifiedSession(cookie, PASSWORD, first);

    const url = 'http://localhost:3000/dashboard/admin?tab=2';
    const recalled = memo.recallVerifiedSession(cookie, PASSWORD, url);
    const fresh = await authkitModule.authkit(request(cookie, url), options);
    // The SDK internals this memo relies on: for a valid, unexpiring token authkit's answer
    // depends on the request only through x-url. If an authkit upgrade changes that, this fails.
    expect(recalled?.session).toEqual(JSON.parse(JSON.stringify(fresh.session)));
    expect([...(recalled?.headers ?? [])].sort()).toEqual([...fresh.headers].sort());
    expect(recalled?.headers.get('x-url')).toBe(url);
    expect(recalled?.headers.get('x-workos-session')).toBe(cookie);
    expect(fresh.authorizationUrl).toBeUndefined();
  });

  it("is forwarded by forwardWithAuthkitHeaders exactly as handleAuthkitProxy forwards authkit's own answer", async () => {
    const { cookie } = await sessionCookie();
    const url = 'http://localhost:3000/dashboard?tab=2';
    memo.rememberVerifiedSession(cookie, PASSWORD, await authkitModule.authkit(request(cookie), options));
    const recalled = memo.recallVerifiedSession(cookie, PASSWORD, url);
    if (!recalled) throw new Error('expected a hit');
    const incoming = new NextRequest(url, {
      headers: { cookie: `wos-session=${cookie}`, accept: 'text/html', 'x-auth-return-to': '/dashboard?tab=2' },
    });
    const viaDoor = authkitModule.forwardWithAuthkitHeaders(new Headers(incoming.headers), recalled.headers);
    const viaAuthkit = authkitModule.handleAuthkitProxy(
      incoming,
      await authkitModule.authkit(request(cookie, url), options).then((fresh) => fresh.headers),
    );
    // The whole response: status, the forwarded request headers (x-middleware-request-*), Vary and Cache-Control.
    expect(viaDoor.status).toBe(200);
    expect([...viaDoor.headers].sort()).toEqual([...viaAuthkit.headers].sort());
    expect(viaDoor.headers.get('x-middleware-request-x-workos-session')).toBe(cookie);
    expect(viaDoor.headers.get('x-middleware-request-x-url')).toBe(url);
  });

  it('misses for any other cookie or password', async () => {
    const { cookie } = await sessionCookie();
    memo.rememberVerifiedSession(cookie, PASSWORD, await authkitModule.authkit(request(cookie), options));
    const flipped = `${cookie.slice(0, -3)}${cookie.at(-3) === 'A' ? 'B' : 'A'}${cookie.slice(-2)}`;
    expect(memo.recallVerifiedSession(flipped, PASSWORD, 'http://localhost:3000/')).toBeUndefined();
    expect(memo.recallVerifiedSession(cookie, `${PASSWORD}-rotated`, 'http://localhost:3000/')).toBeUndefined();
    expect(memo.recallVerifiedSession(cookie, PASSWORD, 'http://localhost:3000/')?.session.user?.id).toBe(USER.id);
  });

  it('keeps an entry 60 s at most', async () => {
    const { cookie } = await sessionCookie({ lifetimeSeconds: 3600 });
    const storedAt = Date.now();
    vi.useFakeTimers({ toFake: ['Date'], now: storedAt });
    memo.rememberVerifiedSession(cookie, PASSWORD, await authkitModule.authkit(request(cookie), options));
    vi.setSystemTime(storedAt + 59_999);
    expect(memo.recallVerifiedSession(cookie, PASSWORD, 'http://localhost:3000/')?.session.user?.id).toBe(USER.id);
    vi.setSystemTime(storedAt + 60_000);
    expect(memo.recallVerifiedSession(cookie, PASSWORD, 'http://localhost:3000/')).toBeUndefined();
    expect(memo.verifiedSessionCount()).toBe(0);
  });

  it.each([
    ['a 5-minute token: 30 s', 300, 30],
    ['a 1-hour token: 60 s', 3600, 60],
  ])('never keeps an entry into authkit’s refresh window (%s before exp)', async (_name, lifetimeSeconds, bufferSeconds) => {
    // Issued so that the window opens 20 s from now: the 60 s cap is not what ends the entry.
    const { cookie, exp } = await sessionCookie({ lifetimeSeconds, issuedAgoSeconds: lifetimeSeconds - bufferSeconds - 20 });
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    memo.rememberVerifiedSession(cookie, PASSWORD, await authkitModule.authkit(request(cookie), options));
    const windowOpens = (exp - bufferSeconds) * 1000;
    vi.setSystemTime(windowOpens - 1_001);
    expect(memo.recallVerifiedSession(cookie, PASSWORD, 'http://localhost:3000/')?.session.user?.id).toBe(USER.id);
    vi.setSystemTime(windowOpens - 1_000);
    expect(memo.recallVerifiedSession(cookie, PASSWORD, 'http://localhost:3000/')).toBeUndefined();
  });

  it('stores nothing when the refresh window opens within a millisecond, or for a session without a token', async () => {
    const { cookie, exp, iat } = await sessionCookie({ lifetimeSeconds: 3600 });
    const result = await authkitModule.authkit(request(cookie), options);
    // The window opens at (exp - 60 - 1) s: 1 ms before it, an entry could live 0 ms, which lru-cache reads as "forever".
    vi.useFakeTimers({ toFake: ['Date'], now: (exp - 61) * 1000 - 1 });
    memo.rememberVerifiedSession(cookie, PASSWORD, result);
    expect(memo.verifiedSessionCount()).toBe(0);
    vi.setSystemTime((exp - 61) * 1000 - 2);
    memo.rememberVerifiedSession(cookie, PASSWORD, result);
    expect(memo.verifiedSessionCount()).toBe(1);
    memo.forgetVerifiedSessions();
    vi.setSystemTime(iat * 1000);
    memo.rememberVerifiedSession(cookie, PASSWORD, { ...result, session: { ...result.session, accessToken: '' } as typeof result.session });
    expect(memo.verifiedSessionCount()).toBe(0);
  });

  it('stores nothing but "valid token, served as is"', async () => {
    const { cookie } = await sessionCookie();
    const valid = await authkitModule.authkit(request(cookie), options);
    const withSetCookie = { ...valid, headers: new Headers(valid.headers) };
    withSetCookie.headers.append('set-cookie', 'wos-session=refreshed; Path=/');
    const otherForwarded = { ...valid, headers: new Headers(valid.headers) };
    otherForwarded.headers.set('x-workos-session', 'another-seal');
    const signedOut = await authkitModule.authkit(new NextRequest('http://localhost:3000/dashboard'), options);
    const withoutUser = { ...valid, session: { ...valid.session, user: null } } as typeof valid;
    const withoutToken = { ...valid, session: { ...valid.session, accessToken: undefined } } as typeof valid;
    for (const result of [
      withSetCookie,
      otherForwarded,
      signedOut,
      withoutUser,
      withoutToken,
      { ...valid, authorizationUrl: 'http://127.0.0.1/authorize' },
    ]) {
      memo.rememberVerifiedSession(cookie, PASSWORD, result);
    }
    expect(memo.verifiedSessionCount()).toBe(0);

    // Already inside the refresh window: authkit would refresh it on the next request.
    const due = await sessionCookie({ lifetimeSeconds: 300, issuedAgoSeconds: 275 });
    memo.rememberVerifiedSession(due.cookie, PASSWORD, await authkitModule.authkit(request(due.cookie), options));
    expect(memo.verifiedSessionCount()).toBe(0);
  });

  it('is bounded at 2,000 entries, dropping the oldest entry first', async () => {
    const { cookie } = await sessionCookie();
    const result = await authkitModule.authkit(request(cookie), options);
    const remember = (index: number) => {
      const fake = `${cookie}#${index}`;
      const headers = new Headers(result.headers);
      headers.set('x-workos-session', fake);
      memo.rememberVerifiedSession(fake, PASSWORD, { ...result, headers });
    };
    for (let index = 0; index < 2_000; index += 1) remember(index);
    expect(memo.verifiedSessionCount()).toBe(2_000);
    expect(memo.recallVerifiedSession(`${cookie}#0`, PASSWORD, 'http://localhost:3000/')?.session.user?.id).toBe(USER.id);
    memo.forgetVerifiedSessions();
    for (let index = 0; index < 2_001; index += 1) remember(index);
    expect(memo.verifiedSessionCount()).toBe(2_000);
    expect(memo.recallVerifiedSession(`${cookie}#0`, PASSWORD, 'http://localhost:3000/')).toBeUndefined();
    expect(memo.recallVerifiedSession(`${cookie}#1`, PASSWORD, 'http://localhost:3000/')?.session.user?.id).toBe(USER.id);
  });

  it('knows when authkit starts refreshing: exp minus 30 s (tokens of 5 minutes or less) or 60 s, a second early', () => {
    const token = (claims: object) =>
      `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
    expect(memo.refreshWindowStart(token({ iat: 1_000, exp: 1_300 }))).toBe(1_269_000);
    expect(memo.refreshWindowStart(token({ iat: 1_000, exp: 1_301 }))).toBe(1_240_000);
    // Without iat, the token is taken as short-lived.
    expect(memo.refreshWindowStart(token({ exp: 1_300 }))).toBe(1_269_000);
    expect(memo.refreshWindowStart(token({ iat: 1_000 }))).toBeUndefined();
    expect(memo.refreshWindowStart('not-a-token')).toBeUndefined();
  });

  it('lets no hit change what the next one reads', async () => {
    const { cookie } = await sessionCookie();
    memo.rememberVerifiedSession(cookie, PASSWORD, await authkitModule.authkit(request(cookie), options));
    const first = memo.recallVerifiedSession(cookie, PASSWORD, 'http://localhost:3000/');
    if (!first?.session.user) throw new Error('expected a hit');
    const user = first.session.user;
    expect(() => {
      user.email = 'changed@example.com';
    }).toThrow(TypeError);
    expect(() => {
      (first.session as { accessToken: string }).accessToken = 'changed';
    }).toThrow(TypeError);
    first.headers.set('x-workos-session', 'changed');
    const second = memo.recallVerifiedSession(cookie, PASSWORD, 'http://localhost:3000/');
    expect(second?.session.user?.email).toBe(USER.email);
    expect(second?.headers.get('x-workos-session')).toBe(cookie);
  });
});
