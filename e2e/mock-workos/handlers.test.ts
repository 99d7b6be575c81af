/**
 * The handlers driven by the real @workos-inc/node SDK through msw's
 * setupServer, on WorkOS' real origin: if the SDK can deserialize it, authkit
 * can too.
 */
import { NotFoundException, OauthException, WorkOS } from '@workos-inc/node';
import { createHash, X509Certificate } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMockWorkOSHandlers } from './handlers/index.ts';
import { DEMO_PASSWORD, ROLE_PERMISSIONS, SEED_ORGANIZATION_IDS, SEED_USER_IDS } from './seed.ts';
import { createMockWorkOSStore } from './server.ts';
import { AUTHORIZATION_CODE_TTL_SECONDS, type MockWorkOSStore } from './store.ts';
import {
  API_KEY,
  CLIENT_ID,
  REDIRECT_URI,
  authenticateWithDemoPassword,
  authorizationRequestId,
  authorizeUrl,
  callbackCode,
  callbackParams,
  createPkce,
  openSignInPage,
  postForm,
  postPasswordForm,
  signInWithPassword,
  useTestClock,
  type Pkce,
} from './test-helpers.ts';

const API = 'https://api.workos.com';
const STATE = 'Fe26.2**state*with~odd+chars/and=padding';

const clock = useTestClock();
let store: MockWorkOSStore;
const server = setupServer();
// Created after listen(): the SDK keeps a reference to the fetch it finds at construction.
let workos: WorkOS;

beforeAll(async () => {
  store = await createMockWorkOSStore({
    clientId: CLIENT_ID,
    apiKey: API_KEY,
    redirectUris: [REDIRECT_URI],
    clock: clock.now,
  });
  server.use(...createMockWorkOSHandlers(store, { origin: API }));
  server.listen({ onUnhandledFrame: 'error' });
  workos = new WorkOS(API_KEY, { clientId: CLIENT_ID, maxRetries: 0 });
});
beforeEach(() => {
  store.reset();
});
afterAll(() => server.close());

const signIn = (email: string, extra: Record<string, string> = {}) => authenticateWithDemoPassword(workos, API, email, { extra });

/** Exchanges the code a hosted page's redirect carries, with the verifier of the sign-in's challenge. */
const redeem = (response: Response, pkce: Pkce) =>
  workos.userManagement.authenticateWithCode({ clientId: CLIENT_ID, code: callbackCode(response), codeVerifier: pkce.verifier });

