/**
 * getSession() against what the proxy forwards: the proof, the unseal memo and
 * the access token's claims, decoded once per sealed session but checked for
 * expiry on every read. Then what reads it: the helpers pages and actions use,
 * step-up (recent-auth.ts) and the server actions of authkit's client
 * components (authkit/client-actions.ts).
 */
import { sealData } from 'iron-session';
import { SignJWT, decodeJwt, generateKeyPair } from 'jose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

const PASSWORD = 'session-forwarded-test-password-0123456789';
const USER = { object: 'user', id: 'user_forwarded', email: 'forwarded@example.com', firstName: 'Fo', lastName: null };

let forwarded = new Headers();
vi.mock('next/headers', () => ({ headers: async () => forwarded }));
/** Next's control flow, as the calls the helpers make (each throws, as Next's do). */
const next = vi.hoisted(() => ({
  redirect: vi.fn((url: string) => {
    throw new Error(`redirect ${url}`);
  }),
  forbidden: vi.fn(() => {
    throw new Error('forbidden');
  }),
  revalidatePath: vi.fn(),
  // Next's own redirect (thrown above) passes through; anything else is the caller's to handle.
  unstable_rethrow: vi.fn((error: unknown) => {
    if (error instanceof Error && error.message.startsWith('redirect ')) throw error;
  }),
  refreshSession: vi.fn(async (): Promise<unknown> => undefined),
  switchToOrganization: vi.fn(async (): Promise<unknown> => undefined),
  deleteSession: vi.fn(async () => undefined),
  getOrganization: vi.fn(async (): Promise<unknown> => null),
}));
/** Calls forgotten, and each stand-in back to its own implementation (vi.fn's), after a test replaced it. */
const resetNext = () => {
  for (const fn of Object.values(next)) fn.mockReset();
};
vi.mock('next/navigation', () => ({ redirect: next.redirect, forbidden: next.forbidden, unstable_rethrow: next.unstable_rethrow }));
vi.mock('next/cache', () => ({ revalidatePath: next.revalidatePath }));
vi.mock('../authkit', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  refreshSession: next.refreshSession,
  switchToOrganization: next.switchToOrganization,
  deleteSession: next.deleteSession,
}));
vi.mock('../authkit/workos-api', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  getOrganization: next.getOrganization,
}));
vi.mock('@workos-inc/authkit-nextjs', async (importOriginal) => {
  const original = await importOriginal<typeof import('@workos-inc/authkit-nextjs')>();
  return { ...original, getTokenClaims: vi.fn(original.getTokenClaims) };
});

let session: typeof import('./read');
let decodes: ReturnType<typeof vi.fn>;
let proofs: typeof import('../authkit/session-header');
let privateKey: CryptoKey;

beforeAll(async () => {
  vi.stubEnv('WORKOS_CLIENT_ID', 'client_forwarded');
  vi.stubEnv('WORKOS_API_KEY', 'sk_test_forwarded');
  vi.stubEnv('WORKOS_COOKIE_PASSWORD', PASSWORD);
  vi.stubEnv('NEXT_PUBLIC_WORKOS_REDIRECT_URI', 'http://localhost:3000/api/auth/callback');
  privateKey = (await generateKeyPair('RS256')).privateKey;
  session = await import('./read');
  proofs = await import('../authkit/session-header');
  decodes = vi.mocked((await import('@workos-inc/authkit-nextjs')).getTokenClaims) as unknown as ReturnType<typeof vi.fn>;
});

afterEach(() => {
  vi.useRealTimers();
  decodes.mockClear();
});

afterAll(() => vi.unstubAllEnvs());

/** A sealed session whose access token expires `lifetimeSeconds` from now. */
async function sealedSession(
  lifetimeSeconds: number,
  claims: Record<string, unknown> = { sid: 'session_forwarded', org_id: 'org_forwarded', permissions: ['posts:read'] },
  { subject = USER.id, user = USER }: { subject?: string; user?: typeof USER } = {},
): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  const token = new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' });
  const accessToken = await (subject ? token.setSubject(subject) : token)
    .setIssuedAt(iat)
    .setExpirationTime(iat + lifetimeSeconds)
    .sign(privateKey);
  return sealData(
    { accessToken, refreshToken: 'refresh_forwarded', user, authenticationMethod: 'Password' },
    { password: PASSWORD, ttl: 0 },
  );
}

