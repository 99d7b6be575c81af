/**
 * checkSession's own decisions around authkit's answer (authkit itself against the
 * mock is lib/auth/session/proxy-pipeline.test.ts): here authkit answers what each
 * test says, so every outcome is reached on purpose.
 */
import { sealData } from 'iron-session';
import { NextRequest } from 'next/server';
import { decodeJwt } from 'jose';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { forgetVerifiedSessions } from './verified-sessions';
import { checkSession, recallSession } from './proxy-session';

type Answer = { session: { user?: { id: string }; accessToken?: string }; headers: Headers; authorizationUrl?: string };

/** What authkit answers (or throws) for each request, in order. */
const authkit = vi.hoisted(() => ({ answers: [] as Array<Answer | Error>, seen: [] as Array<string | undefined> }));
vi.mock('@workos-inc/authkit-nextjs', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  authkit: async (request: NextRequest) => {
    authkit.seen.push(request.cookies.get('wos-session')?.value);
    const answer = authkit.answers.shift();
    if (!answer) throw new Error('no answer left');
    if (answer instanceof Error) throw answer;
    return answer;
  },
}));
vi.mock('./client', () => ({ throughBoundedClient: (fn: unknown) => fn }));
// Token decodes, counted.
vi.mock('jose', async (importOriginal) => {
  const original = await importOriginal<typeof import('jose')>();
  return { ...original, decodeJwt: vi.fn(original.decodeJwt) };
});

const PASSWORD = 'proxy-session-test-password-0123456789';
const options = { cookieName: 'wos-session', cookiePassword: PASSWORD, redirectUri: 'https://app.example.com/api/auth/callback' };
const URL = 'https://app.example.com/dashboard';

/** An unsigned access token (checkSession reads claims; authkit verified the signature). */
const token = (sub: string) =>
  `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub, exp: Math.floor(Date.now() / 1000) + 3600 })).toString('base64url')}.`;
const request = (cookie?: string) => new NextRequest(URL, { headers: cookie === undefined ? {} : { cookie: `wos-session=${cookie}` } });
const sealedFor = (userId: string) => sealData({ user: { id: userId }, accessToken: token(userId) }, { password: PASSWORD, ttl: 0 });
/** authkit's answer for a valid cookie, served as is (what the memo may keep). */
const valid = (cookie: string, userId: string, extra: Record<string, string> = {}): Answer => ({
  session: { user: { id: userId }, accessToken: token(userId) },
  headers: new Headers({ 'x-workos-session': cookie, ...extra }),
});
const refreshed = (userId: string, setCookie = 'wos-session=new-seal; Path=/; HttpOnly'): Answer => {
  const headers = new Headers({ 'x-workos-session': 'new-seal' });
  headers.append('set-cookie', setCookie);
  return { session: { user: { id: userId }, accessToken: token(userId) }, headers };
};

beforeEach(() => {
  authkit.answers.length = 0;
  authkit.seen.length = 0;
  forgetVerifiedSessions();
});
afterEach(() => vi.restoreAllMocks());