function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('hosted sign-in pages', () => {
  it('renders an accessible sign-in page with the login hint and no external resources', async () => {
    const { status, html } = await openSignInPage(API, createPkce(), { login_hint: 'member@example.com' });
    expect(status).toBe(200);
    expect(html).toContain('<html lang="en">');
    expect(html).toMatch(/<main>[\s\S]*<h1>Sign in<\/h1>[\s\S]*<\/main>/);
    expect(html).toContain('<label for="email">Email</label>');
    expect(html).toContain('<label for="password">Password</label>');
    expect(html).toContain('value="member@example.com"');
    for (const button of [
      'Sign in',
      'Email me a code',
      'Continue with SSO',
      'Continue with Google',
      'Continue with Microsoft',
      'Continue with GitHub',
      'Cancel',
    ]) {
      expect(html).toContain(`>${button}</button>`);
    }
    expect(html).toContain(DEMO_PASSWORD);
    expect(html).not.toMatch(/<(script|link|img)\b/);
    expect(html).not.toMatch(/https?:\/\/(?!localhost)/);
  });

  it('shows the sign-up page for screen_hint=sign-up and creates the user', async () => {
    const pkce = createPkce();
    const { html, requestId } = await openSignInPage(API, pkce, { screen_hint: 'sign-up' });
    expect(html).toContain('<h1>Create an account</h1>');
    expect(html).toContain('>Create account</button>');
    const response = await postForm(`${API}/authkit/sign-up`, {
      authorization_request: requestId,
      email: 'new.person@example.com',
      password: 'long-enough-password',
      first_name: 'New',
      last_name: '',
    });
    // A password sign-up verifies its email first (./handlers/hosted-steps/email-verification.ts).
    expect(await response.text()).toContain('<h1>Verify your email</h1>');
    const [mail] = store.outbox.list({ to: 'new.person@example.com', kind: 'email_verification' });
    const verified = await postForm(`${API}/authkit/email-verification`, { authorization_request: requestId, code: mail?.code ?? '' });
    const auth = await redeem(verified, pkce);
    expect(auth.user).toMatchObject({ email: 'new.person@example.com', firstName: 'New', lastName: null, emailVerified: true });
    expect(auth.authenticationMethod).toBe('Password');
    expect(auth.organizationId).toBeUndefined();
  });

  it('refuses a wrong password inline without redirecting', async () => {
    const { requestId } = await openSignInPage(API, createPkce());
    const response = await postPasswordForm(API, requestId, 'admin@example.com', 'nope');
    expect(response.status).toBe(401);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('<p class="alert" role="alert">Incorrect email or password.</p>');
  });

  it('redirects with the code and the state byte for byte', async () => {
    const { code, state } = await signInWithPassword(API, 'admin@example.com', DEMO_PASSWORD, createPkce());
    expect(code).toMatch(/^[\w-]{20,}$/);
    expect(state).toBe(STATE);
  });

  it('refuses an unknown client and an unlisted redirect URI with a page, never a redirect', async () => {
    const pkce = createPkce();
    const unknownClient = await fetch(authorizeUrl(API, pkce, { client_id: 'client_01UNKNOWN' }), { redirect: 'manual' });
    expect(unknownClient.status).toBe(400);
    expect(unknownClient.headers.get('location')).toBeNull();
    expect(await unknownClient.text()).toContain('<h1>Invalid client ID</h1>');

    const evil = await fetch(authorizeUrl(API, pkce, { redirect_uri: 'https://evil.example.net/callback' }), { redirect: 'manual' });
    expect(evil.status).toBe(400);
    expect(evil.headers.get('location')).toBeNull();
    expect(await evil.text()).toContain('<h1>Invalid redirect URI</h1>');
  });

  it('sends request errors back to a listed redirect URI with the state', async () => {
    const response = await fetch(authorizeUrl(API, createPkce(), { code_challenge_method: 'plain' }), { redirect: 'manual' });
    const params = callbackParams(response);
    expect(Object.fromEntries(params)).toEqual({
      error: 'invalid_request',
      error_description: 'code_challenge_method must be S256.',
      state: STATE,
    });
  });

  it('returns access_denied on Cancel', async () => {
    const { requestId } = await openSignInPage(API, createPkce());
    const params = callbackParams(await postForm(`${API}/authkit/cancel`, { authorization_request: requestId }));
    expect(params.get('error')).toBe('access_denied');
    expect(params.get('error_description')).toBeTruthy();
    expect(params.get('state')).toBe(STATE);
    expect(params.has('code')).toBe(false);
  });

  it('asks MFA users for an authentication code and refuses a wrong one', async () => {
    const pkce = createPkce();
    const { requestId } = await openSignInPage(API, pkce);
    // After the password, the page of the step (GET: a reload does not post the password again).
    const signedIn = await postPasswordForm(API, requestId, 'mfa@example.com', DEMO_PASSWORD);
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe(`/authkit/mfa?authorization_request=${requestId}`);
    const mfaPage = await fetch(`${API}/authkit/mfa?authorization_request=${requestId}`);
    expect(mfaPage.status).toBe(200);
    const mfaHtml = await mfaPage.text();
    expect(mfaHtml).toContain('<label for="totp">Authentication code</label>');
    expect(mfaHtml).toContain('424242');

    const wrong = await postForm(`${API}/authkit/mfa`, { authorization_request: requestId, code: '000000' });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('role="alert"');

    const auth = await redeem(await postForm(`${API}/authkit/mfa`, { authorization_request: requestId, code: '424242' }), pkce);
    expect(auth.user.id).toBe(SEED_USER_IDS.mfa);
    expect(auth.authenticationMethod).toBe('Password');
  });

  it('signs in with a magic code shown on the page', async () => {
    const pkce = createPkce();
    const { requestId } = await openSignInPage(API, pkce);
    const codePage = await (
      await postForm(`${API}/authkit/magic-auth`, { authorization_request: requestId, email: 'member@example.com' })
    ).text();
    expect(codePage).toContain('<label for="code">Code</label>');
    const oneTimeCode = /<span class="code">(\d{6})<\/span>/.exec(codePage)?.[1] ?? '';
    const wrong = await postForm(`${API}/authkit/magic-auth/verify`, {
      authorization_request: requestId,
      code: oneTimeCode === '000000' ? '111111' : '000000',
    });
    expect(wrong.status).toBe(400);
    const verified = await postForm(`${API}/authkit/magic-auth/verify`, { authorization_request: requestId, code: oneTimeCode });
    const auth = await redeem(verified, pkce);
    expect(auth.authenticationMethod).toBe('MagicAuth');
    expect(auth.user.email).toBe('member@example.com');
  });

  it('signs in through SSO by email domain into the SSO organization', async () => {
    const pkce = createPkce();
    const { requestId } = await openSignInPage(API, pkce);
    const connection = `/authkit/sso/connection?authorization_request=${requestId}`;
    // The password form sends an SSO-required domain to its connection, as "Continue with SSO" does.
    expect((await postPasswordForm(API, requestId, 'sso@initech.example.com', 'x')).headers.get('location')).toBe(connection);
    const toConnection = await postForm(`${API}/authkit/sso`, { authorization_request: requestId, email: 'sso@initech.example.com' });
    expect(toConnection.headers.get('location')).toBe(connection);
    expect(await (await fetch(`${API}${connection}`)).text()).toContain('conn_01HDEMOINITECHOKTA00000');
    const auth = await redeem(await postForm(`${API}/authkit/sso/connection`, { authorization_request: requestId }), pkce);
    expect(auth.authenticationMethod).toBe('SSO');
    expect(auth.organizationId).toBe(SEED_ORGANIZATION_IDS.initech);
    expect(auth.user.id).toBe(SEED_USER_IDS.sso);
  });

  it('returns a misconfigured SSO connection to the app as error + state, without a code', async () => {
    const { requestId } = await openSignInPage(API, createPkce());
    const toConnection = await postForm(`${API}/authkit/sso`, { authorization_request: requestId, email: 'anyone@umbrella.example.com' });
    const params = callbackParams(await fetch(`${API}${toConnection.headers.get('location') ?? ''}`, { redirect: 'manual' }));
    expect(params.get('error')).toBe('connection_invalid');
    expect(params.get('error_description')).toContain('Umbrella');
    expect(params.get('state')).toBe(STATE);
    expect(params.has('code')).toBe(false);
  });

  it('signs in with a social provider and returns its oauth_tokens', async () => {
    const pkce = createPkce();
    const { requestId } = await openSignInPage(API, pkce);
    const auth = await redeem(await postForm(`${API}/authkit/social`, { authorization_request: requestId, provider: 'GitHubOAuth' }), pkce);
    expect(auth.authenticationMethod).toBe('GitHubOAuth');
    expect(auth.user.email).toBe('github@example.com');
    expect(auth.oauthTokens).toEqual({
      accessToken: expect.stringMatching(/^mock_GitHubOAuth_access_/),
      refreshToken: expect.stringMatching(/^mock_GitHubOAuth_refresh_/),
      expiresAt: expect.any(Number),
      scopes: ['read:user', 'user:email'],
    });
  });

  it('goes straight to the demo account for provider=GoogleOAuth', async () => {
    const pkce = createPkce();
    const response = await fetch(authorizeUrl(API, pkce, { provider: 'GoogleOAuth', screen_hint: '' }), { redirect: 'manual' });
    const auth = await redeem(response, pkce);
    expect(auth).toMatchObject({
      authenticationMethod: 'GoogleOAuth',
      user: { email: 'google@example.com' },
      oauthTokens: { scopes: ['openid', 'email', 'profile'] },
    });
  });

  it('honours organization_id: members land in it, others are refused inline', async () => {
    const auth = await signIn('multi-org@example.com', { organization_id: SEED_ORGANIZATION_IDS.globex });
    expect(auth.organizationId).toBe(SEED_ORGANIZATION_IDS.globex);

    const { requestId } = await openSignInPage(API, createPkce(), { organization_id: SEED_ORGANIZATION_IDS.globex });
    const refused = await postPasswordForm(API, requestId, 'member@example.com', DEMO_PASSWORD);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('location')).toBeNull();
    expect(await refused.text()).toContain('member@example.com is not a member of Globex.');
  });
});

