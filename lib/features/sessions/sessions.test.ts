/**
 * The sessions feature with the real SDK against the mock WorkOS over HTTP:
 * what the panel lists, what "sign out of other sessions" revokes, and when
 * the cached list is asked again.
 */
import { decodeJwt } from 'jose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEMO_PASSWORD, SEED_USER_IDS } from '@/e2e/mock-workos/seed';
import { CLIENT_ID, createPkce, signInWithPassword, useRunningMock } from '@/e2e/mock-workos/test-helpers';
import { UnexpectedWorkOSAnswerError } from '@/lib/auth';
import { isSessionRevoked } from '@/lib/auth/session/revoked-sessions';
import { TEST_ENV } from '@/test/auth-config';
import { deviceName, forgetCachedSessions, forgetSessionsOf, listActiveSessions, revokeOtherSessions } from './sessions';

const running = useRunningMock();

vi.mock('@/lib/auth/authkit/client', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  workos: () => running.workos,
}));

const user = { id: SEED_USER_IDS.member } as Parameters<typeof listActiveSessions>[0]['user'];

/** Signs the member in from a "browser" with this User-Agent; returns the WorkOS session id. */
async function signInFrom(userAgent: string): Promise<string> {
  const pkce = createPkce();
  const { code } = await signInWithPassword(running.mock.url, 'member@example.com', DEMO_PASSWORD, pkce);
  const { accessToken } = await running.workos.userManagement.authenticateWithCode({
    clientId: CLIENT_ID,
    code,
    codeVerifier: pkce.verifier,
    userAgent,
    ipAddress: '198.51.100.7',
  });
  return String(decodeJwt(accessToken).sid);
}

const listCalls = async () => (await running.control.requests({ userId: SEED_USER_IDS.member, endpoint: 'list_sessions' })).length;

// The revocation list reads the configuration (REDIS_URL: none here, so it is this process's).
beforeAll(() => Object.entries(TEST_ENV).forEach(([name, value]) => vi.stubEnv(name, value)));
afterAll(() => vi.unstubAllEnvs());

beforeEach(() => {
  forgetCachedSessions(SEED_USER_IDS.member);
  vi.spyOn(console, 'info').mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());

describe('deviceName', () => {
  it.each([
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36', 'Chrome on Linux'],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
      'Safari on iOS',
    ],
    ['Laptop/1.0', 'Unknown device'],
    ['', 'Unknown device'],
    [null, 'Unknown device'],
  ])('names %j %j', (userAgent, name) => {
    expect(deviceName(userAgent)).toBe(name);
  });
});

describe('listActiveSessions', () => {
  it("lists this browser's session first, then the others, as WorkOS describes them", async () => {
    const laptop = await signInFrom('Laptop/1.0');
    const phone = await signInFrom('Phone/2.0');

    const sessions = await listActiveSessions({ user, sessionId: laptop });

    expect(sessions.map(({ id, current, userAgent }) => ({ id, current, userAgent }))).toEqual([
      { id: laptop, current: true, userAgent: 'Laptop/1.0' },
      { id: phone, current: false, userAgent: 'Phone/2.0' },
    ]);
    expect(sessions[0]).toMatchObject({ ipAddress: '198.51.100.7', authMethod: 'password', device: 'Unknown device' });
    expect(sessions[0]?.createdAt).toBeInstanceOf(Date);
    expect(sessions[0]?.lastActiveAt).toBeInstanceOf(Date);
  });

  it('asks WorkOS once while the list is cached, and again after a sign-in or sign-out of that user', async () => {
    const laptop = await signInFrom('Laptop/1.0');
    await listActiveSessions({ user, sessionId: laptop });
    await listActiveSessions({ user, sessionId: laptop });
    expect(await listCalls()).toBe(1);

    await signInFrom('Phone/2.0');
    await forgetSessionsOf({ user: { ...user } });
    expect(await listActiveSessions({ user, sessionId: laptop })).toHaveLength(2);
    expect(await listCalls()).toBe(2);

    // A sign-out without a session (already gone) forgets nothing; this user's sign-out does.
    await forgetSessionsOf(null);
    await listActiveSessions({ user, sessionId: laptop });
    expect(await listCalls()).toBe(2);
    await forgetSessionsOf({ user: { ...user } });
    await listActiveSessions({ user, sessionId: laptop });
    expect(await listCalls()).toBe(3);
  });

  it('throws an UnexpectedWorkOSAnswerError naming the fields when an answer is oddly shaped, and caches nothing', async () => {
    const laptop = await signInFrom('Laptop/1.0');
    await running.control.injectFault({
      endpoint: 'list_sessions',
      match: { userId: SEED_USER_IDS.member },
      action: { type: 'alter_fields', omit: ['data[].user_agent'] },
    });

    const failure = listActiveSessions({ user, sessionId: laptop });
    await expect(failure).rejects.toBeInstanceOf(UnexpectedWorkOSAnswerError);
    await expect(failure).rejects.toMatchObject({ fields: ['data.0.userAgent'] });
    expect(await listActiveSessions({ user, sessionId: laptop })).toHaveLength(1);
  });
});