/** What the proxy forwards for `seal` now: the seal, the return path and a fresh proof. */
function forwardFromProxy(seal: string | undefined, returnTo = '/dashboard'): void {
  forwarded = new Headers({
    ...(seal ? { 'x-workos-session': seal } : {}),
    [proofs.RETURN_TO_HEADER]: returnTo,
    [proofs.PROXY_PROOF_HEADER]: proofs.createProxyProof({ seal, returnTo }, PASSWORD),
  });
}

describe('getSession', () => {
  it('decodes the access token once per sealed session, and hands out frozen data', async () => {
    const seal = await sealedSession(300);
    forwardFromProxy(seal);
    const first = await session.getSession();
    forwardFromProxy(seal);
    const second = await session.getSession();
    expect(first?.user.id).toBe(USER.id);
    expect(first?.sessionId).toBe('session_forwarded');
    expect(first?.permissions).toEqual(['posts:read']);
    expect(second).toEqual(first);
    expect(decodes).toHaveBeenCalledTimes(1);
    expect(() => second?.permissions.push('admin:all')).toThrow(TypeError);
  });

  it('still refuses the token once it has expired, though its claims were decoded before', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const seal = await sealedSession(30);
    forwardFromProxy(seal);
    expect((await session.getSession())?.user.id).toBe(USER.id);
    // 31 s on: the unseal memo (60 s) and the decoded claims still hold this seal; a fresh proof comes with the request.
    vi.setSystemTime(Date.now() + 31_000);
    forwardFromProxy(seal);
    expect(await session.getSession()).toBeNull();
    expect(decodes).toHaveBeenCalledTimes(1);
  });

  it('fills what the token leaves out: no session id, roles from the one role, empty lists', async () => {
    forwardFromProxy(await sealedSession(300, { role: 'member' }));
    expect(await session.getSession()).toMatchObject({
      sessionId: '',
      organizationId: undefined,
      role: 'member',
      roles: ['member'],
      permissions: [],
      entitlements: [],
      featureFlags: [],
    });
    forwardFromProxy(await sealedSession(300, {}));
    expect(await session.getSession()).toMatchObject({ role: undefined, roles: [], permissions: [] });
  });

  it('refuses a token whose subject is not the sealed user, or that has no subject (withAuth()’s rule)', async () => {
    forwardFromProxy(await sealedSession(300, undefined, { subject: 'user_someone_else' }));
    expect(await session.getSession()).toBeNull();
    forwardFromProxy(await sealedSession(300, undefined, { subject: '' }));
    expect(await session.getSession()).toBeNull();
    // Not even when the sealed user has no id either.
    forwardFromProxy(await sealedSession(300, undefined, { subject: '', user: { ...USER, id: undefined } as unknown as typeof USER }));
    expect(await session.getSession()).toBeNull();
  });

  it('serves the token until the millisecond before its exp, not at it', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: 1_800_000_000_500 });
    const seal = await sealedSession(30);
    // exp = the whole second of issue + 30 s.
    const expiresAt = 1_800_000_030_000;
    vi.setSystemTime(expiresAt - 1);
    forwardFromProxy(seal);
    expect((await session.getSession())?.user.id).toBe(USER.id);
    vi.setSystemTime(expiresAt);
    forwardFromProxy(seal);
    expect(await session.getSession()).toBeNull();
  });

  it('trusts nothing without the proxy’s proof', async () => {
    forwarded = new Headers({ 'x-workos-session': await sealedSession(300), [proofs.RETURN_TO_HEADER]: '/dashboard' });
    expect(await session.getSession()).toBeNull();
  });

  it('refuses a session this app signed out, though the proxy forwarded it with a proof (a revocation arrived meanwhile)', async () => {
    // A session id of its own: the revocation list is per process, and the other tests use session_forwarded.
    const seal = await sealedSession(600, { sid: 'session_revoked_here', permissions: ['posts:read'] });
    forwardFromProxy(seal);
    const before = await session.getSession();
    if (!before) throw new Error('the forwarded session should read');
    expect(Number(before.accessTokenExpiresAt) - Number(before.accessTokenIssuedAt)).toBe(600_000);
    const { addRevokedSession, revokedUntil } = await import('./revoked-sessions');
    await addRevokedSession('session_revoked_here', revokedUntil(before));
    forwardFromProxy(seal);
    expect(await session.getSession()).toBeNull();
  });
});

