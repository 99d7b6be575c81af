/**
 * The hosted page's MFA and passkey steps (handlers/hosted-steps/), driven as a browser would
 * (GET, POST forms, follow redirects) through msw on WorkOS' origin, and each sign-in's code
 * exchanged with the real SDK: what the app receives. The passkeys are signed by a software
 * authenticator; the same in Chromium: e2e/hosted-mfa-passkeys.spec.ts.
 */
import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, SEED_ORGANIZATION_IDS, SEED_USER_IDS } from './seed.ts';
import { flipLastByte, SoftwareAuthenticator } from './software-authenticator.ts';
import { ONE_TIME_CODE_TTL_SECONDS } from './store.ts';
import {
  CLIENT_ID,
  WORKOS_ORIGIN,
  callbackCode,
  createPkce,
  openSignInPage,
  postForm,
  postPasswordForm,
  rejection,
  useMockOnWorkOSOrigin,
  useTestClock,
  type Pkce,
} from './test-helpers.ts';

const API = WORKOS_ORIGIN;

const clock = useTestClock();
const mock = useMockOnWorkOSOrigin({ clock: clock.now });

/** Follows a redirect of the hosted flow (303 to one of its pages) and reads the page. */
async function follow(response: Response): Promise<{ status: number; html: string; url: string }> {
  expect(response.status).toBe(303);
  const url = new URL(response.headers.get('location') ?? '', API).href;
  const page = await fetch(url, { redirect: 'manual' });
  return { status: page.status, html: await page.text(), url };
}

/** A password sign-in on the hosted page, up to the response of its form. */
async function passwordSignIn(email: string, pkce: Pkce = createPkce()) {
  const { requestId } = await openSignInPage(API, pkce);
  return { requestId, pkce, response: await postPasswordForm(API, requestId, email, DEMO_PASSWORD) };
}

const secretOn = (html: string) => /<code id="totp-secret"[^>]*>([A-Z2-7]+)<\/code>/.exec(html)?.[1] ?? '';
const codeOf = (secret: string) => new TOTP({ secret: Secret.fromBase32(secret) }).generate();
/** A 6-digit code that is none of the three the mock accepts now (one step either side). */
function wrongCodeFor(secret: string): string {
  const totp = new TOTP({ secret: Secret.fromBase32(secret) });
  const valid = [-30_000, 0, 30_000].map((offset) => totp.generate({ timestamp: Date.now() + offset }));
  return ['000000', '111111', '222222', '333333'].find((code) => !valid.includes(code)) ?? '444444';
}
const optionsOn = (html: string) =>
  JSON.parse(/<script type="application\/json" id="webauthn-options">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? 'null');

const mfaForm = (requestId: string, code: string) => postForm(`${API}/authkit/mfa`, { authorization_request: requestId, code });

/** A member of a new organization that requires MFA, without a factor. */
function mfaRequiredMember(email = 'pat@example.com') {
  const organization = mock.store.createOrganization({ name: 'Vault', mfaRequired: true });
  return mock.store.createUser({ email, password: DEMO_PASSWORD, memberships: [{ organizationId: organization.id, role: 'member' }] });
}

