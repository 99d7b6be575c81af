/**
 * Pre-approved sign-ins (handlers/pre-approval.ts), over real HTTP: the ticket
 * cookie, the authorize endpoint's shortcut, the shaped access tokens and the
 * control API's refusals.
 */
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { MockWorkOSControlError, type PreApproval } from './control-client.ts';
import { DEMO_PASSWORD, ROLE_PERMISSIONS, SEED_ORGANIZATION_IDS, SEED_USER_IDS } from './seed.ts';
import { CLIENT_ID, REDIRECT_URI, authorizeUrl, callbackParams, createPkce, signInWithPassword, useRunningMock } from './test-helpers.ts';

const running = useRunningMock();
const STATE = 'Fe26.2**state*with~odd+chars/and=padding';

/** GET authorize as the browser does after the app's /auth/sign-in, with the ticket cookie. */
function authorizeWithTicket(approval: Pick<PreApproval, 'cookie'>, pkce = createPkce(), extra: Record<string, string> = {}) {
  return fetch(authorizeUrl(running.mock.url, pkce, extra), {
    redirect: 'manual',
    headers: { cookie: `${approval.cookie.name}=${approval.cookie.value}` },
  });
}

async function signInPreApproved(input: Parameters<typeof running.control.preApproveSignIn>[0]) {
  const approval = await running.control.preApproveSignIn(input);
  const pkce = createPkce();
  const code = callbackParams(await authorizeWithTicket(approval, pkce)).get('code') ?? '';
  return running.workos.userManagement.authenticateWithCode({ clientId: CLIENT_ID, code, codeVerifier: pkce.verifier });
}

async function refusal(promise: Promise<unknown>): Promise<{ status: number; body: unknown }> {
  const error = await promise.then(
    () => new Error('expected a refusal'),
    (caught: unknown) => caught,
  );
  if (!(error instanceof MockWorkOSControlError)) throw error;
  return { status: error.status, body: error.body };
}

const EXPIRED_TICKET_COOKIE = 'mock_workos_pre_approval=; Path=/user_management/authorize; Max-Age=0; HttpOnly; SameSite=Lax';

