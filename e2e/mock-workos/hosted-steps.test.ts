/**
 * The steps of the hosted page (issue #24, handlers/hosted-steps/): organization selection, email
 * verification, SSO-required organizations, and the outbox a person reads. Driven as a browser
 * would (pages and forms) through msw's setupServer; the codes are exchanged through the real SDK.
 */
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, ROLE_PERMISSIONS, SEED_ORGANIZATION_IDS } from './seed.ts';
import { ONE_TIME_CODE_TTL_SECONDS } from './store.ts';
import {
  CLIENT_ID,
  WORKOS_ORIGIN,
  authenticateWithDemoPassword,
  callbackParams,
  createPkce,
  openSignInPage,
  postForm,
  postPasswordForm,
  useMockOnWorkOSOrigin,
  useTestClock,
} from './test-helpers.ts';

const API = WORKOS_ORIGIN;
const { acme, globex, initech } = SEED_ORGANIZATION_IDS;

const clock = useTestClock();
const mock = useMockOnWorkOSOrigin({ clock: clock.now });

const claimsOf = async (accessToken: string) =>
  (await jwtVerify(accessToken, createRemoteJWKSet(new URL(`${API}/sso/jwks/${CLIENT_ID}`)))).payload;

/** A password sign-in on the hosted page, stopped at what it answers. */
async function passwordStep(email: string, extra: Record<string, string> = {}) {
  const pkce = createPkce();
  const { requestId } = await openSignInPage(API, pkce, extra);
  return { pkce, requestId, response: await postPasswordForm(API, requestId, email, DEMO_PASSWORD) };
}

const form = (path: string, requestId: string, fields: Record<string, string> = {}) =>
  postForm(`${API}${path}`, { authorization_request: requestId, ...fields });

describe('organization selection', () => {
  it('a user with several organizations picks one on the page; the code carries it, and the token is that organization’s', async () => {
    const { pkce, requestId, response } = await passwordStep('multi-org@example.com');
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<h1>Choose an organization</h1>');
    expect(html).toContain('<ul class="choices" aria-labelledby="organizations">');
    expect([...html.matchAll(/name="organization_id" value="([^"]+)">([^<]+)<\/button>/g)].map(([, id, name]) => [id, name])).toEqual([
      [acme, 'Acme'],
      [globex, 'Globex'],
    ]);

    const auth = await mock.redeem(await form('/authkit/organization-selection', requestId, { organization_id: globex }), pkce);
    expect(auth.organizationId).toBe(globex);
    expect(auth.authenticationMethod).toBe('Password');
    expect(await claimsOf(auth.accessToken)).toMatchObject({ org_id: globex, role: 'admin', permissions: ROLE_PERMISSIONS.admin });
  });

  it('refuses an organization that is not one of the user’s, and the user picks again', async () => {
    const { pkce, requestId } = await passwordStep('multi-org@example.com');
    const refused = await form('/authkit/organization-selection', requestId, { organization_id: initech });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('<p class="alert" role="alert">Choose one of your organizations.</p>');
    const auth = await mock.redeem(await form('/authkit/organization-selection', requestId, { organization_id: acme }), pkce);
    expect(auth.organizationId).toBe(acme);
  });

  it('no picker with organization_id in the request, or with one active membership', async () => {
    expect(
      (await authenticateWithDemoPassword(mock.workos, API, 'multi-org@example.com', { extra: { organization_id: globex } }))
        .organizationId,
    ).toBe(globex);
    expect((await authenticateWithDemoPassword(mock.workos, API, 'member@example.com')).organizationId).toBe(acme);
    // An inactive membership is not one to pick.
    const user = mock.store.createUser({
      email: 'one-active@example.com',
      password: DEMO_PASSWORD,
      memberships: [
        { organizationId: acme, role: 'member' },
        { organizationId: globex, role: 'member', status: 'inactive' },
      ],
    });
    expect((await authenticateWithDemoPassword(mock.workos, API, user.email)).organizationId).toBe(acme);
  });

  it('the choice lives as long as its pending authentication (10 minutes), then the user signs in again', async () => {
    const { requestId } = await passwordStep('multi-org@example.com');
    clock.offsetMs = (ONE_TIME_CODE_TTL_SECONDS + 1) * 1000;
    const late = await form('/authkit/organization-selection', requestId, { organization_id: acme });
    expect(late.status).toBe(400);
    expect(await late.text()).toContain('This organization choice has expired. Sign in again.');
  });
});