describe('MFA on the hosted page', () => {
  it('sets up TOTP for a member of an organization that requires MFA: QR code and key, a wrong code refused, a current one signs in', async () => {
    const user = mfaRequiredMember();
    const { requestId, pkce, response } = await passwordSignIn(user.email);
    const setup = await follow(response);
    expect(setup.url).toBe(`${API}/authkit/mfa?authorization_request=${requestId}`);
    expect(setup.html).toContain('<h1>Set up two-factor authentication</h1>');
    expect(setup.html).toContain('Vault requires a second step at sign-in.');
    expect(setup.html).toMatch(
      /<img\s+src="data:image\/png;base64,[A-Za-z0-9+/=]+"[^>]*alt="QR code that adds pat@example.com \(AuthKit Demo\) to an authenticator app"/,
    );
    const secret = secretOn(setup.html);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(mock.store.factorsOfUser(user.id)).toEqual([]);

    const wrong = await mfaForm(requestId, wrongCodeFor(secret));
    expect(wrong.status).toBe(400);
    const wrongHtml = await wrong.text();
    expect(wrongHtml).toContain('<p class="alert" role="alert">That authentication code is not valid. Try again.</p>');
    expect(secretOn(wrongHtml)).toBe(secret);
    expect(mock.store.factorsOfUser(user.id)).toEqual([]);

    const auth = await mock.redeem(await mfaForm(requestId, codeOf(secret)), pkce);
    expect(auth.user.id).toBe(user.id);
    expect(auth.authenticationMethod).toBe('Password');
    const { data: factors } = await mock.workos.multiFactorAuth.listUserAuthFactors({ userId: user.id });
    expect(factors.map(({ type, userId }) => ({ type, userId }))).toEqual([{ type: 'totp', userId: user.id }]);

    // The next sign-in asks for a code of that factor, with no set-up and no demo code.
    const next = await passwordSignIn(user.email);
    const challenge = await follow(next.response);
    expect(challenge.html).toContain('<h1>Two-factor authentication</h1>');
    expect(challenge.html).not.toContain('totp-secret');
    expect(challenge.html).not.toContain('Demo authenticator');
    expect(await mock.redeem(await mfaForm(next.requestId, codeOf(secret)), next.pkce)).toMatchObject({ user: { id: user.id } });
    expect(mock.store.factorsOfUser(user.id)).toHaveLength(1);
  });

  it('ends the sign-in after five wrong codes', async () => {
    const user = mfaRequiredMember();
    const { requestId, response } = await passwordSignIn(user.email);
    const secret = secretOn((await follow(response)).html);
    for (let attempt = 1; attempt < 5; attempt += 1) expect((await mfaForm(requestId, wrongCodeFor(secret))).status).toBe(400);
    const last = await mfaForm(requestId, wrongCodeFor(secret));
    expect(last.status).toBe(429);
    expect(await last.text()).toContain('<p class="alert" role="alert">Too many wrong authentication codes. Sign in again.</p>');
    const after = await mfaForm(requestId, codeOf(secret));
    expect(after.status).toBe(400);
    expect(await after.text()).toContain('<p class="alert" role="alert">This sign-in has expired. Sign in again.</p>');
    expect(mock.store.factorsOfUser(user.id)).toEqual([]);
  });

  it('lives 10 minutes, as the API’s MFA step: a current code after that gets the sign-in page, and no factor is stored', async () => {
    const codeNow = (secret: string) => new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: clock.now() });
    const onTime = await passwordSignIn(mfaRequiredMember('pat@example.com').email);
    const onTimeSecret = secretOn((await follow(onTime.response)).html);
    const lateUser = mfaRequiredMember('sam@example.com');
    const late = await passwordSignIn(lateUser.email);
    const lateSecret = secretOn((await follow(late.response)).html);

    clock.offsetMs = ONE_TIME_CODE_TTL_SECONDS * 1000 - 1000;
    expect(await mock.redeem(await mfaForm(onTime.requestId, codeNow(onTimeSecret)), onTime.pkce)).toMatchObject({
      user: { email: 'pat@example.com' },
    });

    clock.offsetMs = ONE_TIME_CODE_TTL_SECONDS * 1000;
    const page = await fetch(`${API}/authkit/mfa?authorization_request=${late.requestId}`);
    expect(await page.text()).toContain('<h1>Sign-in expired</h1>');
    const expired = await mfaForm(late.requestId, codeNow(lateSecret));
    expect(expired.status).toBe(400);
    expect(await expired.text()).toContain('<p class="alert" role="alert">This sign-in has expired. Sign in again.</p>');
    expect(mock.store.factorsOfUser(lateUser.id)).toEqual([]);
  });

  it('with MFA required in the environment, asks every password user to set it up, but not an SSO user', async () => {
    mock.store.config.mfaRequired = true;
    const member = await follow((await passwordSignIn('member@example.com')).response);
    expect(member.html).toContain('<h1>Set up two-factor authentication</h1>');
    expect(member.html).toContain('This application requires a second step at sign-in.');

    const pkce = createPkce();
    const { requestId } = await openSignInPage(API, pkce);
    const sso = await postForm(`${API}/authkit/sso`, { authorization_request: requestId, email: 'sso@initech.example.com' });
    expect(sso.headers.get('location')).toBe(`/authkit/sso/connection?authorization_request=${requestId}`);
    const connection = await postForm(`${API}/authkit/sso/connection`, { authorization_request: requestId });
    expect((await mock.redeem(connection, pkce)).authenticationMethod).toBe('SSO');
  });
});