describe('the helpers pages and actions use', () => {
  afterEach(() => {
    resetNext();
  });

  it('requirePermission: the session when it holds the permission, the 403 page otherwise', async () => {
    forwardFromProxy(await sealedSession(300));
    expect((await session.requirePermission('posts:read')).user.id).toBe(USER.id);
    await expect(session.requirePermission('users:manage')).rejects.toThrow('forbidden');
    expect(next.forbidden).toHaveBeenCalledTimes(1);
  });

  it('requireSession: without a session, sign-in that comes back to the page the proxy saw', async () => {
    forwardFromProxy(undefined, '/projects?tab=2');
    await expect(session.requireSession()).rejects.toThrow('redirect /auth/sign-in?returnTo=%2Fprojects%3Ftab%3D2');
    // A render the proxy never saw comes back to the dashboard.
    forwarded = new Headers();
    await expect(session.requireSession()).rejects.toThrow('redirect /auth/sign-in?returnTo=%2Fdashboard');
  });

  it('refreshSessionNow: refreshes now (signed in or sign-in), then shows the same page again, fresh', async () => {
    forwardFromProxy(await sealedSession(300), '/dashboard/admin?tab=2');
    await expect(session.refreshSessionNow()).rejects.toThrow('redirect /dashboard/admin?tab=2');
    expect(next.refreshSession.mock.calls).toEqual([[{ ensureSignedIn: true }]]);
    expect(next.revalidatePath.mock.calls).toEqual([['/dashboard/admin']]);
  });
});

describe('a refresh at WorkOS that fails, from a server action', () => {
  let TokenRefreshError: typeof import('@workos-inc/authkit-nextjs').TokenRefreshError;
  const logged = () => vi.mocked(console.warn).mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);
  beforeAll(async () => {
    ({ TokenRefreshError } = await import('@workos-inc/authkit-nextjs'));
  });
  beforeEach(() => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    resetNext();
  });

  it('refused by WorkOS (invalid_grant): the session is deleted, and sign-in comes back to the page without the old notice', async () => {
    forwardFromProxy(await sealedSession(300), '/dashboard?tab=2&refresh=failed&ref=old');
    next.refreshSession.mockRejectedValueOnce(new TokenRefreshError('refresh failed', { error: 'invalid_grant' }));
    await expect(session.refreshSessionNow()).rejects.toThrow('redirect /auth/sign-in?returnTo=%2Fdashboard%3Ftab%3D2');
    expect(next.deleteSession).toHaveBeenCalledTimes(1);
    expect(logged()).toEqual([expect.objectContaining({ event: 'session_refresh_failed', transient: false })]);
  });

  it('failing for now (a dropped connection): the session is kept, and the page comes back with the notice and the logged reference', async () => {
    forwardFromProxy(await sealedSession(300), '/dashboard?tab=2&refresh=failed&ref=old');
    next.refreshSession.mockRejectedValueOnce(new TypeError('fetch failed'));
    const redirected = await session.refreshSessionNow().catch((error: Error) => error.message);
    const [line] = logged();
    expect(line).toMatchObject({ event: 'session_refresh_failed', transient: true, reason: 'TypeError' });
    expect(redirected).toBe(`redirect /dashboard?tab=2&refresh=failed&ref=${String(line?.reference)}`);
    expect(String(line?.reference)).toMatch(/^[a-hjkmnp-z2-9]{10}$/);
    expect(next.deleteSession).not.toHaveBeenCalled();
  });

  it('a refresh that works after a failed one shows the page without the old notice', async () => {
    forwardFromProxy(await sealedSession(300), '/dashboard?refresh=failed&ref=old&tab=2');
    await expect(session.refreshSessionNow()).rejects.toThrow('redirect /dashboard?tab=2');
    expect(logged()).toEqual([]);
  });

  it('switchOrganization: switches at WorkOS, lets Next’s redirect through, and comes back with its notice when WorkOS fails', async () => {
    next.switchToOrganization.mockRejectedValueOnce(new Error('redirect /projects'));
    await expect(session.switchOrganization('org_2', '/projects', 'switch')).rejects.toThrow('redirect /projects');
    expect(next.switchToOrganization.mock.calls).toEqual([['org_2', { returnTo: '/projects' }]]);
    next.switchToOrganization.mockRejectedValueOnce(Object.assign(new Error('Too Many Requests'), { status: 429 }));
    const redirected = await session.switchOrganization('org_2', '/projects', 'switch').catch((error: Error) => error.message);
    expect(redirected).toBe(`redirect /projects?switch=failed&ref=${String(logged()[0]?.reference)}`);
  });
});