describe('email verification', () => {
  const unverifiedUser = (email: string) =>
    mock.store.createUser({
      email,
      password: DEMO_PASSWORD,
      emailVerified: false,
      memberships: [{ organizationId: acme, role: 'member' }],
    });
  const codesSentTo = (email: string) =>
    mock.store.outbox.list({ to: email, kind: 'email_verification' }).map((message) => message.code ?? '');
  const wrong = (code: string) => (code === '000000' ? '111111' : '000000');

  it('asks an unverified user for the emailed code; a wrong code is refused, the right one signs in verified', async () => {
    const user = unverifiedUser('unverified-1@example.com');
    const eventsBefore = mock.store.events.list().length;
    const { pkce, requestId, response } = await passwordStep(user.email);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<h1>Verify your email</h1>');
    expect(html).toContain('href="/__mock/outbox?to=unverified-1%40example.com&amp;kind=email_verification"');
    const [code = ''] = codesSentTo(user.email);
    expect(code).toMatch(/^\d{6}$/);
    expect(html).not.toContain(code);
    expect(
      mock.store.events
        .list()
        .slice(eventsBefore)
        .map((event) => event.event),
    ).toEqual(['email_verification.created']);

    const refused = await form('/authkit/email-verification', requestId, { code: wrong(code) });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain(
      '<p class="alert" role="alert">That code is not valid. Check the latest email and try again.</p>',
    );

    const auth = await mock.redeem(await form('/authkit/email-verification', requestId, { code }), pkce);
    expect(auth.user).toMatchObject({ id: user.id, emailVerified: true });
    expect(auth.authenticationMethod).toBe('Password');
    expect(auth.organizationId).toBe(acme);
  });

  it('an expired code is refused; "Send a new code" sends another, which works', async () => {
    const user = unverifiedUser('unverified-2@example.com');
    const { pkce, requestId } = await passwordStep(user.email);
    const [first] = mock.store.outbox.list({ to: user.email, kind: 'email_verification' });
    const expiredAt = mock.store.expireOneTimeCode(first?.objectId ?? '');
    expect(mock.store.emailVerifications.get(first?.objectId ?? '')?.expiresAt).toBe(expiredAt);
    const expired = await form('/authkit/email-verification', requestId, { code: first?.code ?? '' });
    expect(expired.status).toBe(400);
    expect(await expired.text()).toContain('That code has expired. Send a new code, then enter it.');

    const resent = await form('/authkit/email-verification/resend', requestId);
    expect(resent.status).toBe(200);
    expect(await resent.text()).toContain(`<p class="notice" role="status">We sent a new code to ${user.email}. Enter the newest one.</p>`);
    const codes = codesSentTo(user.email);
    expect(codes).toHaveLength(2);
    const auth = await mock.redeem(await form('/authkit/email-verification', requestId, { code: codes[1] ?? '' }), pkce);
    expect(auth.user.emailVerified).toBe(true);
  });

  it('five wrong codes use the code up: the page asks for a new one', async () => {
    const user = unverifiedUser('unverified-3@example.com');
    const { requestId } = await passwordStep(user.email);
    const [code = ''] = codesSentTo(user.email);
    const answers: string[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      answers.push(
        /role="alert">([^<]+)</.exec(await (await form('/authkit/email-verification', requestId, { code: wrong(code) })).text())?.[1] ?? '',
      );
    }
    expect(answers.at(-2)).toBe('That code is not valid. Check the latest email and try again.');
    expect(answers.at(-1)).toBe('Too many wrong codes. Send a new code, then enter it.');
    expect(await (await form('/authkit/email-verification', requestId, { code })).text()).toContain('Too many wrong codes.');
  });

  it('a password sign-up starts unverified; Magic Auth proves the email and asks for nothing more', async () => {
    const pkce = createPkce();
    const { requestId } = await openSignInPage(API, pkce, { screen_hint: 'sign-up' });
    const signUp = await form('/authkit/sign-up', requestId, { email: 'fresh@example.com', password: 'long-enough-password' });
    expect(await signUp.text()).toContain('<h1>Verify your email</h1>');
    expect(mock.store.findUserByEmail('fresh@example.com')?.emailVerified).toBe(false);

    const magic = { pkce: createPkce(), requestId: '' };
    magic.requestId = (await openSignInPage(API, magic.pkce)).requestId;
    await form('/authkit/magic-auth', magic.requestId, { email: 'fresh@example.com' });
    const [mail] = mock.store.outbox.list({ to: 'fresh@example.com', kind: 'magic_auth' });
    const auth = await mock.redeem(await form('/authkit/magic-auth/verify', magic.requestId, { code: mail?.code ?? '' }), magic.pkce);
    expect(auth.user.emailVerified).toBe(true);
    expect(auth.authenticationMethod).toBe('MagicAuth');
  });
});

