/**
 * What the adapter's files rely on in authkit-nextjs and iron-session, pinned
 * against the installed versions with the real authkit and the mock WorkOS.
 * Each failure names the file to revisit: an upgrade that fixes a behaviour
 * upstream turns that file into one to delete (its header says when).
 * (client.ts and session-header.ts are pinned in client.test.ts, the memo in
 * verified-sessions.test.ts.)
 */
import { sealData } from 'iron-session';
import { NextRequest } from 'next/server';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { COOKIE_PASSWORD, useAuthkitAgainstMock } from '../../../test/authkit-against-mock';
import { getPKCECookieNameForState } from '../../../e2e/security/pkce-name';

const { running, signedInCookie } = useAuthkitAgainstMock();
let authkitNextjs: typeof import('@workos-inc/authkit-nextjs');

beforeAll(async () => {
  authkitNextjs = await import('@workos-inc/authkit-nextjs');
});

const where = (file: string) =>
  `lib/auth/authkit/${file} relies on this; the installed authkit-nextjs changed it: revisit (or delete) that file`;
const request = (cookie: string, path = '/dashboard') =>
  new NextRequest(`http://localhost:3000${path}`, { headers: { cookie: `wos-session=${cookie}` } });
const options = { redirectUri: 'http://localhost:3000/api/auth/callback' };

describe('proxy-session.ts', () => {
  it('authkit() throws on a cookie shaped like a seal but broken, instead of treating the visitor as signed out', async () => {
    await expect(authkitNextjs.authkit(request('Fe26.2*1*a*b*c*d*e*f'), options), where('proxy-session.ts')).rejects.toThrow();
  });

  it("authkit() accepts a session whose sealed user is not the access token's subject (only withAuth() binds them)", async () => {
    const { sealed } = await signedInCookie();
    const forged = await sealData({ ...sealed, user: { ...sealed.user, id: 'user_someone_else' } }, { password: COOKIE_PASSWORD, ttl: 0 });
    const { session } = await authkitNextjs.authkit(request(forged), options);
    expect(session.user?.id, where('proxy-session.ts')).toBe('user_someone_else');
  });
});

describe('session-chunks.ts and cookie-attributes.ts', () => {
  it('authkit() writes a refreshed session as one cookie whatever its size, with its own attributes', async () => {
    const permissions = Array.from({ length: 150 }, (_, index) => `upstream:permission-number-${index}`);
    await running.control.createRole({ slug: 'upstream-large', permissions });
    const { cookie } = await signedInCookie({ accessTokenTtlSeconds: 20, role: 'upstream-large' });
    const { headers } = await authkitNextjs.authkit(request(cookie), options);
    const written = headers.getSetCookie().filter((line) => line.startsWith('wos-session'));
    expect(written, where('session-chunks.ts')).toHaveLength(1);
    expect(written[0]!.indexOf(';'), where('session-chunks.ts')).toBeGreaterThan(4096);
    // Its own lifetime and no Domain or Secure of the deployment's (cookie-attributes.ts sets those per origin).
    expect(written[0], where('cookie-attributes.ts')).toMatch(/; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/);
  });

  it('authkit() deletes a session whose refresh is refused with Max-Age=0, which Next drops when it re-parses the line', async () => {
    const { cookie, sessionId } = await signedInCookie();
    await running.workos.userManagement.revokeSession({ sessionId });
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 3_600_000 });
    const { headers } = await authkitNextjs.authkit(request(cookie), options).finally(() => vi.useRealTimers());
    expect(
      headers.getSetCookie().filter((line) => line.startsWith('wos-session=')),
      where('cookie-attributes.ts'),
    ).toEqual([expect.stringMatching(/^wos-session=; .*Max-Age=0/)]);
  });
});

describe('verifier-cookies.ts', () => {
  it('handleAuth() compares the verifier cookie to the returned state for equality: a light value alone is refused', async () => {
    const state = 'Fe26.2**state*for*the*pin';
    let failure: unknown;
    const handler = authkitNextjs.handleAuth({
      baseURL: 'http://localhost:3000',
      onError: ({ error }) => {
        failure = error;
        return new Response(null, { status: 400 });
      },
    });
    const callback = new NextRequest(`http://localhost:3000/api/auth/callback?code=c&state=${encodeURIComponent(state)}`, {
      headers: { cookie: `${getPKCECookieNameForState(state)}=mjx0.AAAAAAAAAAAAAAAAAAAAAA` },
    });
    await handler(callback);
    expect(failure, where('verifier-cookies.ts')).toBeInstanceOf(authkitNextjs.CallbackError);
    expect((failure as InstanceType<typeof authkitNextjs.CallbackError>).code, where('verifier-cookies.ts')).toBe('oauth_state_mismatch');
  });
});

describe('callback-error-log.ts', () => {
  it('handleAuth() logs a failed callback itself, console.error with its prefix and the error, before handing that error to onError', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    let failure: unknown;
    const handler = authkitNextjs.handleAuth({
      onError: ({ error: reported }) => {
        failure = reported;
        return new Response(null, { status: 303 });
      },
    });
    await handler(new NextRequest('http://localhost:3000/api/auth/callback?state=abc'));
    const calls = [...error.mock.calls];
    error.mockRestore();
    expect(failure, where('callback-error-log.ts')).toBeInstanceOf(authkitNextjs.CallbackError);
    expect(calls, where('callback-error-log.ts')).toEqual([['[AuthKit callback error]', failure]]);
  });
});

describe('refresh-single-flight.ts', () => {
  it('authkit() refreshes through getWorkOS().userManagement.authenticateWithRefreshToken, the method client.ts replaces: racing requests, one refresh', async () => {
    (await import('./client')).workos();
    const { cookie, userId } = await signedInCookie({ accessTokenTtlSeconds: 20 });
    const answers = await Promise.all([authkitNextjs.authkit(request(cookie), options), authkitNextjs.authkit(request(cookie), options)]);
    const written = answers.map(({ headers }) => headers.getSetCookie().find((line) => line.startsWith('wos-session=')));
    expect(written[0], where('refresh-single-flight.ts')).toMatch(/^wos-session=Fe26\.2\*/);
    expect(written[1], where('refresh-single-flight.ts')).toMatch(/^wos-session=Fe26\.2\*/);
    const refreshes = (await running.control.requests({ userId, endpoint: 'authenticate' })).filter(
      (entry) => entry.grantType === 'refresh_token',
    );
    expect(refreshes, where('refresh-single-flight.ts')).toHaveLength(1);
  });
});