describe('step-up (recent-auth.ts) on the forwarded session', () => {
  let recent: typeof import('./recent-auth');
  const NOW_SECONDS = 1_800_000_000;
  /** A forwarded session whose last interactive sign-in was `secondsAgo` seconds ago (none for `undefined`). */
  const signedInAgo = async (secondsAgo: number | undefined, returnTo = '/dashboard/api-access') => {
    const authTime = secondsAgo === undefined ? {} : { auth_time: NOW_SECONDS - secondsAgo };
    forwardFromProxy(await sealedSession(300, { sid: 'session_forwarded', ...authTime }), returnTo);
  };
  beforeAll(async () => {
    recent = await import('./recent-auth');
  });
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW_SECONDS * 1000 });
  });
  afterEach(() => {
    resetNext();
  });

  it('is ten minutes for this app’s sensitive actions', () => {
    expect(recent.STEP_UP_MAX_AGE_SECONDS).toBe(600);
  });

  it('checkRecentAuth: recent up to maxAge seconds after the sign-in, stale a second later, without auth_time and signed out', async () => {
    const authenticatedAt = new Date((NOW_SECONDS - 600) * 1000);
    await signedInAgo(600);
    expect(await recent.checkRecentAuth({ maxAge: 600 })).toEqual({ isStale: false, authenticatedAt });
    expect(await recent.checkRecentAuth({ maxAge: 599 })).toEqual({ isStale: true, authenticatedAt });
    await signedInAgo(undefined);
    expect(await recent.checkRecentAuth({ maxAge: 600 })).toEqual({ isStale: true, authenticatedAt: undefined });
    forwardFromProxy(undefined);
    expect(await recent.checkRecentAuth({ maxAge: 600 })).toEqual({ isStale: true, authenticatedAt: undefined });
  });

  it('requireRecentAuth: the session when recent; else sign-in again with max_age, back to this page; signed out, the usual sign-in', async () => {
    await signedInAgo(600);
    expect(await recent.requireRecentAuth({ maxAge: 600 })).toMatchObject({ user: { id: USER.id }, sessionId: 'session_forwarded' });
    await expect(recent.requireRecentAuth({ maxAge: 599 })).rejects.toThrow(
      'redirect /auth/sign-in?returnTo=%2Fdashboard%2Fapi-access&maxAge=599',
    );
    forwardFromProxy(undefined, '/dashboard/api-access');
    await expect(recent.requireRecentAuth({ maxAge: 600 })).rejects.toThrow('redirect /auth/sign-in?returnTo=%2Fdashboard%2Fapi-access');
    expect(next.redirect.mock.calls).toEqual([
      ['/auth/sign-in?returnTo=%2Fdashboard%2Fapi-access&maxAge=599'],
      ['/auth/sign-in?returnTo=%2Fdashboard%2Fapi-access'],
    ]);
  });
});