describe('pre-approved sign-in', () => {
  it('skips the hosted page: authorize answers the code and the state at once, and deletes the ticket cookie', async () => {
    const approval = await running.control.preApproveSignIn({ email: 'member@example.com' });
    expect(approval).toEqual({
      ticket: expect.stringMatching(/^[\w-]{32}$/),
      cookie: { name: 'mock_workos_pre_approval', value: approval.ticket, path: '/user_management/authorize' },
      user: { id: SEED_USER_IDS.member, email: 'member@example.com' },
      organizationId: SEED_ORGANIZATION_IDS.acme,
      expiresAt: expect.any(String),
    });
    const pkce = createPkce();
    const response = await authorizeWithTicket(approval, pkce);
    const params = callbackParams(response);
    expect([...params.keys()]).toEqual(['code', 'state']);
    expect(params.get('state')).toBe(STATE);
    expect(response.headers.getSetCookie()).toEqual([EXPIRED_TICKET_COOKIE]);

    // The rest is the ordinary flow: the code needs the PKCE verifier and gives a real session.
    const auth = await running.workos.userManagement.authenticateWithCode({
      clientId: CLIENT_ID,
      code: params.get('code') ?? '',
      codeVerifier: pkce.verifier,
    });
    expect(auth.user.id).toBe(SEED_USER_IDS.member);
    expect(auth.organizationId).toBe(SEED_ORGANIZATION_IDS.acme);
    expect(auth.authenticationMethod).toBe('Password');
    expect(decodeJwt(auth.accessToken)).toMatchObject({ role: 'member', roles: ['member'], permissions: ['posts:read'] });
    const log = await running.control.requests({ userId: SEED_USER_IDS.member });
    expect(log.map(({ endpoint, grantType, status, redirectUri }) => ({ endpoint, grantType, status, redirectUri }))).toEqual([
      { endpoint: 'authorize', grantType: null, status: 302, redirectUri: REDIRECT_URI },
      { endpoint: 'authenticate', grantType: 'authorization_code', status: 200, redirectUri: null },
    ]);
  });

  it('is single use: the same ticket again gets an error page, without it the hosted page is back', async () => {
    const approval = await running.control.preApproveSignIn({ userId: SEED_USER_IDS.admin });
    expect(callbackParams(await authorizeWithTicket(approval)).get('code')).toMatch(/^[\w-]+$/);

    const again = await authorizeWithTicket(approval);
    expect(again.status).toBe(400);
    expect(again.headers.getSetCookie()).toEqual([EXPIRED_TICKET_COOKIE]);
    expect(await again.text()).toContain('This sign-in ticket is unknown, used or expired. Ask for a new one.');

    const plain = await fetch(authorizeUrl(running.mock.url, createPkce()), { redirect: 'manual' });
    expect(plain.status).toBe(302);
    expect(new URL(plain.headers.get('location') ?? '').pathname).toBe('/authkit/sign-in');
  });

  it('keeps every check of the authorize endpoint: a refused request leaves the ticket unused', async () => {
    const approval = await running.control.preApproveSignIn({ email: 'admin@example.com' });
    const unlisted = await authorizeWithTicket(approval, createPkce(), { redirect_uri: 'https://evil.example/callback' });
    expect(unlisted.status).toBe(400);
    expect(await unlisted.text()).toContain('Invalid redirect URI');
    await running.control.setPkceRequired(true);
    const noPkce = await fetch(authorizeUrl(running.mock.url, null), {
      redirect: 'manual',
      headers: { cookie: `${approval.cookie.name}=${approval.cookie.value}` },
    });
    expect(callbackParams(noPkce).get('error')).toBe('invalid_request');

    expect(callbackParams(await authorizeWithTicket(approval)).get('code')).toMatch(/^[\w-]+$/);
  });

  it('shapes the access tokens of that session only, refreshes included, without changing the directory', async () => {
    const shaped = await signInPreApproved({
      email: 'multi-org@example.com',
      organizationId: SEED_ORGANIZATION_IDS.globex,
      role: 'viewer',
      permissions: ['projects:read'],
    });
    expect(shaped.organizationId).toBe(SEED_ORGANIZATION_IDS.globex);
    expect(decodeJwt(shaped.accessToken)).toMatchObject({
      sub: SEED_USER_IDS.multiOrg,
      org_id: SEED_ORGANIZATION_IDS.globex,
      role: 'viewer',
      roles: ['viewer'],
      permissions: ['projects:read'],
    });
    const refreshed = await running.workos.userManagement.authenticateWithRefreshToken({
      clientId: CLIENT_ID,
      refreshToken: shaped.refreshToken,
    });
    expect(decodeJwt(refreshed.accessToken)).toMatchObject({ role: 'viewer', permissions: ['projects:read'] });
    // Switched to another organization, the session is the membership's again.
    const switched = await running.workos.userManagement.authenticateWithRefreshToken({
      clientId: CLIENT_ID,
      refreshToken: refreshed.refreshToken,
      organizationId: SEED_ORGANIZATION_IDS.acme,
    });
    expect(decodeJwt(switched.accessToken)).toMatchObject({
      org_id: SEED_ORGANIZATION_IDS.acme,
      role: 'member',
      permissions: ['posts:read'],
    });

    // A role alone brings that role's permissions.
    const asAdmin = await signInPreApproved({ email: 'member@example.com', role: 'admin' });
    expect(decodeJwt(asAdmin.accessToken)).toMatchObject({
      role: 'admin',
      roles: ['admin'],
      permissions: [...(ROLE_PERMISSIONS.admin ?? [])],
    });
    // The same users signing in on the hosted page are what the directory says.
    const pkce = createPkce();
    const { code } = await signInWithPassword(running.mock.url, 'member@example.com', DEMO_PASSWORD, pkce);
    const plain = await running.workos.userManagement.authenticateWithCode({ clientId: CLIENT_ID, code, codeVerifier: pkce.verifier });
    expect(decodeJwt(plain.accessToken)).toMatchObject({ org_id: SEED_ORGANIZATION_IDS.acme, role: 'member', permissions: ['posts:read'] });
  });

  it('refuses what it cannot honour with 422 and the reason', async () => {
    const cases: [Parameters<typeof running.control.preApproveSignIn>[0], string][] = [
      [{ email: 'nobody@example.com' }, 'no user nobody@example.com'],
      [
        { email: 'member@example.com', organizationId: SEED_ORGANIZATION_IDS.globex },
        `member@example.com is not an active member of ${SEED_ORGANIZATION_IDS.globex}: add the membership first`,
      ],
      [{ email: 'member@example.com', role: 'owner' }, 'role "owner" does not exist: create it or pass the permissions'],
      [
        { email: 'google@example.com', permissions: ['posts:read'] },
        'google@example.com has no organization: role and permissions need one',
      ],
    ];
    for (const [input, message] of cases) {
      expect(await refusal(running.control.preApproveSignIn(input))).toEqual({ status: 422, body: { message } });
    }
    const both = await refusal(running.control.preApproveSignIn({ email: 'member@example.com', userId: SEED_USER_IDS.member }));
    expect(both.status).toBe(422);
    expect(both.body).toMatchObject({
      issues: [expect.objectContaining({ message: 'Name the user by email or by userId (one of them).' })],
    });
  });

  it('is forgotten on reset', async () => {
    const approval = await running.control.preApproveSignIn({ email: 'member@example.com' });
    await running.control.reset();
    expect((await authorizeWithTicket(approval)).status).toBe(400);
  });
});
