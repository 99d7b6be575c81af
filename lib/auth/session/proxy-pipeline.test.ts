/**
 * The proxy's pipeline (session/proxy.ts), step by step and outcome by outcome,
 * with the real authkit-nextjs and SDK against the mock WorkOS: a valid session,
 * a refreshed one, a refresh that fails for now, a revoked session, a tampered
 * cookie, a session too large to store, and WorkOS down.
 */
import { NextRequest, type NextResponse } from 'next/server';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { useAuthkitAgainstMock } from '../../../test/authkit-against-mock';
import type { SessionCheck } from '../authkit/proxy-session';
import type { StoredSession } from './proxy';

/** authkit's check of a session cookie, counted: a cookie the proxy accepted moments ago is answered from its memo instead. */
const checks = vi.hoisted(() => ({ count: 0 }));
vi.mock('../authkit/proxy-session', async (importOriginal) => {
  const original = await importOriginal<typeof import('../authkit/proxy-session')>();
  return {
    ...original,
    checkSession: (...args: Parameters<typeof original.checkSession>) => {
      checks.count += 1;
      return original.checkSession(...args);
    },
  };
});

const { running, signedInCookie } = useAuthkitAgainstMock();
let pipeline: typeof import('./proxy');

beforeAll(async () => {
  pipeline = await import('./proxy');
});

function proxied(path: string, cookie?: string): Promise<NextResponse> {
  return pipeline.authProxy(
    new NextRequest(`http://localhost:3000${path}`, {
      headers: { accept: 'text/html', ...(cookie ? { cookie: `wos-session=${cookie}` } : {}) },
    }),
  );
}

const forwardedSeal = (response: NextResponse) => response.headers.get('x-middleware-request-x-workos-session');
const sessionSetCookies = (response: NextResponse) => response.headers.getSetCookie().filter((line) => line.startsWith('wos-session'));
const DELETED_SESSION = 'wos-session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=lax';

/** Refresh-token grants the mock answered for this user. */
async function refreshCalls(userId: string) {
  return (await running.control.requests({ userId, endpoint: 'authenticate' })).filter((entry) => entry.grantType === 'refresh_token')
    .length;
}