describe('invitation links (GET /authkit/invite)', () => {
  const invite = (email: string, roleSlug = 'admin') =>
    workos.userManagement.sendInvitation({ email, organizationId: SEED_ORGANIZATION_IDS.globex, roleSlug });

  /** Opens the emailed link: the page remembers the invitation in a cookie and sends the browser to the app's sign-in endpoint. */
  async function openLink(link: string) {
    const response = await fetch(link, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('http://localhost:3000/auth/sign-in');
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^mock_workos_invitation=[\w%-]+; Path=\/user_management\/authorize; Max-Age=1800; HttpOnly; SameSite=Lax$/);
    return cookie.split(';')[0] ?? '';
  }

  /** The app's sign-in endpoint redirects back to authorize with its PKCE challenge; the browser brings the cookie. */
  async function authorizeWith(cookie: string, pkce: Pkce) {
    const response = await fetch(authorizeUrl(API, pkce), { redirect: 'manual', headers: { cookie } });
    expect(response.status).toBe(302);
    expect(response.headers.get('set-cookie')).toBe(
      'mock_workos_invitation=; Path=/user_management/authorize; Max-Age=0; HttpOnly; SameSite=Lax',
    );
    const page = await fetch(response.headers.get('location') ?? '');
    return { url: new URL(response.headers.get('location') ?? ''), html: await page.text() };
  }

  it('a new user signs up with the invited email and comes back a member of that organization with that role', async () => {
    const invitation = await invite('new.hire@example.com');
    const [mail] = store.outbox.list({ to: 'new.hire@example.com', kind: 'invitation' });
    expect(mail?.link).toBe(invitation.acceptInvitationUrl);
    const pkce = createPkce();
    const { url, html } = await authorizeWith(await openLink(invitation.acceptInvitationUrl), pkce);
    expect(url.pathname).toBe('/authkit/sign-up');
    expect(html).toContain('<strong>new.hire@example.com</strong> is invited to join <strong>Globex</strong> as <strong>Admin</strong>.');
    expect(html).toContain('value="new.hire@example.com" readonly required');
    const requestId = authorizationRequestId(html);

    const otherEmail = await postForm(`${API}/authkit/sign-up`, {
      authorization_request: requestId,
      email: 'someone@example.com',
      password: 'long-enough-1',
    });
    expect(otherEmail.status).toBe(403);
    expect(await otherEmail.text()).toContain('This invitation is for new.hire@example.com: sign up with that email to accept it.');
    expect(store.findUserByEmail('someone@example.com')).toBeUndefined();

    const auth = await redeem(
      await postForm(`${API}/authkit/sign-up`, {
        authorization_request: requestId,
        email: 'new.hire@example.com',
        password: 'long-enough-1',
      }),
      pkce,
    );
    expect(auth.organizationId).toBe(SEED_ORGANIZATION_IDS.globex);
    expect(decodeJwt(auth.accessToken)).toMatchObject({
      org_id: SEED_ORGANIZATION_IDS.globex,
      role: 'admin',
      permissions: ROLE_PERMISSIONS.admin,
    });
    expect(await workos.userManagement.getInvitation(invitation.id)).toMatchObject({ state: 'accepted' });
    expect(store.events.list().map((event) => event.event)).toEqual([
      'invitation.created',
      'user.created',
      'organization_membership.created',
      'invitation.accepted',
      'session.created',
    ]);
  });

  it('an existing user signs in to accept (the SDK’s invitation_token works too); another account is refused', async () => {
    const invitation = await invite('member@example.com', 'member');
    const pkce = createPkce();
    const authorize = await fetch(authorizeUrl(API, pkce, { invitation_token: invitation.token }), { redirect: 'manual' });
    const page = new URL(authorize.headers.get('location') ?? '');
    expect(page.pathname).toBe('/authkit/sign-in');
    const html = await (await fetch(page)).text();
    expect(html).toContain('<strong>member@example.com</strong> is invited to join <strong>Globex</strong> as <strong>Member</strong>.');
    expect(html).toContain('value="member@example.com"');
    const requestId = authorizationRequestId(html);

    const wrongAccount = await postPasswordForm(API, requestId, 'admin@example.com', DEMO_PASSWORD);
    expect(wrongAccount.status).toBe(403);
    expect(await wrongAccount.text()).toContain('This invitation is for member@example.com. Sign in with that account to accept it.');
    expect(store.activeMembership(SEED_USER_IDS.admin, SEED_ORGANIZATION_IDS.globex)).toBeUndefined();

    const auth = await redeem(await postPasswordForm(API, requestId, 'member@example.com', DEMO_PASSWORD), pkce);
    expect(auth.organizationId).toBe(SEED_ORGANIZATION_IDS.globex);
    expect(decodeJwt(auth.accessToken)).toMatchObject({ org_id: SEED_ORGANIZATION_IDS.globex, role: 'member' });
    expect(store.activeMembership(SEED_USER_IDS.member, SEED_ORGANIZATION_IDS.acme)).toBeDefined();
  });

  it('an unusable link says why with a stable code, on the link and at authorize', async () => {
    const problem = async (response: Response) => ({
      status: response.status,
      code: /data-error-code="([a-z_]+)"/.exec(await response.text())?.[1],
    });
    expect(await problem(await fetch(`${API}/authkit/invite?invitation_token=nope`))).toEqual({
      status: 404,
      code: 'invitation_not_found',
    });

    const revoked = await invite('revoked@example.com');
    const cookie = await openLink(revoked.acceptInvitationUrl);
    await workos.userManagement.revokeInvitation(revoked.id);
    expect(await problem(await fetch(revoked.acceptInvitationUrl))).toEqual({ status: 410, code: 'invitation_revoked' });
    // Revoked after the link was opened: the sign-in it starts stops at authorize, and the cookie goes.
    const atAuthorize = await fetch(authorizeUrl(API, createPkce()), { redirect: 'manual', headers: { cookie } });
    expect(atAuthorize.headers.get('set-cookie')).toContain('mock_workos_invitation=; ');
    expect(await problem(atAuthorize)).toEqual({ status: 410, code: 'invitation_revoked' });

    const accepted = await invite('member@example.com', 'member');
    await workos.userManagement.acceptInvitation(accepted.id);
    const acceptedPage = await fetch(accepted.acceptInvitationUrl);
    const acceptedHtml = await acceptedPage.clone().text();
    expect(await problem(acceptedPage)).toEqual({ status: 410, code: 'invitation_accepted' });
    expect(acceptedHtml).toContain('<a href="http://localhost:3000/auth/sign-in">Sign in</a>');

    const expired = await invite('late@example.com');
    clock.offsetMs = 7 * 24 * 60 * 60 * 1000;
    expect(await problem(await fetch(expired.acceptInvitationUrl))).toEqual({ status: 410, code: 'invitation_expired' });
  });

  it('an invitation revoked while its sign-up page is open is not accepted: the page says so', async () => {
    const invitation = await invite('slow@example.com');
    const { html } = await authorizeWith(await openLink(invitation.acceptInvitationUrl), createPkce());
    await workos.userManagement.revokeInvitation(invitation.id);
    const response = await postForm(`${API}/authkit/sign-up`, {
      authorization_request: authorizationRequestId(html),
      email: 'slow@example.com',
      password: 'long-enough-1',
    });
    expect(response.status).toBe(410);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('data-error-code="invitation_revoked"');
    expect(store.activeMembership(store.findUserByEmail('slow@example.com')?.id ?? '', SEED_ORGANIZATION_IDS.globex)).toBeUndefined();
  });
});