describe('the steps in hosted AuthKit’s order, and MFA by the organization the sign-in lands in', () => {
  const { acme } = SEED_ORGANIZATION_IDS;
  const pick = (requestId: string, organizationId: string) =>
    postForm(`${API}/authkit/organization-selection`, { authorization_request: requestId, organization_id: organizationId });

  it('asks for MFA in the organization picked that requires it, and not in the one that does not', async () => {
    const vault = mock.store.createOrganization({ name: 'Vault', mfaRequired: true });
    const user = mock.store.createUser({
      email: 'pat@example.com',
      password: DEMO_PASSWORD,
      memberships: [
        { organizationId: acme, role: 'member' },
        { organizationId: vault.id, role: 'member' },
      ],
    });
    const intoAcme = await passwordSignIn(user.email);
    expect(await intoAcme.response.text()).toContain('<h1>Choose an organization</h1>');
    expect(await mock.redeem(await pick(intoAcme.requestId, acme), intoAcme.pkce)).toMatchObject({ organizationId: acme });
    expect(mock.store.factorsOfUser(user.id)).toEqual([]);

    const intoVault = await passwordSignIn(user.email);
    const setup = await follow(await pick(intoVault.requestId, vault.id));
    expect(setup.html).toContain('Vault requires a second step at sign-in.');
    const secret = secretOn(setup.html);
    const auth = await mock.redeem(await mfaForm(intoVault.requestId, codeOf(secret)), intoVault.pkce);
    expect(auth).toMatchObject({ organizationId: vault.id, authenticationMethod: 'Password' });

    // With a factor, every sign-in asks for its code, Acme's too.
    const backIntoAcme = await passwordSignIn(user.email);
    const challenge = await follow(await pick(backIntoAcme.requestId, acme));
    expect(challenge.html).toContain('<h1>Two-factor authentication</h1>');
    expect(await mock.redeem(await mfaForm(backIntoAcme.requestId, codeOf(secret)), backIntoAcme.pkce)).toMatchObject({
      organizationId: acme,
    });
  });

  it('sets MFA up for an invitation into an organization that requires it before accepting it; the code is for that organization', async () => {
    const vault = mock.store.createOrganization({ name: 'Vault', mfaRequired: true });
    const invitation = await mock.workos.userManagement.sendInvitation({ email: 'member@example.com', organizationId: vault.id });
    const pkce = createPkce();
    const { requestId } = await openSignInPage(API, pkce, { invitation_token: invitation.token });
    const setup = await follow(await postPasswordForm(API, requestId, 'member@example.com', DEMO_PASSWORD));
    expect(setup.html).toContain('Vault requires a second step at sign-in.');
    // Not accepted yet: a sign-in that stops here joins nothing.
    expect(await mock.workos.userManagement.getInvitation(invitation.id)).toMatchObject({ state: 'pending' });
    expect(mock.store.activeMembership(SEED_USER_IDS.member, vault.id)).toBeUndefined();

    const auth = await mock.redeem(await mfaForm(requestId, codeOf(secretOn(setup.html))), pkce);
    expect(auth).toMatchObject({ organizationId: vault.id, authenticationMethod: 'Password' });
    expect(await mock.workos.userManagement.getInvitation(invitation.id)).toMatchObject({ state: 'accepted' });
  });

  it('runs email verification, the organization picker, MFA set-up and the passkey offer in that order, then answers the code', async () => {
    const vault = mock.store.createOrganization({ name: 'Vault', mfaRequired: true });
    const user = mock.store.createUser({
      email: 'ori@example.com',
      password: DEMO_PASSWORD,
      emailVerified: false,
      passkeyProgressiveEnrollment: true,
      memberships: [
        { organizationId: acme, role: 'member' },
        { organizationId: vault.id, role: 'member' },
      ],
    });
    const { requestId, pkce, response } = await passwordSignIn(user.email);
    expect(await response.text()).toContain('<h1>Verify your email</h1>');
    const [mail] = mock.store.outbox.list({ to: user.email, kind: 'email_verification' });
    const verified = await postForm(`${API}/authkit/email-verification`, { authorization_request: requestId, code: mail?.code ?? '' });
    expect(await verified.text()).toContain('<h1>Choose an organization</h1>');
    const setup = await follow(await pick(requestId, vault.id));
    expect(setup.html).toContain('<h1>Set up two-factor authentication</h1>');
    const offer = await follow(await mfaForm(requestId, codeOf(secretOn(setup.html))));
    expect(offer.html).toContain('<h1>Create a passkey</h1>');
    const skipped = await postForm(`${API}/authkit/passkey/skip`, { authorization_request: requestId, choice: 'later' });
    expect(await mock.redeem(skipped, pkce)).toMatchObject({
      organizationId: vault.id,
      authenticationMethod: 'Password',
      user: { id: user.id, emailVerified: true },
    });
  });
});