describe('authProxy against the mock WorkOS, one outcome each', () => {
  it('valid: forwards the session with the proof and return path, sets no cookie, calls WorkOS for nothing but the key set', async () => {
    const { cookie, userId } = await signedInCookie();
    const response = await proxied('/dashboard?tab=2', cookie);
    expect(response.status).toBe(200);
    expect(forwardedSeal(response)).toBe(cookie);
    expect(response.headers.get('x-middleware-request-x-auth-return-to')).toBe('/dashboard?tab=2');
    expect(response.headers.get('x-middleware-request-x-auth-proxy-proof')).toMatch(/^v1\.\d+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(response.headers.get('cache-control')).toBe('private, no-store, max-age=0');
    expect(response.headers.get('vary')).toBe('Cookie');
    expect(await refreshCalls(userId)).toBe(0);
  });

  it('refreshed: a token due for refresh is traded once, and the new session is written and forwarded', async () => {
    const { cookie, userId } = await signedInCookie({ accessTokenTtlSeconds: 20 });
    const response = await proxied('/dashboard', cookie);
    expect(response.status).toBe(200);
    const [written, ...others] = sessionSetCookies(response);
    expect(others).toEqual([]);
    const value = written!.slice('wos-session='.length, written!.indexOf(';'));
    expect(value).toMatch(/^Fe26\.2\*/);
    expect(value).not.toBe(cookie);
    expect(forwardedSeal(response)).toBe(value);
    expect(await refreshCalls(userId)).toBe(1);
  });

  it('refresh failed for now (WorkOS 503): the still-valid session is kept and forwarded, nothing is deleted', async () => {
    const { cookie, userId } = await signedInCookie({ accessTokenTtlSeconds: 20 });
    await running.control.injectFault({ endpoint: 'authenticate', match: { userId }, action: { type: 'status', status: 503 } });
    const response = await proxied('/dashboard', cookie);
    expect(response.status).toBe(200);
    expect(forwardedSeal(response)).toBe(cookie);
    expect(sessionSetCookies(response)).toEqual([]);
    expect(await refreshCalls(userId)).toBe(1);
  });

  it('revoked: once the token has expired, the refresh is refused (invalid_grant), the cookie deleted, the visitor sent to sign-in', async () => {
    const { cookie, userId, sessionId } = await signedInCookie();
    await running.workos.userManagement.revokeSession({ sessionId });
    // An access token stays valid until it expires (authkit serves it, as WorkOS documents); an hour later it has.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 3_600_000 });
    const response = await proxied('/dashboard', cookie).finally(() => vi.useRealTimers());
    expect(response.status).toBe(307);
    expect(new URL(response.headers.get('location')!).pathname).toBe('/user_management/authorize');
    expect(sessionSetCookies(response)).toEqual([DELETED_SESSION]);
    expect(forwardedSeal(response)).toBeNull();
    expect(await refreshCalls(userId)).toBe(1);
  });

  it('tampered: a cookie shaped like a seal but broken is deleted, logged, and the visitor goes to sign-in (never a 500)', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const response = await proxied('/dashboard', 'Fe26.2*1*a*b*c*d*e*f');
    expect(response.status).toBe(307);
    expect(new URL(response.headers.get('location')!).pathname).toBe('/user_management/authorize');
    expect(sessionSetCookies(response)).toEqual([DELETED_SESSION]);
    expect(warn.mock.calls.map(([line]) => JSON.parse(String(line)))).toEqual([
      expect.objectContaining({ event: 'session_rejected', reason: 'unreadable_cookie' }),
    ]);
    warn.mockRestore();
  });

  it('too large: a refresh whose session fits in no cookie form goes to the error page, every form deleted', async () => {
    const permissions = Array.from({ length: 400 }, (_, index) => `pipeline:permission-number-${index}`);
    await running.control.createRole({ slug: 'pipeline-huge', permissions });
    const { cookie } = await signedInCookie({ accessTokenTtlSeconds: 20, role: 'pipeline-huge' });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const response = await proxied('/dashboard', cookie);
    warn.mockRestore();
    expect(response.status).toBe(307);
    const location = new URL(response.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe('http://localhost:3000/auth/error');
    expect(location.searchParams.get('code')).toBe('session_too_large');
    expect(sessionSetCookies(response)).toEqual([DELETED_SESSION]);
    expect(forwardedSeal(response)).toBeNull();
  });

  it('WorkOS down (connection dropped) after the token expired: sign-in again, the cookie kept for when WorkOS is back, one log line', async () => {
    const { cookie, userId } = await signedInCookie();
    await running.control.injectFault({ endpoint: 'authenticate', match: { userId }, action: { type: 'drop' } });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 3_600_000 });
    const response = await proxied('/dashboard', cookie).finally(() => vi.useRealTimers());
    expect(response.status).toBe(307);
    expect(new URL(response.headers.get('location')!).pathname).toBe('/user_management/authorize');
    expect(sessionSetCookies(response)).toEqual([]);
    expect(forwardedSeal(response)).toBeNull();
    expect(await refreshCalls(userId)).toBe(1);
    expect(warn.mock.calls.map(([line]) => JSON.parse(String(line)))).toEqual([
      expect.objectContaining({ event: 'session_refresh_failed', transient: true }),
    ]);
    warn.mockRestore();
  });

  it('signed out by this app (the revocation list): refused at once, memo hit or not, every form deleted; sign-in, or 401 on /api', async () => {
    const { cookie, sessionId } = await signedInCookie();
    const { addRevokedSession } = await import('./revoked-sessions');
    expect((await proxied('/dashboard', cookie)).status).toBe(200);
    expect((await proxied('/dashboard', cookie)).status).toBe(200); // now from the memo
    await addRevokedSession(sessionId, Date.now() + 60_000);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const page = await proxied('/dashboard', cookie);
    expect(page.status).toBe(307);
    expect(new URL(page.headers.get('location')!).pathname).toBe('/auth/sign-in');
    expect(sessionSetCookies(page)).toEqual([DELETED_SESSION]);
    expect(forwardedSeal(page)).toBeNull();
    const api = await proxied('/api/me', cookie);
    expect(api.status).toBe(401);
    expect(sessionSetCookies(api)).toEqual([DELETED_SESSION]);
    // The same session in chunks: every chunk goes too.
    const half = Math.ceil(cookie.length / 2);
    const chunked = await pipeline.authProxy(
      new NextRequest('http://localhost:3000/dashboard', {
        headers: { accept: 'text/html', cookie: `wos-session.0=${cookie.slice(0, half)}; wos-session.1=${cookie.slice(half)}` },
      }),
    );
    expect(chunked.status).toBe(307);
    expect(sessionSetCookies(chunked).map((line) => line.slice(0, line.indexOf('=')))).toEqual([
      'wos-session',
      'wos-session.0',
      'wos-session.1',
    ]);
    expect(warn.mock.calls.map(([line]) => JSON.parse(String(line)))).toEqual(
      Array(3).fill(expect.objectContaining({ event: 'session_rejected', reason: 'revoked' })),
    );
    warn.mockRestore();
  });

  it('an API route without a session answers 401 JSON, never a sign-in redirect', async () => {
    const response = await proxied('/api/me');
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'unauthorized', message: 'Sign in to use this API.' });
  });
});