describe('POST /user_management/authenticate (authorization_code)', () => {
  it('returns the user, organization, tokens and method; the token verifies against the JWKS', async () => {
    const auth = await signIn('admin@example.com');
    expect(auth.user).toEqual({
      object: 'user',
      id: SEED_USER_IDS.admin,
      email: 'admin@example.com',
      emailVerified: true,
      profilePictureUrl: null,
      name: 'Ada Admin',
      firstName: 'Ada',
      lastName: 'Admin',
      lastSignInAt: expect.any(String),
      locale: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      externalId: null,
      metadata: {},
    });
    expect(auth.organizationId).toBe(SEED_ORGANIZATION_IDS.acme);
    expect(auth.authenticationMethod).toBe('Password');
    expect(auth.refreshToken).toMatch(/^[\w-]{40,}$/);
    expect(auth.impersonator).toBeUndefined();
    expect(auth.sealedSession).toBeUndefined();

    const jwks = createRemoteJWKSet(new URL(workos.userManagement.getJwksUrl(CLIENT_ID)));
    const { payload, protectedHeader } = await jwtVerify(auth.accessToken, jwks);
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: store.keys.current.kid });
    expect(payload).toEqual({
      iss: `${API}/user_management/${CLIENT_ID}`,
      sub: SEED_USER_IDS.admin,
      sid: expect.stringMatching(/^session_01/),
      jti: expect.any(String),
      org_id: SEED_ORGANIZATION_IDS.acme,
      role: 'admin',
      roles: ['admin'],
      permissions: [...(ROLE_PERMISSIONS.admin ?? [])],
      entitlements: ['audit-logs'],
      feature_flags: ['new-dashboard'],
      auth_time: expect.any(Number),
      iat: expect.any(Number),
      exp: expect.any(Number),
    });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(300);
  });

  it('marks impersonated sessions in the response, as authentication method Impersonation, and with an act claim', async () => {
    const auth = await signIn('impersonated@example.com');
    expect(auth.impersonator).toEqual({ email: 'support@example.com', reason: expect.stringContaining('ticket') });
    expect(auth.authenticationMethod).toBe('Impersonation');
    const { payload } = await jwtVerify(auth.accessToken, createRemoteJWKSet(new URL(`${API}/sso/jwks/${CLIENT_ID}`)));
    expect(payload.act).toEqual({ sub: 'support@example.com' });
  });

  it('refuses a wrong code verifier', async () => {
    const { code } = await signInWithPassword(API, 'admin@example.com', DEMO_PASSWORD, createPkce());
    const error = await rejection(
      workos.userManagement.authenticateWithCode({ clientId: CLIENT_ID, code, codeVerifier: createPkce().verifier }),
    );
    expect(error).toBeInstanceOf(OauthException);
    expect(error).toMatchObject({
      status: 400,
      error: 'invalid_grant',
      errorDescription: 'The code_verifier does not match the code_challenge.',
    });
  });

  it('refuses a reused code', async () => {
    const pkce = createPkce();
    const { code } = await signInWithPassword(API, 'admin@example.com', DEMO_PASSWORD, pkce);
    await workos.userManagement.authenticateWithCode({ clientId: CLIENT_ID, code, codeVerifier: pkce.verifier });
    const error = await rejection(workos.userManagement.authenticateWithCode({ clientId: CLIENT_ID, code, codeVerifier: pkce.verifier }));
    expect(error).toMatchObject({ status: 400, error: 'invalid_grant', errorDescription: 'The code has already been used.' });
  });

  it('refuses an expired code', async () => {
    const pkce = createPkce();
    const { code } = await signInWithPassword(API, 'admin@example.com', DEMO_PASSWORD, pkce);
    clock.offsetMs = (AUTHORIZATION_CODE_TTL_SECONDS + 1) * 1000;
    const error = await rejection(workos.userManagement.authenticateWithCode({ clientId: CLIENT_ID, code, codeVerifier: pkce.verifier }));
    expect(error).toMatchObject({ status: 400, error: 'invalid_grant', errorDescription: 'The code has expired.' });
  });

  it('refuses a wrong client secret with 400 invalid_client, as the spec documents', async () => {
    const pkce = createPkce();
    const { code } = await signInWithPassword(API, 'admin@example.com', DEMO_PASSWORD, pkce);
    const wrongKey = new WorkOS('sk_test_wrong', { clientId: CLIENT_ID, maxRetries: 0 });
    const error = await rejection(wrongKey.userManagement.authenticateWithCode({ clientId: CLIENT_ID, code, codeVerifier: pkce.verifier }));
    expect(error).toBeInstanceOf(OauthException);
    expect(error).toMatchObject({ status: 400, error: 'invalid_client', errorDescription: 'Invalid client_id or client_secret.' });
  });
});