describe('the API when MFA is required', () => {
  it('answers a password grant of a user without a factor with mfa_enrollment; the app enrolls one and finishes with the TOTP grant', async () => {
    const user = mfaRequiredMember();
    const error = await rejection(
      mock.workos.userManagement.authenticateWithPassword({ clientId: CLIENT_ID, email: user.email, password: DEMO_PASSWORD }),
    );
    expect(error).toMatchObject({ name: 'AuthenticationException', status: 403, code: 'mfa_enrollment' });
    expect(error.rawData).toMatchObject({
      code: 'mfa_enrollment',
      message: 'The user must enroll in MFA to finish authenticating.',
      pending_authentication_token: error.pendingAuthenticationToken,
      user: { id: user.id, email: user.email },
    });
    const { authenticationFactor, authenticationChallenge } = await mock.workos.multiFactorAuth.createUserAuthFactor({
      userId: user.id,
      type: 'totp',
    });
    const auth = await mock.workos.userManagement.authenticateWithTotp({
      clientId: CLIENT_ID,
      pendingAuthenticationToken: String(error.pendingAuthenticationToken),
      authenticationChallengeId: authenticationChallenge.id,
      code: codeOf(authenticationFactor.totp?.secret ?? ''),
    });
    expect(auth).toMatchObject({ user: { id: user.id }, authenticationMethod: 'Password' });
  });
});