describe('what the render receives, and what the browser is told to keep', () => {
  const forwardedHeader = (response: NextResponse, name: string) => response.headers.get(`x-middleware-request-${name}`);
  const visit = (path: string, headers: Record<string, string>) =>
    pipeline.authProxy(new NextRequest(`http://localhost:3000${path}`, { headers: { accept: 'text/html', ...headers } }));

  it('only the proxy’s own nonce, CSP and session reach the render: a client’s copies, and an absent Cookie header, stay absent', async () => {
    const response = await visit('/', {
      'x-workos-session': 'Fe26.2*spoofed',
      'x-nonce': 'attacker-nonce',
      'content-security-policy': "script-src 'nonce-attacker'",
      'content-security-policy-report-only': "script-src 'nonce-attacker-ro'",
    });
    expect(response.status).toBe(200);
    const nonce = /'nonce-([^']+)'/.exec(response.headers.get('content-security-policy') ?? '')?.[1];
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(forwardedHeader(response, 'x-nonce')).toBe(nonce);
    expect(forwardedHeader(response, 'content-security-policy')).toBe(response.headers.get('content-security-policy'));
    expect(forwardedHeader(response, 'content-security-policy-report-only')).toBeNull();
    expect(forwardedSeal(response)).toBeNull();
    expect(forwardedHeader(response, 'cookie')).toBeNull();
  });

  it('a session answered from the memo is forwarded with the proof and return path, as a checked one is', async () => {
    const { cookie } = await signedInCookie();
    await proxied('/dashboard', cookie);
    const remembered = await proxied('/dashboard?tab=3', cookie);
    expect(forwardedSeal(remembered)).toBe(cookie);
    expect(forwardedHeader(remembered, 'x-auth-return-to')).toBe('/dashboard?tab=3');
    expect(forwardedHeader(remembered, 'x-auth-proxy-proof')).toMatch(/^v1\.\d+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
  });

  it('a session accepted moments ago is answered from the memo, without authkit’s check; another cookie is checked', async () => {
    const [{ cookie }, other] = await Promise.all([signedInCookie(), signedInCookie()]);
    const before = checks.count;
    await proxied('/dashboard', cookie);
    await proxied('/dashboard', cookie);
    await proxied('/projects', cookie);
    expect(checks.count - before).toBe(1);
    await proxied('/dashboard', other.cookie);
    expect(checks.count - before).toBe(2);
  });

  it('expires an app cookie that does not unseal with the cookie password, on any page', async () => {
    const response = await visit('/', { cookie: 'app-preferences=garbage; theme=dark' });
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie()).toEqual([
      'app-preferences=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=lax',
    ]);
  });

  it('a remembered seal under another cookie’s name is not a session', async () => {
    const { cookie } = await signedInCookie();
    expect(forwardedSeal(await proxied('/dashboard', cookie))).toBe(cookie);
    const response = await visit('/dashboard', { cookie: `theme=${cookie}` });
    expect(response.status).toBe(307);
    expect(forwardedSeal(response)).toBeNull();
  });

  it('the session cookie sent twice (tossed in by another host): signed out, and both copies expired', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { cookie } = await signedInCookie();
    const response = await visit('/dashboard', { cookie: `wos-session=${cookie}; wos-session=attacker` });
    expect(response.status).toBe(307);
    expect(forwardedSeal(response)).toBeNull();
    // The rejected session's deletion, then the tossed copies' (host-only on localhost: no parent domain).
    expect(sessionSetCookies(response)).toEqual([DELETED_SESSION, DELETED_SESSION]);
    warn.mockRestore();
  });

  it('more pending sign-ins than the cap (5): the oldest verifiers are expired on the way through', async () => {
    const verifiers = Array.from(
      { length: 7 },
      (_, index) => `wos-auth-verifier-${index}=${(1_000 + index).toString(36)}.${'A'.repeat(22)}`,
    );
    const response = await visit('/', { cookie: verifiers.join('; ') });
    expect(response.headers.getSetCookie().map((line) => line.slice(0, line.indexOf(';')))).toEqual([
      'wos-auth-verifier-0=',
      'wos-auth-verifier-1=',
    ]);
  });
});