describe('POST /user_management/authenticate (refresh_token)', () => {
  it('issues new tokens and rotates the refresh token', async () => {
    const auth = await signIn('admin@example.com');
    const refreshed = await workos.userManagement.authenticateWithRefreshToken({ clientId: CLIENT_ID, refreshToken: auth.refreshToken });
    expect(refreshed.user.id).toBe(SEED_USER_IDS.admin);
    expect(refreshed.organizationId).toBe(SEED_ORGANIZATION_IDS.acme);
    expect(refreshed.refreshToken).not.toBe(auth.refreshToken);
    expect(refreshed.accessToken).not.toBe(auth.accessToken);
    const reused = await rejection(
      workos.userManagement.authenticateWithRefreshToken({ clientId: CLIENT_ID, refreshToken: auth.refreshToken }),
    );
    expect(reused).toMatchObject({ status: 400, error: 'invalid_grant', errorDescription: 'Refresh token already exchanged.' });
    await expect(
      workos.userManagement.authenticateWithRefreshToken({ clientId: CLIENT_ID, refreshToken: refreshed.refreshToken }),
    ).resolves.toMatchObject({ user: { id: SEED_USER_IDS.admin } });
  });

  it('refuses a session ended through the logout URL', async () => {
    const auth = await signIn('member@example.com');
    const { payload } = await jwtVerify(auth.accessToken, createRemoteJWKSet(new URL(`${API}/sso/jwks/${CLIENT_ID}`)));
    const logout = await fetch(workos.userManagement.getLogoutUrl({ sessionId: String(payload.sid), returnTo: 'http://localhost:3000/' }), {
      redirect: 'manual',
    });
    expect(logout.status).toBe(302);
    expect(logout.headers.get('location')).toBe('http://localhost:3000/');
    const error = await rejection(
      workos.userManagement.authenticateWithRefreshToken({ clientId: CLIENT_ID, refreshToken: auth.refreshToken }),
    );
    expect(error).toMatchObject({ status: 400, error: 'invalid_grant', errorDescription: 'The session has ended.' });
  });

  it('switches organization for a member of the target organization', async () => {
    const auth = await signIn('multi-org@example.com', { organization_id: SEED_ORGANIZATION_IDS.acme });
    expect(auth.organizationId).toBe(SEED_ORGANIZATION_IDS.acme);
    const switched = await workos.userManagement.authenticateWithRefreshToken({
      clientId: CLIENT_ID,
      refreshToken: auth.refreshToken,
      organizationId: SEED_ORGANIZATION_IDS.globex,
    });
    expect(switched.organizationId).toBe(SEED_ORGANIZATION_IDS.globex);
    const { payload } = await jwtVerify(switched.accessToken, createRemoteJWKSet(new URL(`${API}/sso/jwks/${CLIENT_ID}`)));
    expect(payload).toMatchObject({ org_id: SEED_ORGANIZATION_IDS.globex, role: 'admin', permissions: ROLE_PERMISSIONS.admin });
    // Without organization_id the session stays in the organization it switched to.
    const again = await workos.userManagement.authenticateWithRefreshToken({ clientId: CLIENT_ID, refreshToken: switched.refreshToken });
    expect(again.organizationId).toBe(SEED_ORGANIZATION_IDS.globex);
  });

  it('refuses switching into an organization the user is not a member of, and keeps the token usable', async () => {
    const auth = await signIn('admin@example.com');
    const error = await rejection(
      workos.userManagement.authenticateWithRefreshToken({
        clientId: CLIENT_ID,
        refreshToken: auth.refreshToken,
        organizationId: SEED_ORGANIZATION_IDS.globex,
      }),
    );
    expect(error).toBeInstanceOf(OauthException);
    expect(error).toMatchObject({ status: 400, error: 'organization_membership_not_found' });
    await expect(
      workos.userManagement.authenticateWithRefreshToken({ clientId: CLIENT_ID, refreshToken: auth.refreshToken }),
    ).resolves.toMatchObject({ organizationId: SEED_ORGANIZATION_IDS.acme });
  });

  it("a member's next refresh carries a changed role, then, once removed, no organization (asked for it, as authkit does)", async () => {
    const auth = await signIn('member@example.com');
    const membership = store.activeMembership(SEED_USER_IDS.member, SEED_ORGANIZATION_IDS.acme);
    if (!membership) throw new Error('member@example.com is not in Acme');
    // authkit's proxy refreshes with the organization of the token it holds.
    const refresh = (refreshToken: string) =>
      workos.userManagement.authenticateWithRefreshToken({ clientId: CLIENT_ID, refreshToken, organizationId: SEED_ORGANIZATION_IDS.acme });

    store.updateMembershipRole(membership.id, 'admin');
    const promoted = await refresh(auth.refreshToken);
    expect(decodeJwt(promoted.accessToken)).toMatchObject({
      org_id: SEED_ORGANIZATION_IDS.acme,
      role: 'admin',
      permissions: ROLE_PERMISSIONS.admin,
    });

    store.deactivateMembership(membership.id);
    const removed = await refresh(promoted.refreshToken);
    expect(removed.organizationId).toBeUndefined();
    const claims = decodeJwt(removed.accessToken);
    expect([claims.org_id, claims.role, claims.permissions]).toEqual([undefined, undefined, undefined]);
    // The session goes on without an organization; switching back in stays refused.
    const back = await rejection(refresh(removed.refreshToken));
    expect(back).toMatchObject({ status: 400, error: 'organization_membership_not_found' });
    await expect(
      workos.userManagement.authenticateWithRefreshToken({ clientId: CLIENT_ID, refreshToken: removed.refreshToken }),
    ).resolves.toMatchObject({ user: { id: SEED_USER_IDS.member } });
  });
});