describe('SSO-required organizations', () => {
  const connectionOf = (requestId: string) => `/authkit/sso/connection?authorization_request=${requestId}`;

  it('the password form, "Email me a code" and sign-up send an email of an SSO-required domain to its connection', async () => {
    const password = await passwordStep('sso@initech.example.com');
    expect(password.response.status).toBe(302);
    expect(password.response.headers.get('location')).toBe(connectionOf(password.requestId));

    const { requestId } = await openSignInPage(API, createPkce());
    const magic = await form('/authkit/magic-auth', requestId, { email: 'sso@initech.example.com' });
    expect(magic.headers.get('location')).toBe(connectionOf(requestId));
    expect(mock.store.outbox.list({ to: 'sso@initech.example.com' })).toEqual([]);

    const signUpPage = await openSignInPage(API, createPkce(), { screen_hint: 'sign-up' });
    const signUp = await form('/authkit/sign-up', signUpPage.requestId, { email: 'new@initech.example.com', password: 'x' });
    expect(signUp.headers.get('location')).toBe(connectionOf(signUpPage.requestId));
    expect(mock.store.findUserByEmail('new@initech.example.com')).toBeUndefined();
  });

  it('the connection signs the person in with SSO into its organization: just in time, and verified', async () => {
    mock.store.createUser({ email: 'late@initech.example.com', emailVerified: false });
    const { pkce, requestId, response } = await passwordStep('late@initech.example.com');
    const page = await fetch(`${API}${response.headers.get('location') ?? ''}`);
    const html = await page.text();
    expect(html).toContain('<h1>Initech single sign-on</h1>');
    expect(html).toContain('SSO connection <code>conn_01HDEMOINITECHOKTA00000</code>');
    expect(html).toContain('You are signing in as <strong>late@initech.example.com</strong>.');

    const auth = await mock.redeem(await form('/authkit/sso/connection', requestId), pkce);
    expect(auth).toMatchObject({
      authenticationMethod: 'SSO',
      organizationId: initech,
      user: { email: 'late@initech.example.com', emailVerified: true },
    });
    expect(await claimsOf(auth.accessToken)).toMatchObject({ org_id: initech, role: 'member' });
  });

  it('a misconfigured connection goes back to the app with connection_invalid and no code, and the sign-in is over', async () => {
    const { requestId, response } = await passwordStep('anyone@umbrella.example.com');
    const params = callbackParams(await fetch(`${API}${response.headers.get('location') ?? ''}`, { redirect: 'manual' }));
    expect(params.get('error')).toBe('connection_invalid');
    expect(params.has('code')).toBe(false);
    expect(await (await form('/authkit/sso/connection', requestId)).text()).toContain('<h1>Sign-in expired</h1>');
  });

  it('the connection page of no sign-in sent there is the expired page', async () => {
    const { requestId } = await openSignInPage(API, createPkce());
    for (const id of [requestId, 'authreq_unknown']) {
      const page = await fetch(`${API}/authkit/sso/connection?authorization_request=${id}`);
      expect(page.status).toBe(400);
      expect(await page.text()).toContain('<h1>Sign-in expired</h1>');
    }
  });
});

describe('the outbox', () => {
  it('is a page for a browser and JSON for a test; a message’s code can be expired by its id', async () => {
    await passwordStep('unverified@example.com');
    const [message] = mock.store.outbox.list({ to: 'unverified@example.com' });
    const pageAnswer = await fetch(`${API}/__mock/outbox?to=unverified%40example.com&kind=`, { headers: { accept: 'text/html' } });
    expect(pageAnswer.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await pageAnswer.text();
    expect(html).toContain('<h2 id="messages">1 message to unverified@example.com</h2>');
    expect(html).toContain(`Code: <span class="code">${message?.code ?? ''}</span>`);
    const json = (await (await fetch(`${API}/__mock/outbox?to=unverified%40example.com`)).json()) as { data: unknown[] };
    expect(json.data).toEqual([JSON.parse(JSON.stringify(message))]);

    const expire = (id: string) => fetch(`${API}/__mock/outbox/${id}/expire`, { method: 'POST' });
    const expired = await expire(message?.id ?? '');
    expect(expired.status).toBe(200);
    const verification = mock.store.emailVerifications.get(message?.objectId ?? '');
    expect(await expired.json()).toEqual({ id: message?.id, objectId: message?.objectId, expiredAt: verification?.expiresAt });
    expect(Date.parse(verification?.expiresAt ?? '')).toBeLessThanOrEqual(mock.store.now());
    expect((await expire('message_unknown')).status).toBe(404);
  });
});