describe('passkeys on the hosted page', () => {
  /** The seeded passkey user's password sign-in, the offer, and a passkey created there; the code exchange. */
  async function createPasskey(authenticator: SoftwareAuthenticator, email = 'passkey@example.com') {
    const { requestId, pkce, response } = await passwordSignIn(email);
    const offer = await follow(response);
    expect(offer.url).toBe(`${API}/authkit/passkey/create?authorization_request=${requestId}`);
    expect(offer.html).toContain('<h1>Create a passkey</h1>');
    const credential = authenticator.register(optionsOn(offer.html), API);
    const created = await postForm(`${API}/authkit/passkey/create`, {
      authorization_request: requestId,
      credential: JSON.stringify(credential),
    });
    return mock.redeem(created, pkce);
  }

  /** "Sign in with a passkey": the page, the authenticator's answer (changed by `tamper`), the form. */
  async function passkeySignIn(
    authenticator: SoftwareAuthenticator,
    tamper = (answer: ReturnType<SoftwareAuthenticator['authenticate']>) => answer,
  ) {
    const pkce = createPkce();
    const { requestId } = await openSignInPage(API, pkce);
    const page = await fetch(`${API}/authkit/passkey/sign-in?authorization_request=${requestId}`);
    const html = await page.text();
    expect(html).toContain('<h1>Sign in with a passkey</h1>');
    const answer = tamper(authenticator.authenticate(optionsOn(html), API));
    const response = await postForm(`${API}/authkit/passkey/sign-in`, {
      authorization_request: requestId,
      credential: JSON.stringify(answer),
    });
    return { requestId, pkce, response };
  }

  it('offers a passkey after a password sign-in, then signs in with it: authentication method Passkey, session auth_method passkey', async () => {
    const authenticator = new SoftwareAuthenticator();
    const first = await createPasskey(authenticator);
    expect(first).toMatchObject({
      user: { id: SEED_USER_IDS.passkey },
      authenticationMethod: 'Password',
      organizationId: SEED_ORGANIZATION_IDS.acme,
    });
    expect(mock.store.passkeysOfUser(SEED_USER_IDS.passkey)).toHaveLength(1);

    const { pkce, response } = await passkeySignIn(authenticator);
    const auth = await mock.redeem(response, pkce);
    expect(auth).toMatchObject({
      user: { id: SEED_USER_IDS.passkey },
      authenticationMethod: 'Passkey',
      organizationId: SEED_ORGANIZATION_IDS.acme,
    });
    // The request log keeps what each code exchange answered.
    const exchanges = mock.store.requestLog({ userId: SEED_USER_IDS.passkey, endpoint: 'authenticate' });
    expect(exchanges.map(({ grantType, authenticationMethod }) => ({ grantType, authenticationMethod }))).toEqual([
      { grantType: 'authorization_code', authenticationMethod: 'Password' },
      { grantType: 'authorization_code', authenticationMethod: 'Passkey' },
    ]);
    const { data: sessions } = await mock.workos.userManagement.listSessions(SEED_USER_IDS.passkey);
    expect(sessions.map((session) => session.authMethod).sort()).toEqual(['passkey', 'password']);

    // With a passkey, the offer is not made again.
    const again = await passwordSignIn('passkey@example.com');
    expect(callbackCode(again.response)).toMatch(/^[\w-]{20,}$/);
  });

  it('refuses a tampered assertion on the page, and signs in with the genuine one after', async () => {
    const authenticator = new SoftwareAuthenticator();
    await createPasskey(authenticator);
    const tampered = await passkeySignIn(authenticator, (answer) => ({
      ...answer,
      response: { ...answer.response, signature: flipLastByte(answer.response.signature) },
    }));
    expect(tampered.response.status).toBe(400);
    const html = await tampered.response.text();
    expect(html).toMatch(
      /<p id="passkey-status" class="alert" role="alert"\s*>The passkey was not verified: its signature does not match\.<\/p>/,
    );
    // The refused answer used its challenge up: the page carries a new one.
    const retry = authenticator.authenticate(optionsOn(html), API);
    const response = await postForm(`${API}/authkit/passkey/sign-in`, {
      authorization_request: tampered.requestId,
      credential: JSON.stringify(retry),
    });
    expect((await mock.redeem(response, tampered.pkce)).authenticationMethod).toBe('Passkey');
  });

  it('refuses the same answer posted twice (its challenge is used up) and a post without a credential', async () => {
    const authenticator = new SoftwareAuthenticator();
    await createPasskey(authenticator);
    const pkce = createPkce();
    const { requestId } = await openSignInPage(API, pkce);
    const html = await (await fetch(`${API}/authkit/passkey/sign-in?authorization_request=${requestId}`)).text();
    const answer = JSON.stringify(authenticator.authenticate(optionsOn(html), API));
    const empty = await postForm(`${API}/authkit/passkey/sign-in`, { authorization_request: requestId, credential: '' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('>The browser sent no passkey. Try again.</p>');
    // The empty post used the first page's challenge up, so its answer is refused too.
    const replay = await postForm(`${API}/authkit/passkey/sign-in`, { authorization_request: requestId, credential: answer });
    expect(replay.status).toBe(400);
    expect(await replay.text()).toMatch(/The passkey was not verified: Unexpected authentication response challenge/);
  });

  it('asks no TOTP code after a passkey where MFA is required (a passkey is both factors)', async () => {
    const authenticator = new SoftwareAuthenticator();
    await createPasskey(authenticator);
    const vault = mock.store.createOrganization({ name: 'Vault', mfaRequired: true });
    mock.store.createMembership(SEED_USER_IDS.passkey, vault.id, 'member');
    // Two organizations now: the picker comes first, and Vault, which requires MFA, asks no code after it.
    const { requestId, pkce, response } = await passkeySignIn(authenticator);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<h1>Choose an organization</h1>');
    const picked = await postForm(`${API}/authkit/organization-selection`, { authorization_request: requestId, organization_id: vault.id });
    expect(await mock.redeem(picked, pkce)).toMatchObject({ authenticationMethod: 'Passkey', organizationId: vault.id });
    expect(mock.store.factorsOfUser(SEED_USER_IDS.passkey)).toEqual([]);
  });

  it('Not now signs in with the password and does not ask again at the next sign-in; Don’t ask again likewise', async () => {
    for (const choice of ['later', 'never']) {
      mock.store.reset();
      const { requestId, pkce, response } = await passwordSignIn('passkey@example.com');
      expect((await follow(response)).html).toContain('>Not now</button>');
      const skipped = await postForm(`${API}/authkit/passkey/skip`, { authorization_request: requestId, choice });
      expect((await mock.redeem(skipped, pkce)).authenticationMethod).toBe('Password');
      expect(callbackCode((await passwordSignIn('passkey@example.com')).response)).toMatch(/^[\w-]{20,}$/);
      expect(mock.store.passkeysOfUser(SEED_USER_IDS.passkey)).toEqual([]);
    }
  });

  it('does not offer a passkey to users without progressive enrollment, nor after a magic code', async () => {
    expect(callbackCode((await passwordSignIn('member@example.com')).response)).toMatch(/^[\w-]{20,}$/);
    const pkce = createPkce();
    const { requestId } = await openSignInPage(API, pkce);
    const codePage = await (
      await postForm(`${API}/authkit/magic-auth`, { authorization_request: requestId, email: 'passkey@example.com' })
    ).text();
    const code = /<span class="code">(\d{6})<\/span>/.exec(codePage)?.[1] ?? '';
    const verified = await postForm(`${API}/authkit/magic-auth/verify`, { authorization_request: requestId, code });
    expect((await mock.redeem(verified, pkce)).authenticationMethod).toBe('MagicAuth');
  });
});