describe('JWKS and key rotation', () => {
  it('publishes the current key and keeps the previous one after rotation', async () => {
    const before = await signIn('admin@example.com');
    const oldKid = decodeProtectedHeader(before.accessToken).kid;
    await store.keys.rotate(store.now());
    const after = await workos.userManagement.authenticateWithRefreshToken({ clientId: CLIENT_ID, refreshToken: before.refreshToken });
    const newKid = decodeProtectedHeader(after.accessToken).kid;
    expect(newKid).not.toBe(oldKid);

    const response = await fetch(`${API}/sso/jwks/${CLIENT_ID}`);
    const { keys } = (await response.json()) as { keys: { kid: string; kty: string; alg: string; use: string }[] };
    expect(keys.map((key) => key.kid)).toEqual([newKid, oldKid]);
    expect(keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });

    const jwks = createRemoteJWKSet(new URL(`${API}/sso/jwks/${CLIENT_ID}`));
    await expect(jwtVerify(before.accessToken, jwks)).resolves.toBeTruthy();
    await expect(jwtVerify(after.accessToken, jwks)).resolves.toBeTruthy();

    await store.keys.rotate(store.now(), { keepPrevious: false });
    const revoked = createRemoteJWKSet(new URL(`${API}/sso/jwks/${CLIENT_ID}`));
    await expect(jwtVerify(after.accessToken, revoked)).rejects.toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' });
  });

  it('publishes each key with a self-signed X.509 certificate for it (x5c) and its SHA-256 thumbprint (x5t#S256)', async () => {
    const { keys } = (await (await fetch(`${API}/sso/jwks/${CLIENT_ID}`)).json()) as {
      keys: (JsonWebKey & { x5c: string[]; 'x5t#S256': string })[];
    };
    const [key] = keys;
    const der = Buffer.from(key?.x5c[0] ?? '', 'base64');
    const certificate = new X509Certificate(der);
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    expect(certificate.publicKey.export({ format: 'jwk' })).toMatchObject({ kty: 'RSA', n: key?.n, e: key?.e });
    expect(key?.['x5t#S256']).toBe(createHash('sha256').update(der).digest('base64url'));
  });

  it('logs the key ids each JWKS answer published, so a fetch made before a rotation tells from one made after', async () => {
    const oldKid = store.keys.current.kid;
    await fetch(`${API}/sso/jwks/${CLIENT_ID}`);
    const rotated = await store.keys.rotate(store.now());
    await fetch(`${API}/sso/jwks/${CLIENT_ID}`);
    store.addFault({ endpoint: 'jwks', action: { type: 'status', status: 503 } });
    expect((await fetch(`${API}/sso/jwks/${CLIENT_ID}`)).status).toBe(503);
    expect((await fetch(`${API}/sso/jwks/client_01OTHER`)).status).toBe(404);
    await workos.userManagement.getUser(SEED_USER_IDS.admin);

    // A fault's answer and a 404 publish no key; other endpoints have none to publish.
    expect(store.requestLog().map(({ endpoint, status, kids }) => ({ endpoint, status, kids }))).toEqual([
      { endpoint: 'jwks', status: 200, kids: [oldKid] },
      { endpoint: 'jwks', status: 200, kids: [rotated.kid, oldKid] },
      { endpoint: 'jwks', status: 503, kids: null },
      { endpoint: 'jwks', status: 404, kids: null },
      { endpoint: 'get_user', status: 200, kids: null },
    ]);
  });

  it('answers 404 for an unknown client', async () => {
    const response = await fetch(`${API}/sso/jwks/client_01OTHER`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'entity_not_found' });
  });
});

describe('GET /user_management/sessions/logout', () => {
  it('redirects only to an allow-listed return_to, otherwise to the default', async () => {
    const allowed = await fetch(workos.userManagement.getLogoutUrl({ sessionId: 'session_01X', returnTo: 'http://localhost:3000/' }), {
      redirect: 'manual',
    });
    expect(allowed.headers.get('location')).toBe('http://localhost:3000/');
    const unlisted = await fetch(workos.userManagement.getLogoutUrl({ sessionId: 'session_01X', returnTo: 'https://evil.example.net/' }), {
      redirect: 'manual',
    });
    expect(unlisted.status).toBe(302);
    expect(unlisted.headers.get('location')).toBe('http://localhost:3000/');
  });
});

describe('user, organization and membership reads', () => {
  it('gets a user', async () => {
    const user = await workos.userManagement.getUser(SEED_USER_IDS.member);
    expect(user).toMatchObject({
      object: 'user',
      id: SEED_USER_IDS.member,
      email: 'member@example.com',
      firstName: 'Max',
      lastName: 'Member',
    });
    await expect(workos.userManagement.getUser('user_01MISSING')).rejects.toBeInstanceOf(NotFoundException);
  });

  it('gets an organization', async () => {
    const organization = await workos.organizations.getOrganization(SEED_ORGANIZATION_IDS.acme);
    expect(organization).toMatchObject({
      object: 'organization',
      id: SEED_ORGANIZATION_IDS.acme,
      name: 'Acme',
      domains: [expect.objectContaining({ object: 'organization_domain', domain: 'acme.example.com', state: 'verified' })],
    });
  });

  it('lists memberships of a user in the WorkOS list shape', async () => {
    const list = await workos.userManagement.listOrganizationMemberships({ userId: SEED_USER_IDS.multiOrg, order: 'asc' });
    expect(list.data).toEqual([
      expect.objectContaining({
        organizationId: SEED_ORGANIZATION_IDS.acme,
        organizationName: 'Acme',
        role: { slug: 'member' },
        status: 'active',
      }),
      expect.objectContaining({
        organizationId: SEED_ORGANIZATION_IDS.globex,
        organizationName: 'Globex',
        role: { slug: 'admin' },
        status: 'active',
      }),
    ]);
    const raw = await fetch(`${API}/user_management/organization_memberships?user_id=${SEED_USER_IDS.multiOrg}&limit=1`, {
      headers: { Authorization: `Bearer ${API_KEY}` },
    });
    const body = (await raw.json()) as {
      object: string;
      data: { id: string }[];
      list_metadata: { before: string | null; after: string | null };
    };
    expect(body.object).toBe('list');
    expect(body.data).toHaveLength(1);
    expect(body.list_metadata).toEqual({ before: null, after: body.data[0]?.id });
  });

  it('lists only active memberships unless statuses asks for others, each with the full user and no roles', async () => {
    store.createMembership(SEED_USER_IDS.admin, SEED_ORGANIZATION_IDS.globex, 'member', 'inactive');
    const active = await workos.userManagement.listOrganizationMemberships({ userId: SEED_USER_IDS.admin });
    expect(active.data.map((membership) => membership.organizationId)).toEqual([SEED_ORGANIZATION_IDS.acme]);
    const all = await workos.userManagement.listOrganizationMemberships({
      userId: SEED_USER_IDS.admin,
      statuses: ['active', 'inactive'],
      order: 'asc',
    });
    expect(all.data.map((membership) => [membership.organizationId, membership.status])).toEqual([
      [SEED_ORGANIZATION_IDS.acme, 'active'],
      [SEED_ORGANIZATION_IDS.globex, 'inactive'],
    ]);
    const raw = (await (
      await fetch(`${API}/user_management/organization_memberships?user_id=${SEED_USER_IDS.admin}`, {
        headers: { Authorization: `Bearer ${API_KEY}` },
      })
    ).json()) as {
      data: Record<string, unknown>[];
    };
    expect(raw.data[0]).not.toHaveProperty('roles');
    expect(raw.data[0]?.user).toMatchObject({ object: 'user', id: SEED_USER_IDS.admin, email: 'admin@example.com', external_id: null });
  });

  it('validates limit (1-100) instead of capping it, and needs user_id or organization_id', async () => {
    const get = (query: string) =>
      fetch(`${API}/user_management/organization_memberships?${query}`, { headers: { Authorization: `Bearer ${API_KEY}` } });
    for (const limit of ['0', '101', 'ten']) {
      const response = await get(`user_id=${SEED_USER_IDS.admin}&limit=${limit}`);
      expect(response.status).toBe(400);
      const message = `limit must be an integer from 1 to 100, got "${limit}".`;
      expect(await response.json()).toEqual({
        code: 'invalid_request_parameters',
        message,
        errors: [{ field: 'limit', code: 'limit_invalid', message }],
      });
    }
    expect((await get(`user_id=${SEED_USER_IDS.admin}&limit=100`)).status).toBe(200);
    const missing = await get('');
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({
      code: 'missing_user_id_or_organization_id',
      message: 'Either user_id or organization_id is required.',
    });
  });

  it('requires the API key', async () => {
    const response = await fetch(`${API}/user_management/users/${SEED_USER_IDS.member}`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: 'Unauthorized', code: 'unauthorized' });
  });
});