describe('checkSession', () => {
  it('signed in: the token is about the sealed user; the answer is remembered for this exact cookie', async () => {
    const cookie = await sealedFor('user_a');
    authkit.answers.push(valid(cookie, 'user_a'));
    expect(await checkSession(request(cookie), options)).toMatchObject({ state: 'signed-in', userId: 'user_a' });
    expect(recallSession(cookie, PASSWORD, URL)?.headers.get('x-workos-session')).toBe(cookie);
    // The next request with the same cookie is answered from the memo: authkit is not asked again.
    expect(await checkSession(request(cookie), options)).toMatchObject({ state: 'signed-in', userId: 'user_a' });
    expect(authkit.seen).toEqual([cookie]);
  });

  it('a remembered session gives its session id, decoded once per entry however often it is recalled', async () => {
    const cookie = await sealedFor('user_sid');
    const accessToken = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(
      JSON.stringify({ sub: 'user_sid', sid: 'session_sid', exp: Math.floor(Date.now() / 1000) + 3600 }),
    ).toString('base64url')}.`;
    authkit.answers.push({ session: { user: { id: 'user_sid' }, accessToken }, headers: new Headers({ 'x-workos-session': cookie }) });
    await checkSession(request(cookie), options);
    const decodes = () => vi.mocked(decodeJwt).mock.calls.filter(([token]) => token === accessToken).length;
    const before = decodes();
    expect(recallSession(cookie, PASSWORD, URL)?.sessionId).toBe('session_sid');
    expect(await checkSession(request(cookie), options)).toMatchObject({ state: 'signed-in', sessionId: 'session_sid' });
    expect(recallSession(cookie, PASSWORD, URL)?.sessionId).toBe('session_sid');
    expect(decodes() - before).toBe(1);
  });

  it('signed out: no user, or no access token; authkit’s prepared sign-in kept', async () => {
    authkit.answers.push(
      { session: {}, headers: new Headers(), authorizationUrl: 'https://authkit.example/authorize' },
      { session: { user: { id: 'user_a' } }, headers: new Headers(), authorizationUrl: undefined },
    );
    expect(await checkSession(request(), options)).toMatchObject({
      state: 'signed-out',
      authorizationUrl: 'https://authkit.example/authorize',
    });
    expect(await checkSession(request(), options)).toMatchObject({ state: 'signed-out' });
  });

  it('rejects a token whose subject is not the sealed user', async () => {
    const cookie = await sealedFor('user_a');
    authkit.answers.push({ ...valid(cookie, 'user_a'), session: { user: { id: 'user_a' }, accessToken: token('user_b') } });
    expect(await checkSession(request(cookie), options)).toMatchObject({ state: 'rejected', reason: 'user_mismatch' });
    expect(recallSession(cookie, PASSWORD, URL)).toBeUndefined();
  });

  it('accepts a refresh for the same user, without remembering it (the browser gets a new cookie)', async () => {
    const cookie = await sealedFor('user_a');
    authkit.answers.push(refreshed('user_a'));
    expect(await checkSession(request(cookie), options)).toMatchObject({ state: 'signed-in', userId: 'user_a' });
    expect(recallSession(cookie, PASSWORD, URL)).toBeUndefined();
  });

  it('rejects a refresh that answers with another user than the cookie held', async () => {
    const cookie = await sealedFor('user_a');
    authkit.answers.push(refreshed('user_b'));
    expect(await checkSession(request(cookie), options)).toMatchObject({
      state: 'rejected',
      reason: 'user_mismatch',
      authorizationUrl: undefined,
    });
  });

  it('a Set-Cookie that deletes the session, or sets another cookie, is not a refresh', async () => {
    const cookie = await sealedFor('user_a');
    // Not a refresh, so the sealed user is not compared: a valid answer for user_b's token and user stays signed in as user_b.
    for (const setCookie of ['wos-session=; Path=/; Max-Age=0', 'wos-session-other=x; Path=/', 'other=wos-session; Path=/']) {
      authkit.answers.push(refreshed('user_b', setCookie));
      expect(await checkSession(request(cookie), options), setCookie).toMatchObject({ state: 'signed-in', userId: 'user_b' });
    }
  });

  it('an unreadable cookie: authkit asked again without it, the outcome rejected; with no cookie at all, authkit’s error stands', async () => {
    authkit.answers.push(new Error('seal broken'), {
      session: {},
      headers: new Headers(),
      authorizationUrl: 'https://authkit.example/authorize',
    });
    expect(await checkSession(request('Fe26.2*broken'), options)).toMatchObject({
      state: 'rejected',
      reason: 'unreadable_cookie',
      authorizationUrl: 'https://authkit.example/authorize',
    });
    expect(authkit.seen).toEqual(['Fe26.2*broken', undefined]);

    authkit.answers.push(new Error('authkit failed'));
    await expect(checkSession(request(), options)).rejects.toThrow('authkit failed');
  });
});