describe('a loopback alias of the configured origin (the redirect URI says localhost:3000)', () => {
  const on = (host: string, path: string, cookie?: string) =>
    pipeline.authProxy(
      new NextRequest(`http://${host}${path}`, {
        headers: { host, accept: 'text/html', ...(cookie ? { cookie: `wos-session=${cookie}` } : {}) },
      }),
    );

  it.each(['127.0.0.1:3000', '[::1]:3000'])(
    '%s: a signed-out visit goes through /auth/sign-in (which moves to the configured origin), not straight to WorkOS',
    async (host) => {
      const response = await on(host, '/projects?sort=name');
      expect(response.status).toBe(307);
      expect(response.headers.get('location')).toBe('http://localhost:3000/auth/sign-in?returnTo=%2Fprojects%3Fsort%3Dname');
      // No verifier cookie on the alias: the sign-in has not started.
      expect(response.headers.getSetCookie().filter((line) => line.startsWith('wos-auth-verifier'))).toEqual([]);
    },
  );

  it('on the configured origin itself, a signed-out visit goes straight to WorkOS as before', async () => {
    const response = await on('localhost:3000', '/projects');
    expect(response.headers.get('location')).toContain('/user_management/authorize?');
  });

  it('a signed-in visit on the alias is served as before (a session cookie set there stays usable)', async () => {
    const { cookie } = await signedInCookie();
    const response = await on('127.0.0.1:3000', '/dashboard', cookie);
    expect(response.headers.get('location')).toBeNull();
    expect(forwardedSeal(response)).toBeTruthy();
  });
});

describe('decide (step 4): the response for each outcome and path', () => {
  const headers = new Headers();
  const signedIn: SessionCheck = { state: 'signed-in', userId: 'user_1', headers };
  const signedOut: SessionCheck = { state: 'signed-out', headers, authorizationUrl: undefined };
  const rejected: SessionCheck = { state: 'rejected', reason: 'user_mismatch', headers, authorizationUrl: undefined };
  const fits: StoredSession = { fits: true };
  const tooLarge: StoredSession = { fits: false, reference: 'abcdefghjk' };

  it.each([
    ['signed in, a page', signedIn, fits, '/dashboard', { action: 'forward' }],
    ['signed in, an API route', signedIn, fits, '/api/me', { action: 'forward' }],
    ['signed out, a public page', signedOut, fits, '/', { action: 'forward' }],
    ['signed out, the error page', signedOut, fits, '/auth/error', { action: 'forward' }],
    ['signed out, a page', signedOut, fits, '/settings', { action: 'sign-in' }],
    ['signed out, an API route', signedOut, fits, '/api/me', { action: 'unauthorized' }],
    ['rejected, a public page', rejected, fits, '/', { action: 'forward' }],
    ['rejected, a page', rejected, fits, '/dashboard', { action: 'sign-in' }],
    ['refreshed too large, a public page', signedIn, tooLarge, '/', { action: 'session-too-large', reference: 'abcdefghjk' }],
    ['refreshed too large, a page', signedIn, tooLarge, '/dashboard', { action: 'session-too-large', reference: 'abcdefghjk' }],
    ['refreshed too large, an API route', signedIn, tooLarge, '/api/me', { action: 'unauthorized' }],
  ] as const)('%s', (_label, check, stored, path, expected) => {
    expect(pipeline.decide(check, stored, path)).toEqual(expected);
  });
});

describe('withJoinedSession (step 1)', () => {
  const joined = (cookie: string) => {
    const incoming = new NextRequest('http://localhost:3000/dashboard', { headers: { cookie } });
    return pipeline.withJoinedSession(incoming, new Headers(incoming.headers), 'wos-session').cookies;
  };

  it('joins chunks .0, .1 into the one cookie authkit reads, keeping the chunks for sign-out', () => {
    const cookies = joined('wos-session.1=def; wos-session.0=abc');
    expect(cookies.get('wos-session')?.value).toBe('abcdef');
    expect(cookies.get('wos-session.0')?.value).toBe('abc');
  });

  it('lets a non-empty single cookie win over chunks, and treats an empty one as no session', () => {
    expect(joined('wos-session=one; wos-session.0=abc').get('wos-session')?.value).toBe('one');
    expect(joined('wos-session=; wos-session.0=abc').get('wos-session')?.value).toBe('abc');
  });
});