describe('sessions: list and revoke', () => {
  it("lists a user's sessions with the SDK, and a revoked session's next refresh fails with invalid_grant", async () => {
    const first = await signIn('impersonated@example.com');
    const second = await signIn('impersonated@example.com');
    const list = await workos.userManagement.listSessions(SEED_USER_IDS.impersonated, { order: 'asc' });
    expect(list.data).toEqual([
      expect.objectContaining({
        object: 'session',
        userId: SEED_USER_IDS.impersonated,
        organizationId: SEED_ORGANIZATION_IDS.acme,
        impersonator: { email: 'support@example.com', reason: expect.stringContaining('ticket') },
        authMethod: 'impersonation',
        status: 'active',
        endedAt: null,
        expiresAt: expect.any(String),
      }),
      expect.objectContaining({ status: 'active' }),
    ]);
    const [firstSession, secondSession] = list.data;
    expect(firstSession?.id).toBe(decodeJwt(first.accessToken).sid);

    await workos.userManagement.revokeSession({ sessionId: firstSession?.id ?? '' });
    const error = await rejection(
      workos.userManagement.authenticateWithRefreshToken({ clientId: CLIENT_ID, refreshToken: first.refreshToken }),
    );
    expect(error).toBeInstanceOf(OauthException);
    expect(error).toMatchObject({ status: 400, error: 'invalid_grant', errorDescription: 'The session has ended.' });
    // The other session is untouched.
    await expect(
      workos.userManagement.authenticateWithRefreshToken({ clientId: CLIENT_ID, refreshToken: second.refreshToken }),
    ).resolves.toMatchObject({
      user: { id: SEED_USER_IDS.impersonated },
    });
    const after = await workos.userManagement.listSessions(SEED_USER_IDS.impersonated, { order: 'asc' });
    expect(after.data.map((session) => [session.id, session.status, session.endedAt === null])).toEqual([
      [firstSession?.id, 'revoked', false],
      [secondSession?.id, 'active', true],
    ]);
  });

  it("records the browser's user agent at the hosted sign-in", async () => {
    const pkce = createPkce();
    const authorize = await fetch(authorizeUrl(API, pkce), {
      redirect: 'manual',
      headers: { 'user-agent': 'Mozilla/5.0 (Test) Browser/1.0' },
    });
    const page = await fetch(authorize.headers.get('location') ?? '');
    const requestId = authorizationRequestId(await page.text());
    await redeem(await postPasswordForm(API, requestId, 'member@example.com', DEMO_PASSWORD), pkce);
    const { data } = await workos.userManagement.listSessions(SEED_USER_IDS.member);
    expect(data[0]).toMatchObject({ userAgent: 'Mozilla/5.0 (Test) Browser/1.0', authMethod: 'password' });
  });

  it('answers an unknown session with 400 and an unknown user with 404', async () => {
    await expect(workos.userManagement.revokeSession({ sessionId: 'session_01NOPE' })).rejects.toMatchObject({
      status: 400,
      message: "Session not found: 'session_01NOPE'.",
    });
    await expect(workos.userManagement.listSessions('user_01NOPE')).rejects.toBeInstanceOf(NotFoundException);
  });
});

describe('refresh-token replay window', () => {
  it('is strict single use by default; inside a configured window the just-used token gets the same rotated pair', async () => {
    const auth = await signIn('admin@example.com');
    store.config.refreshTokenReplayWindowSeconds = 10;
    const rotated = await workos.userManagement.authenticateWithRefreshToken({ clientId: CLIENT_ID, refreshToken: auth.refreshToken });
    const replayed = await workos.userManagement.authenticateWithRefreshToken({ clientId: CLIENT_ID, refreshToken: auth.refreshToken });
    expect(replayed.refreshToken).toBe(rotated.refreshToken);
    expect(replayed.accessToken).toBe(rotated.accessToken);

    clock.offsetMs = 10_001;
    await expect(
      workos.userManagement.authenticateWithRefreshToken({ clientId: CLIENT_ID, refreshToken: auth.refreshToken }),
    ).rejects.toMatchObject({
      status: 400,
      error: 'invalid_grant',
      errorDescription: 'Refresh token already exchanged.',
    });
    // The rotated token still works once.
    await expect(
      workos.userManagement.authenticateWithRefreshToken({ clientId: CLIENT_ID, refreshToken: rotated.refreshToken }),
    ).resolves.toMatchObject({
      user: { id: SEED_USER_IDS.admin },
    });
  });

  it('does not replay for a session that has ended', async () => {
    const auth = await signIn('admin@example.com');
    store.config.refreshTokenReplayWindowSeconds = 10;
    await workos.userManagement.authenticateWithRefreshToken({ clientId: CLIENT_ID, refreshToken: auth.refreshToken });
    store.endSession(String(decodeJwt(auth.accessToken).sid));
    await expect(
      workos.userManagement.authenticateWithRefreshToken({ clientId: CLIENT_ID, refreshToken: auth.refreshToken }),
    ).rejects.toMatchObject({
      error: 'invalid_grant',
      errorDescription: 'The session has ended.',
    });
  });
});