describe('revokeOtherSessions', () => {
  it('revokes every other active session and keeps this one', async () => {
    const laptop = await signInFrom('Laptop/1.0');
    const phone = await signInFrom('Phone/2.0');
    const tablet = await signInFrom('Tablet/3.0');

    expect(await revokeOtherSessions({ user, sessionId: laptop })).toEqual({ revoked: 2, failed: 0 });

    const ended = (await running.control.listSessions({ userId: SEED_USER_IDS.member }))
      .filter((session) => session.endedAt !== null)
      .map(({ id }) => id);
    expect(ended.sort()).toEqual([phone, tablet].sort());
    expect((await listActiveSessions({ user, sessionId: laptop })).map(({ id }) => id)).toEqual([laptop]);
    // Refused at once by this app, though their access tokens are still valid.
    expect([laptop, phone, tablet].map(isSessionRevoked)).toEqual([false, true, true]);
  });

  it('reads a fresh list, not the cached one: a session that started a moment ago goes too', async () => {
    const laptop = await signInFrom('Laptop/1.0');
    await listActiveSessions({ user, sessionId: laptop });
    const phone = await signInFrom('Phone/2.0');

    expect(await revokeOtherSessions({ user, sessionId: laptop })).toEqual({ revoked: 1, failed: 0 });
    expect((await running.control.listSessions({ userId: SEED_USER_IDS.member })).find(({ id }) => id === phone)?.endedAt).toEqual(
      expect.any(String),
    );
  });

  it('counts a revocation WorkOS refuses, and still revokes the rest', async () => {
    const laptop = await signInFrom('Laptop/1.0');
    await signInFrom('Phone/2.0');
    await signInFrom('Tablet/3.0');
    await running.control.injectFault({
      endpoint: 'revoke_session',
      match: { userId: SEED_USER_IDS.member },
      action: { type: 'status', status: 500, body: { message: 'injected' } },
    });

    expect(await revokeOtherSessions({ user, sessionId: laptop })).toEqual({ revoked: 1, failed: 1 });
    expect(await listActiveSessions({ user, sessionId: laptop })).toHaveLength(2);
    expect(JSON.parse(String(vi.mocked(console.info).mock.calls.at(-1)?.[0]))).toMatchObject({
      event: 'other_sessions_revoked',
      userId: SEED_USER_IDS.member,
      sessionId: laptop,
      revoked: 1,
      failed: 1,
    });
  });

  it('refuses, revoking nothing, for an impersonated session (support must not sign the user out of their devices)', async () => {
    const laptop = await signInFrom('Laptop/1.0');
    await signInFrom('Phone/2.0');
    await expect(
      revokeOtherSessions({ user, sessionId: laptop, impersonator: { email: 'support@example.com', reason: null } }),
    ).rejects.toThrow('not while impersonating');
    expect(await running.control.requests({ endpoint: 'revoke_session' })).toEqual([]);
  });

  it('refuses, revoking nothing, when the current session has no id (it would sign this browser out too)', async () => {
    await signInFrom('Laptop/1.0');
    await expect(revokeOtherSessions({ user, sessionId: '' })).rejects.toThrow('the current session has no id');
    expect(await running.control.requests({ endpoint: 'revoke_session' })).toEqual([]);
  });
});