describe("the server actions of authkit's client components (authkit/client-actions.ts)", () => {
  let actions: typeof import('../authkit/client-actions');
  let TokenRefreshError: typeof import('@workos-inc/authkit-nextjs').TokenRefreshError;
  const references = () => vi.mocked(console.warn).mock.calls.map(([line]) => String(JSON.parse(String(line)).reference));
  const refused = () => new TokenRefreshError('refresh failed', { error: 'invalid_grant' });
  /** The forwarded session (sealedSession's defaults), as the browser may know it. */
  const CLIENT_AUTH = {
    user: { id: USER.id, email: USER.email, emailVerified: undefined, firstName: 'Fo', lastName: null, profilePictureUrl: undefined },
    sessionId: 'session_forwarded',
    organizationId: 'org_forwarded',
    role: undefined,
    roles: [],
    permissions: ['posts:read'],
    entitlements: [],
    featureFlags: [],
    impersonator: undefined,
  };
  const IMPERSONATOR = { email: 'support@example.com', reason: 'ticket 42' };
  /** What authkit's refreshSession() returns: the user, a new access token (in another organization) and the impersonator. */
  async function refreshed() {
    const accessToken = await new SignJWT({ sid: 'session_forwarded', org_id: 'org_other', role: 'admin', permissions: ['users:manage'] })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject(USER.id)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    return { user: USER, accessToken, impersonator: IMPERSONATOR };
  }
  const REFRESHED_CLIENT_AUTH = {
    ...CLIENT_AUTH,
    organizationId: 'org_other',
    role: 'admin',
    roles: ['admin'],
    permissions: ['users:manage'],
    impersonator: IMPERSONATOR,
  };
  const signedIn = async (returnTo = '/projects') => forwardFromProxy(await sealedSession(300), returnTo);
  const signedOut = (returnTo = '/projects') => forwardFromProxy(undefined, returnTo);

  beforeAll(async () => {
    actions = await import('../authkit/client-actions');
    ({ TokenRefreshError } = await import('@workos-inc/authkit-nextjs'));
  });
  beforeEach(() => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    resetNext();
  });

  it('checkSessionAction: true (the proxy answered for a request without a session)', async () => {
    expect(await actions.checkSessionAction()).toBe(true);
  });

  it('getAuthAction: the session as the browser may know it; signed out, where to sign in only when asked to ensure one', async () => {
    await signedIn();
    expect(await actions.getAuthAction()).toStrictEqual(CLIENT_AUTH);
    expect(await actions.getAuthAction({ ensureSignedIn: true })).toStrictEqual(CLIENT_AUTH);
    signedOut();
    expect(await actions.getAuthAction()).toStrictEqual({ user: null });
    expect(await actions.getAuthAction({ ensureSignedIn: false })).toStrictEqual({ user: null });
    expect(await actions.getAuthAction({ ensureSignedIn: true })).toStrictEqual({
      user: null,
      signInUrl: '/auth/sign-in?returnTo=%2Fprojects',
    });
  });

  it('refreshAuthAction: refreshes into the organization asked for, and answers with the refreshed session', async () => {
    await signedIn();
    next.refreshSession.mockResolvedValueOnce(await refreshed());
    expect(await actions.refreshAuthAction({ organizationId: 'org_other' })).toStrictEqual(REFRESHED_CLIENT_AUTH);
    expect(next.refreshSession.mock.calls).toEqual([[{ organizationId: 'org_other' }]]);
  });

  it('refreshAuthAction: without a session it asks WorkOS nothing; where to sign in only when asked to ensure one', async () => {
    signedOut();
    expect(await actions.refreshAuthAction()).toStrictEqual({ user: null });
    expect(await actions.refreshAuthAction({ ensureSignedIn: true })).toStrictEqual({
      user: null,
      signInUrl: '/auth/sign-in?returnTo=%2Fprojects',
    });
    expect(next.refreshSession).not.toHaveBeenCalled();
  });

  it('refreshAuthAction: a refresh that yields no user or no access token is no session', async () => {
    await signedIn();
    const { user, accessToken } = await refreshed();
    next.refreshSession.mockResolvedValueOnce({ user: null }).mockResolvedValueOnce({ user, accessToken: undefined });
    next.refreshSession.mockResolvedValueOnce({ user: null, accessToken });
    expect(await actions.refreshAuthAction()).toStrictEqual({ user: null });
    expect(await actions.refreshAuthAction()).toStrictEqual({ user: null });
    expect(await actions.refreshAuthAction({ ensureSignedIn: true })).toStrictEqual({
      user: null,
      signInUrl: '/auth/sign-in?returnTo=%2Fprojects',
    });
  });

  it('refreshAuthAction: a session WorkOS ended is deleted and answered as none; a failure for now throws with its reference', async () => {
    await signedIn();
    next.refreshSession.mockRejectedValueOnce(refused()).mockRejectedValueOnce(refused());
    expect(await actions.refreshAuthAction()).toStrictEqual({ user: null });
    expect(await actions.refreshAuthAction({ ensureSignedIn: true })).toStrictEqual({
      user: null,
      signInUrl: '/auth/sign-in?returnTo=%2Fprojects',
    });
    expect(next.deleteSession).toHaveBeenCalledTimes(2);
    next.refreshSession.mockRejectedValueOnce(new TypeError('fetch failed'));
    const failure = await actions.refreshAuthAction().catch((error: Error) => error.message);
    expect(failure).toBe(`refresh_failed (reference ${references()[2]})`);
    expect(next.deleteSession).toHaveBeenCalledTimes(2);
  });

  it('switchToOrganizationAction: switches without revalidating (the caller’s options win) and answers with the new session', async () => {
    await signedIn();
    next.switchToOrganization.mockResolvedValueOnce(await refreshed()).mockResolvedValueOnce(await refreshed());
    expect(await actions.switchToOrganizationAction('org_other')).toStrictEqual(REFRESHED_CLIENT_AUTH);
    expect(
      await actions.switchToOrganizationAction('org_other', { revalidationStrategy: 'tag', revalidationTags: ['orgs'] }),
    ).toStrictEqual(REFRESHED_CLIENT_AUTH);
    expect(next.switchToOrganization.mock.calls).toEqual([
      ['org_other', { revalidationStrategy: 'none' }],
      ['org_other', { revalidationStrategy: 'tag', revalidationTags: ['orgs'] }],
    ]);
  });

  it('switchToOrganizationAction: signed out, no session and no call; ended, no session; failing for now, an error with its reference', async () => {
    signedOut();
    expect(await actions.switchToOrganizationAction('org_other')).toStrictEqual({ user: null });
    expect(next.switchToOrganization).not.toHaveBeenCalled();
    await signedIn();
    next.switchToOrganization.mockRejectedValueOnce(refused()).mockRejectedValueOnce(new TypeError('fetch failed'));
    expect(await actions.switchToOrganizationAction('org_other')).toStrictEqual({ user: null });
    expect(await actions.switchToOrganizationAction('org_other')).toStrictEqual({ error: `switch_failed (reference ${references()[1]})` });
  });

  it('getAccessTokenAction: the access token of the forwarded session; signed out, none', async () => {
    await signedIn();
    const token = await actions.getAccessTokenAction();
    expect(decodeJwt(token ?? '')).toMatchObject({ sub: USER.id, sid: 'session_forwarded' });
    signedOut();
    expect(await actions.getAccessTokenAction()).toBe(undefined);
  });

  it('refreshAccessTokenAction: the new token; session_ended when there is none or WorkOS ended it; refresh_failed for now', async () => {
    signedOut();
    expect(await actions.refreshAccessTokenAction()).toStrictEqual({ accessToken: undefined, error: 'session_ended' });
    expect(next.refreshSession).not.toHaveBeenCalled();
    await signedIn();
    next.refreshSession
      .mockResolvedValueOnce({ accessToken: 'token_new' })
      .mockResolvedValueOnce({ accessToken: undefined })
      .mockRejectedValueOnce(refused())
      .mockRejectedValueOnce(new TypeError('fetch failed'));
    expect(await actions.refreshAccessTokenAction()).toStrictEqual({ accessToken: 'token_new' });
    expect(await actions.refreshAccessTokenAction()).toStrictEqual({ accessToken: undefined, error: 'session_ended' });
    expect(await actions.refreshAccessTokenAction()).toStrictEqual({ accessToken: undefined, error: 'session_ended' });
    expect(await actions.refreshAccessTokenAction()).toStrictEqual({ accessToken: undefined, error: 'refresh_failed' });
    expect(next.refreshSession.mock.calls).toEqual([[], [], [], []]);
  });

  it('getOrganizationAction: the organization the session is in, and no other; null when WorkOS fails', async () => {
    await signedIn();
    next.getOrganization.mockResolvedValueOnce({ id: 'org_forwarded', name: 'Acme' }).mockRejectedValueOnce(new TypeError('fetch failed'));
    expect(await actions.getOrganizationAction('org_forwarded')).toStrictEqual({ id: 'org_forwarded', name: 'Acme' });
    expect(await actions.getOrganizationAction('org_forwarded')).toBe(null);
    expect(await actions.getOrganizationAction('org_other')).toBe(null);
    signedOut();
    expect(await actions.getOrganizationAction('org_forwarded')).toBe(null);
    expect(next.getOrganization.mock.calls).toEqual([['org_forwarded'], ['org_forwarded']]);
  });
});