describe('faults, request log and unmocked paths', () => {
  it('omits and nulls named fields for one user only (alter_fields)', async () => {
    store.addFault({
      endpoint: 'list_organization_memberships',
      match: { userId: SEED_USER_IDS.multiOrg },
      action: { type: 'alter_fields', omit: ['data[].organization_name'], nullify: ['data[].user.first_name', 'list_metadata.after'] },
    });
    const get = (userId: string) =>
      fetch(`${API}/user_management/organization_memberships?user_id=${userId}&limit=1`, {
        headers: { Authorization: `Bearer ${API_KEY}` },
      }).then(async (response) => ({
        status: response.status,
        body: (await response.json()) as { data: Record<string, unknown>[]; list_metadata: Record<string, unknown> },
      }));
    const other = await get(SEED_USER_IDS.admin);
    expect(other.body.data[0]).toHaveProperty('organization_name', 'Acme');

    const altered = await get(SEED_USER_IDS.multiOrg);
    expect(altered.status).toBe(200);
    expect(altered.body.data).toHaveLength(1);
    expect(altered.body.data[0]).not.toHaveProperty('organization_name');
    expect(altered.body.data[0]?.user).toMatchObject({ first_name: null, last_name: 'Multi' });
    expect(altered.body.list_metadata).toEqual({ before: null, after: null });
    expect(
      store
        .requestLog({ userId: SEED_USER_IDS.multiOrg, endpoint: 'list_organization_memberships' })
        .map((entry) => [entry.status, entry.fault]),
    ).toEqual([[200, 'alter_fields']]);
    // Used up: the next answer is whole again.
    expect((await get(SEED_USER_IDS.multiOrg)).body.data[0]).toHaveProperty('organization_name');
  });

  it('rejects an alter_fields fault that names no field', async () => {
    const response = await fetch(`${API}/__mock/faults`, {
      method: 'POST',
      body: JSON.stringify({ endpoint: 'get_user', action: { type: 'alter_fields', omit: [] } }),
    });
    expect(response.status).toBe(422);
  });

  it('fails only the scoped user, and logs calls per user', async () => {
    const admin = await signIn('admin@example.com');
    const member = await signIn('member@example.com');
    store.addFault({
      endpoint: 'authenticate',
      match: { userId: SEED_USER_IDS.member, grantType: 'refresh_token' },
      action: { type: 'status', status: 503, body: { message: 'injected outage' } },
    });
    await expect(
      workos.userManagement.authenticateWithRefreshToken({ clientId: CLIENT_ID, refreshToken: admin.refreshToken }),
    ).resolves.toBeTruthy();
    const error = await rejection(
      workos.userManagement.authenticateWithRefreshToken({ clientId: CLIENT_ID, refreshToken: member.refreshToken }),
    );
    expect(error).toMatchObject({ status: 503, message: 'injected outage' });
    // The fault was used up and did not consume the refresh token.
    await expect(
      workos.userManagement.authenticateWithRefreshToken({ clientId: CLIENT_ID, refreshToken: member.refreshToken }),
    ).resolves.toBeTruthy();

    const memberRefreshes = store.requestLog({ userId: SEED_USER_IDS.member, endpoint: 'authenticate', grantType: 'refresh_token' });
    expect(memberRefreshes.map((entry) => [entry.status, entry.fault])).toEqual([
      [503, 'status'],
      [200, null],
    ]);
    expect(memberRefreshes[1]).toMatchObject({
      method: 'POST',
      path: '/user_management/authenticate',
      sessionId: expect.stringMatching(/^session_/),
    });
  });

  it('drops the connection for a global JWKS fault', async () => {
    store.addFault({ endpoint: 'jwks', action: { type: 'drop' } });
    await expect(fetch(`${API}/sso/jwks/${CLIENT_ID}`)).rejects.toThrow(TypeError);
    expect((await fetch(`${API}/sso/jwks/${CLIENT_ID}`)).status).toBe(200);
  });

  it('answers an unmocked path with a 404 naming it', async () => {
    const response = await fetch(`${API}/user_management/waitlists`, { method: 'GET' });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      code: 'mock_not_implemented',
      message: expect.stringContaining('GET /user_management/waitlists'),
    });
  });
});

describe('control API', () => {
  it('creates users with memberships that can sign in, and sets the token lifetime', async () => {
    const organization = (await (
      await fetch(`${API}/__mock/organizations`, { method: 'POST', body: JSON.stringify({ name: 'Hooli', entitlements: ['sso'] }) })
    ).json()) as { id: string; object: string };
    expect(organization.object).toBe('organization');
    const created = await fetch(`${API}/__mock/users`, {
      method: 'POST',
      body: JSON.stringify({
        email: 'hooli.admin@example.com',
        password: DEMO_PASSWORD,
        memberships: [{ organizationId: organization.id, role: 'admin' }],
      }),
    });
    expect(created.status).toBe(201);
    const { user, memberships } = (await created.json()) as {
      user: { id: string; object: string };
      memberships: { organization_name: string }[];
    };
    expect(user.object).toBe('user');
    expect(memberships).toEqual([expect.objectContaining({ organization_name: 'Hooli', role: { slug: 'admin' } })]);

    const ttl = await fetch(`${API}/__mock/config`, { method: 'PATCH', body: JSON.stringify({ accessTokenTtlSeconds: 42 }) });
    expect(await ttl.json()).toEqual({
      accessTokenTtlSeconds: 42,
      pkceRequired: false,
      refreshTokenReplayWindowSeconds: 0,
      organizationSelectionRequired: false,
      mfaRequired: false,
    });
    const auth = await signIn('hooli.admin@example.com');
    const { payload } = await jwtVerify(auth.accessToken, createRemoteJWKSet(new URL(`${API}/sso/jwks/${CLIENT_ID}`)));
    expect(payload).toMatchObject({ sub: user.id, org_id: organization.id, entitlements: ['sso'] });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(42);
  });

  it('rejects invalid input with 422 and the reason', async () => {
    const duplicate = await fetch(`${API}/__mock/users`, { method: 'POST', body: JSON.stringify({ email: 'admin@example.com' }) });
    expect(duplicate.status).toBe(422);
    expect(await duplicate.json()).toEqual({ message: 'a user with email admin@example.com already exists' });
    const badFault = await fetch(`${API}/__mock/faults`, {
      method: 'POST',
      body: JSON.stringify({ endpoint: 'nope', action: { type: 'drop' } }),
    });
    expect(badFault.status).toBe(422);
  });
});
