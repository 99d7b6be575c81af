/**
 * Conformance: every endpoint × status the mock can answer, driven over HTTP
 * against the real mock server, and each response checked against the schema
 * WorkOS' published OpenAPI spec gives for that path, method and status.
 *
 * What cannot conform is on ALLOW_LIST, each entry with its reason; no WorkOS
 * API success response may be on it. Faults injected through the control API
 * answer whatever the test asked for, so they are not cases here.
 */
import { decodeJwt } from 'jose';
import { Secret, TOTP } from 'otpauth';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { WorkOSOpenApiSpec } from './openapi-spec.ts';
import { DEMO_PASSWORD, ROLE_PERMISSIONS, SEED_ORGANIZATION_IDS, SEED_USER_IDS } from './seed.ts';
import { SoftwareAuthenticator } from './software-authenticator.ts';
import { AUTHORIZATION_CODE_TTL_SECONDS } from './store.ts';
import {
  API_KEY,
  CLIENT_ID,
  authorizationRequestId,
  authorizeUrl,
  callbackCode,
  callbackParams,
  createPkce,
  openSignInPage,
  postForm,
  postPasswordForm,
  signInWithPassword,
  useRunningMock,
  useTestClock,
  type Pkce,
} from './test-helpers.ts';

/** What cannot be checked against WorkOS' spec, and why. */
const ALLOW_LIST = {
  hostedPages:
    '/authkit/* are the mock’s stand-in for the hosted AuthKit UI: HTML pages a browser fills in, not API. The spec does not describe them (WorkOS’ own hosted UI is not in it either).',
  controlApi: '/__mock/* is the mock’s control API for tests, not WorkOS API.',
  notImplemented: 'The mock’s catch-all for paths it does not serve (404 mock_not_implemented); real WorkOS serves them.',
  authorizeErrorPage:
    'authorize with an unknown client_id or an unlisted redirect_uri: like WorkOS, the mock shows an HTML error page instead of redirecting (an unverified redirect URI must never receive a redirect); the spec documents only 302.',
  missingApiKey:
    'No or a wrong API key: the spec documents no 401 for any operation (it only declares the `bearer` security scheme); WorkOS answers 401 and the SDK maps it to UnauthorizedException.',
} as const;

type AllowListEntry = keyof typeof ALLOW_LIST;

interface Case {
  name: string;
  /** The spec's path template and method this response belongs to. */
  path: string;
  method: 'get' | 'post' | 'delete';
  /** The status the mock must answer. */
  status: number;
  /** What its JSON body must hold besides (the error code a name promises). */
  body?: Record<string, unknown>;
  allow?: AllowListEntry;
  run: () => Promise<Response>;
}

const clock = useTestClock();
// Reset to the seed before each case.
const running = useRunningMock({ clock: clock.now });
let spec: WorkOSOpenApiSpec;

beforeAll(() => {
  spec = WorkOSOpenApiSpec.load();
  // Parsing the 1.1 MB spec takes about a second, several on a loaded 2-core machine.
}, 30_000);

const api = (path: string, init: RequestInit = {}) => fetch(`${running.mock.url}${path}`, { redirect: 'manual', ...init });
const withApiKey = { headers: { Authorization: `Bearer ${API_KEY}` } };

const authenticate = (body: Record<string, string>, clientSecret = API_KEY) =>
  api('/user_management/authenticate', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: CLIENT_ID, client_secret: clientSecret, ...body }),
  });

async function passwordCode(email: string, pkce: Pkce | null = createPkce(), extra: Record<string, string> = {}) {
  const { code } = await signInWithPassword(running.mock.url, email, DEMO_PASSWORD, pkce, extra);
  return { code, pkce };
}

const exchange = (code: string, pkce: Pkce | null) =>
  authenticate({ grant_type: 'authorization_code', code, ...(pkce && { code_verifier: pkce.verifier }) });

/** Signs in and exchanges the code; returns the tokens. */
async function session(email: string, extra: Record<string, string> = {}) {
  const { code, pkce } = await passwordCode(email, createPkce(), extra);
  const body = (await (await exchange(code, pkce)).json()) as { access_token: string; refresh_token: string };
  return { accessToken: body.access_token, refreshToken: body.refresh_token, sessionId: String(decodeJwt(body.access_token).sid) };
}

const refresh = (refreshToken: string, extra: Record<string, string> = {}) =>
  authenticate({ grant_type: 'refresh_token', refresh_token: refreshToken, ...extra });

async function hostedCode(form: string, fields: Record<string, string>, pkce: Pkce = createPkce()) {
  const { requestId } = await openSignInPage(running.mock.url, pkce);
  const code = callbackCode(await postForm(`${running.mock.url}/authkit/${form}`, { authorization_request: requestId, ...fields }));
  return { code, pkce };
}

/** A password sign-in on the hosted page; returns its code and the cookie of the browser's hosted session (max_age). */
async function hostedSignIn(email: string, pkce: Pkce = createPkce()) {
  const { requestId } = await openSignInPage(running.mock.url, pkce);
  const response = await postPasswordForm(running.mock.url, requestId, email, DEMO_PASSWORD);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { code: callbackCode(response), pkce, cookie };
}

// ── the steps of the hosted page (issue #24): each ends in a code; the exchange is what the app receives ──

/** A password sign-in on the hosted page, stopped at the step it answers (a page, or a redirect). */
async function hostedPasswordStep(email: string, pkce: Pkce, extra: Record<string, string> = {}) {
  const { requestId } = await openSignInPage(running.mock.url, pkce, extra);
  return { requestId, response: await postPasswordForm(running.mock.url, requestId, email, DEMO_PASSWORD) };
}

/** multi-org@example.com signs in without organization_id and picks `organizationId` on the hosted page. */
async function pickedOrganizationCode(organizationId: string, pkce: Pkce = createPkce()) {
  const { requestId } = await hostedPasswordStep('multi-org@example.com', pkce);
  const picked = await postForm(`${running.mock.url}/authkit/organization-selection`, {
    authorization_request: requestId,
    organization_id: organizationId,
  });
  return { code: callbackCode(picked), pkce };
}

/** A password sign-up on the hosted page, verified with the code the outbox got. */
async function verifiedSignUpCode(email: string, pkce: Pkce = createPkce()) {
  const { requestId } = await openSignInPage(running.mock.url, pkce, { screen_hint: 'sign-up' });
  const form = { authorization_request: requestId, email, password: 'long-enough-password', first_name: '', last_name: '' };
  expect((await postForm(`${running.mock.url}/authkit/sign-up`, form)).status).toBe(200);
  const [mail] = await running.control.outbox({ to: email, kind: 'email_verification' });
  const verified = await postForm(`${running.mock.url}/authkit/email-verification`, {
    authorization_request: requestId,
    code: mail?.code ?? '',
  });
  return { code: callbackCode(verified), pkce };
}

/** "Continue with SSO" for `email`, through its organization's connection page. */
async function ssoCode(email: string, pkce: Pkce = createPkce()) {
  const { requestId } = await openSignInPage(running.mock.url, pkce);
  const toConnection = await postForm(`${running.mock.url}/authkit/sso`, { authorization_request: requestId, email });
  expect(toConnection.headers.get('location')).toBe(`/authkit/sso/connection?authorization_request=${requestId}`);
  const signedIn = await postForm(`${running.mock.url}/authkit/sso/connection`, { authorization_request: requestId });
  return { code: callbackCode(signedIn), pkce };
}

/** authorize with `max_age`, as a browser holding `cookie` (its hosted session) asks. */
const authorizeWithMaxAge = (maxAge: string, cookie: string, pkce: Pkce = createPkce()) =>
  api(authorizeUrl('', pkce, { max_age: maxAge }), { headers: { cookie } });

const jsonPost = (path: string, body: unknown) =>
  api(path, { method: 'POST', headers: { ...withApiKey.headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
const createApiKey = (organizationId: string, body: Record<string, unknown>) => jsonPost(`/organizations/${organizationId}/api_keys`, body);
const validateApiKey = (body: Record<string, unknown>) => jsonPost('/api_keys/validations', body);

const totpCode = (secret: string) => new TOTP({ secret: Secret.fromBase32(secret) }).generate();

/** A page of the hosted flow a redirect leads to (the passkey pages move to the mock's `localhost` origin). */
async function followPage(response: Response) {
  expect(response.status).toBe(303);
  const url = new URL(response.headers.get('location') ?? '', running.mock.url);
  return { url, response: await fetch(url, { redirect: 'manual' }) };
}

/** The MFA set-up on the hosted page (the seeded member of Cyberdyne, which requires MFA): its code and the factor's secret. */
async function hostedMfaSetUp(pkce: Pkce = createPkce()) {
  const { requestId, response } = await hostedPasswordStep('mfa-setup@example.com', pkce);
  const setup = await followPage(response);
  const secret = /<code id="totp-secret"[^>]*>([A-Z2-7]+)<\/code>/.exec(await setup.response.text())?.[1] ?? '';
  const done = await postForm(`${running.mock.url}/authkit/mfa`, { authorization_request: requestId, code: totpCode(secret) });
  return { code: callbackCode(done), pkce, secret };
}

/** A passkey registered for the seeded passkey user (store side), then "Sign in with a passkey" on the hosted pages. */
async function hostedPasskeySignIn(pkce: Pkce = createPkce()) {
  const authenticator = new SoftwareAuthenticator();
  const { store } = running.mock;
  const passkeyOrigin = `http://localhost:${running.mock.port}`;
  const creation = await store.passkeyRegistrationOptions(SEED_USER_IDS.passkey, 'localhost');
  await store.registerPasskey(SEED_USER_IDS.passkey, authenticator.register(creation, passkeyOrigin), {
    challenge: creation.challenge,
    origin: passkeyOrigin,
    rpId: 'localhost',
  });
  const { requestId } = await openSignInPage(running.mock.url, pkce);
  const page = await followPage(await api(`/authkit/passkey/sign-in?authorization_request=${requestId}`));
  expect(page.url.origin).toBe(passkeyOrigin);
  const options = JSON.parse(
    /<script type="application\/json" id="webauthn-options">([\s\S]*?)<\/script>/.exec(await page.response.text())?.[1] ?? '',
  );
  const verified = await postForm(`${passkeyOrigin}/authkit/passkey/sign-in`, {
    authorization_request: requestId,
    credential: JSON.stringify(authenticator.authenticate(options, passkeyOrigin)),
  });
  // Back to the origin the sign-in started on, where it finishes.
  const done = await followPage(verified);
  expect(done.url.origin).toBe(running.mock.url);
  return { code: callbackCode(done.response), pkce };
}

const AUTHORIZE = '/user_management/authorize';
const AUTHENTICATE = '/user_management/authenticate';

const CASES: Case[] = [
  // ── GET /user_management/authorize ──────────────────────────────────────
  { name: 'authorize → hosted sign-in page', path: AUTHORIZE, method: 'get', status: 302, run: () => api(authorizeUrl('', createPkce())) },
  {
    name: 'authorize without PKCE (confidential client)',
    path: AUTHORIZE,
    method: 'get',
    status: 302,
    run: () => api(authorizeUrl('', null)),
  },
  {
    name: 'authorize provider=GoogleOAuth → code',
    path: AUTHORIZE,
    method: 'get',
    status: 302,
    run: () => api(authorizeUrl('', createPkce(), { provider: 'GoogleOAuth' })),
  },
  {
    name: 'authorize max_age within the hosted session → code',
    path: AUTHORIZE,
    method: 'get',
    status: 302,
    run: async () => authorizeWithMaxAge('600', (await hostedSignIn('member@example.com')).cookie),
  },
  {
    name: 'authorize max_age=0 → hosted sign-in page',
    path: AUTHORIZE,
    method: 'get',
    status: 302,
    run: async () => authorizeWithMaxAge('0', (await hostedSignIn('member@example.com')).cookie),
  },
  {
    name: 'authorize max_age not a number → error redirect',
    path: AUTHORIZE,
    method: 'get',
    status: 302,
    run: () => api(authorizeUrl('', createPkce(), { max_age: '5m' })),
  },
  {
    name: 'authorize response_type=token → error redirect',
    path: AUTHORIZE,
    method: 'get',
    status: 302,
    run: () => api(authorizeUrl('', createPkce(), { response_type: 'token' })),
  },
  {
    name: 'authorize code_challenge_method=plain → error redirect',
    path: AUTHORIZE,
    method: 'get',
    status: 302,
    run: () => api(authorizeUrl('', createPkce(), { code_challenge_method: 'plain' })),
  },
  {
    name: 'authorize unknown organization_id → error redirect',
    path: AUTHORIZE,
    method: 'get',
    status: 302,
    run: () => api(authorizeUrl('', createPkce(), { organization_id: 'org_01NOPE' })),
  },
  {
    name: 'authorize unsupported provider → error redirect',
    path: AUTHORIZE,
    method: 'get',
    status: 302,
    run: () => api(authorizeUrl('', createPkce(), { provider: 'FacebookOAuth' })),
  },
  {
    name: 'authorize without PKCE in strict mode → error redirect',
    path: AUTHORIZE,
    method: 'get',
    status: 302,
    run: async () => {
      await running.control.setPkceRequired(true);
      return api(authorizeUrl('', null));
    },
  },
  {
    name: 'authorize unknown client_id → error page',
    path: AUTHORIZE,
    method: 'get',
    status: 400,
    allow: 'authorizeErrorPage',
    run: () => api(authorizeUrl('', createPkce(), { client_id: 'client_01NOPE' })),
  },
  {
    name: 'authorize unlisted redirect_uri → error page',
    path: AUTHORIZE,
    method: 'get',
    status: 400,
    allow: 'authorizeErrorPage',
    run: () => api(authorizeUrl('', createPkce(), { redirect_uri: 'https://evil.example.net/callback' })),
  },

  // ── POST /user_management/authenticate: authorization_code ─────────────
  {
    name: 'code: password sign-in in an organization',
    path: AUTHENTICATE,
    method: 'post',
    status: 200,
    run: async () => {
      const { code, pkce } = await passwordCode('admin@example.com');
      return exchange(code, pkce);
    },
  },
  {
    name: 'code: password sign-up, email verified on the hosted page (user without organization)',
    path: AUTHENTICATE,
    method: 'post',
    status: 200,
    run: async () => {
      const { code, pkce } = await verifiedSignUpCode('new.person@example.com');
      return exchange(code, pkce);
    },
  },
  {
    name: 'code: organization picked on the hosted page',
    path: AUTHENTICATE,
    method: 'post',
    status: 200,
    run: async () => {
      const { code, pkce } = await pickedOrganizationCode(SEED_ORGANIZATION_IDS.globex);
      return exchange(code, pkce);
    },
  },
  {
    name: 'code: impersonated session',
    path: AUTHENTICATE,
    method: 'post',
    status: 200,
    run: async () => {
      const { code, pkce } = await passwordCode('impersonated@example.com');
      return exchange(code, pkce);
    },
  },
  {
    name: 'code: social sign-in with oauth_tokens',
    path: AUTHENTICATE,
    method: 'post',
    status: 200,
    run: async () => {
      const { code, pkce } = await hostedCode('social', { provider: 'GitHubOAuth' });
      return exchange(code, pkce);
    },
  },
  {
    name: 'code: SSO sign-in',
    path: AUTHENTICATE,
    method: 'post',
    status: 200,
    run: async () => {
      const { code, pkce } = await ssoCode('sso@initech.example.com');
      return exchange(code, pkce);
    },
  },
  {
    name: 'code: magic-code sign-in',
    path: AUTHENTICATE,
    method: 'post',
    status: 200,
    run: async () => {
      const pkce = createPkce();
      const { requestId } = await openSignInPage(running.mock.url, pkce);
      const page = await (
        await postForm(`${running.mock.url}/authkit/magic-auth`, { authorization_request: requestId, email: 'member@example.com' })
      ).text();
      const oneTimeCode = /<span class="code">(\d{6})<\/span>/.exec(page)?.[1] ?? '';
      const verified = await postForm(`${running.mock.url}/authkit/magic-auth/verify`, {
        authorization_request: requestId,
        code: oneTimeCode,
      });
      return exchange(callbackCode(verified), pkce);
    },
  },
  {
    name: 'code: issued without PKCE, exchanged with the client secret only',
    path: AUTHENTICATE,
    method: 'post',
    status: 200,
    run: async () => {
      const { code } = await passwordCode('admin@example.com', null);
      return exchange(code, null);
    },
  },
  {
    name: 'code: unknown code → invalid_grant',
    path: AUTHENTICATE,
    method: 'post',
    status: 400,
    run: () => exchange('not-a-code', createPkce()),
  },
  {
    name: 'code: used twice → invalid_grant',
    path: AUTHENTICATE,
    method: 'post',
    status: 400,
    run: async () => {
      const { code, pkce } = await passwordCode('admin@example.com');
      await exchange(code, pkce);
      return exchange(code, pkce);
    },
  },
  {
    name: 'code: expired → invalid_grant',
    path: AUTHENTICATE,
    method: 'post',
    status: 400,
    run: async () => {
      const { code, pkce } = await passwordCode('admin@example.com');
      clock.offsetMs = (AUTHORIZATION_CODE_TTL_SECONDS + 1) * 1000;
      return exchange(code, pkce);
    },
  },
  {
    name: 'code: wrong code_verifier → invalid_grant',
    path: AUTHENTICATE,
    method: 'post',
    status: 400,
    run: async () => {
      const { code } = await passwordCode('admin@example.com');
      return exchange(code, createPkce());
    },
  },
  {
    name: 'code: challenge at authorize, no code_verifier → invalid_grant',
    path: AUTHENTICATE,
    method: 'post',
    status: 400,
    run: async () => {
      const { code } = await passwordCode('admin@example.com');
      return exchange(code, null);
    },
  },
  {
    name: 'code: no challenge at authorize, a code_verifier → invalid_grant',
    path: AUTHENTICATE,
    method: 'post',
    status: 400,
    run: async () => {
      const { code } = await passwordCode('admin@example.com', null);
      return exchange(code, createPkce());
    },
  },
  {
    name: 'code: wrong client secret → invalid_client',
    path: AUTHENTICATE,
    method: 'post',
    status: 400,
    run: async () => {
      const { code, pkce } = await passwordCode('admin@example.com');
      return authenticate({ grant_type: 'authorization_code', code, code_verifier: pkce?.verifier ?? '' }, 'sk_test_wrong');
    },
  },
  {
    name: 'code: strict mode, code without PKCE → invalid_grant',
    path: AUTHENTICATE,
    method: 'post',
    status: 400,
    run: async () => {
      const { code } = await passwordCode('admin@example.com', null);
      await running.control.setPkceRequired(true);
      return exchange(code, null);
    },
  },

  {
    name: 'code: MFA set up on the hosted page (authentication_method Password)',
    path: AUTHENTICATE,
    method: 'post',
    status: 200,
    run: async () => {
      const { code, pkce } = await hostedMfaSetUp();
      return exchange(code, pkce);
    },
  },
  {
    name: 'code: passkey sign-in on the hosted page (authentication_method Passkey)',
    path: AUTHENTICATE,
    method: 'post',
    status: 200,
    run: async () => {
      const { code, pkce } = await hostedPasskeySignIn();
      return exchange(code, pkce);
    },
  },

  // ── POST /user_management/authenticate: refresh_token ──────────────────
  {
    name: 'refresh: rotation',
    path: AUTHENTICATE,
    method: 'post',
    status: 200,
    run: async () => refresh((await session('admin@example.com')).refreshToken),
  },
  {
    name: 'refresh: switch organization',
    path: AUTHENTICATE,
    method: 'post',
    status: 200,
    run: async () =>
      refresh((await session('multi-org@example.com', { organization_id: SEED_ORGANIZATION_IDS.acme })).refreshToken, {
        organization_id: SEED_ORGANIZATION_IDS.globex,
      }),
  },
  {
    name: 'refresh: used token → invalid_grant',
    path: AUTHENTICATE,
    method: 'post',
    status: 400,
    run: async () => {
      const { refreshToken } = await session('admin@example.com');
      await refresh(refreshToken);
      return refresh(refreshToken);
    },
  },
  {
    name: 'refresh: unknown token → invalid_grant',
    path: AUTHENTICATE,
    method: 'post',
    status: 400,
    run: () => refresh('not-a-refresh-token'),
  },
  {
    name: 'refresh: ended session → invalid_grant',
    path: AUTHENTICATE,
    method: 'post',
    status: 400,
    run: async () => {
      const { refreshToken, sessionId } = await session('member@example.com');
      await api(`/user_management/sessions/logout?session_id=${sessionId}`);
      return refresh(refreshToken);
    },
  },
  {
    name: 'refresh: switch into a non-member organization → organization_membership_not_found',
    path: AUTHENTICATE,
    method: 'post',
    status: 400,
    run: async () => refresh((await session('admin@example.com')).refreshToken, { organization_id: SEED_ORGANIZATION_IDS.globex }),
  },
  {
    name: 'refresh: wrong client secret → invalid_client',
    path: AUTHENTICATE,
    method: 'post',
    status: 400,
    run: async () =>
      authenticate({ grant_type: 'refresh_token', refresh_token: (await session('admin@example.com')).refreshToken }, 'sk_test_wrong'),
  },

  // ── POST /user_management/authenticate: other grants ──────────────────
  {
    name: 'password grant',
    path: AUTHENTICATE,
    method: 'post',
    status: 200,
    run: () => authenticate({ grant_type: 'password', email: 'admin@example.com', password: DEMO_PASSWORD }),
  },
  {
    name: 'password grant: wrong password → invalid_credentials',
    path: AUTHENTICATE,
    method: 'post',
    status: 400,
    run: () => authenticate({ grant_type: 'password', email: 'admin@example.com', password: 'wrong' }),
  },
  {
    name: 'password grant: MFA user → mfa_challenge',
    path: AUTHENTICATE,
    method: 'post',
    status: 403,
    run: () => authenticate({ grant_type: 'password', email: 'mfa@example.com', password: DEMO_PASSWORD }),
  },
  {
    name: 'password grant: MFA required, no factor → mfa_enrollment',
    path: AUTHENTICATE,
    method: 'post',
    status: 403,
    run: () => authenticate({ grant_type: 'password', email: 'mfa-setup@example.com', password: DEMO_PASSWORD }),
  },
  {
    name: 'password grant: MFA required in the environment, no factor → mfa_enrollment',
    path: AUTHENTICATE,
    method: 'post',
    status: 403,
    run: async () => {
      await running.control.setMfaRequired(true);
      return authenticate({ grant_type: 'password', email: 'member@example.com', password: DEMO_PASSWORD });
    },
  },
  {
    name: 'mfa-totp grant with a factor enrolled after mfa_enrollment',
    path: AUTHENTICATE,
    method: 'post',
    status: 200,
    run: async () => {
      const signIn = await authenticate({ grant_type: 'password', email: 'mfa-setup@example.com', password: DEMO_PASSWORD });
      const { pending_authentication_token } = (await signIn.json()) as { pending_authentication_token: string };
      const enrolled = await jsonPost(`/user_management/users/${SEED_USER_IDS.mfaSetup}/auth_factors`, { type: 'totp' });
      const { authentication_factor, authentication_challenge } = (await enrolled.json()) as {
        authentication_factor: { totp: { secret: string } };
        authentication_challenge: { id: string };
      };
      return authenticate({
        grant_type: 'urn:workos:oauth:grant-type:mfa-totp',
        pending_authentication_token,
        authentication_challenge_id: authentication_challenge.id,
        code: totpCode(authentication_factor.totp.secret),
      });
    },
  },
  {
    name: 'password grant: SSO-only domain → sso_required',
    path: AUTHENTICATE,
    method: 'post',
    status: 400,
    run: () => authenticate({ grant_type: 'password', email: 'sso@initech.example.com', password: DEMO_PASSWORD }),
  },
  {
    name: 'magic-auth grant: a code never sent → invalid_one_time_code',
    path: AUTHENTICATE,
    method: 'post',
    status: 400,
    body: { code: 'invalid_one_time_code' },
    run: () => authenticate({ grant_type: 'urn:workos:oauth:grant-type:magic-auth:code', code: '123456', email: 'member@example.com' }),
  },
  ...(
    [
      ['email-verification', 'urn:workos:oauth:grant-type:email-verification:code'],
      ['mfa-totp', 'urn:workos:oauth:grant-type:mfa-totp'],
      ['organization-selection', 'urn:workos:oauth:grant-type:organization-selection'],
    ] as const
  ).map(([label, grantType]): Case => ({
    name: `${label} grant: unknown pending token → invalid_pending_authentication_token`,
    path: AUTHENTICATE,
    method: 'post',
    status: 400,
    body: { code: 'invalid_pending_authentication_token' },
    run: () =>
      authenticate({
        grant_type: grantType,
        code: '123456',
        pending_authentication_token: 'token',
        authentication_challenge_id: 'auth_challenge_01X',
        organization_id: SEED_ORGANIZATION_IDS.acme,
      }),
  })),
  {
    name: 'device-code grant → unauthorized_client (the mock has no device flow)',
    path: AUTHENTICATE,
    method: 'post',
    status: 400,
    body: { error: 'unauthorized_client' },
    run: () => authenticate({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: 'device_code_01X' }),
  },
  {
    name: 'unknown grant_type → invalid_request_parameters',
    path: AUTHENTICATE,
    method: 'post',
    status: 422,
    run: () => authenticate({ grant_type: 'client_credentials' }),
  },

  // ── GET /sso/jwks/{clientId} ────────────────────────────────────────────
  { name: 'jwks', path: '/sso/jwks/{clientId}', method: 'get', status: 200, run: () => api(`/sso/jwks/${CLIENT_ID}`) },
  { name: 'jwks: unknown client', path: '/sso/jwks/{clientId}', method: 'get', status: 404, run: () => api('/sso/jwks/client_01NOPE') },

  // ── GET /user_management/sessions/logout ────────────────────────────────
  {
    name: 'logout → allowed return_to',
    path: '/user_management/sessions/logout',
    method: 'get',
    status: 302,
    run: async () => {
      const { sessionId } = await session('admin@example.com');
      return api(`/user_management/sessions/logout?session_id=${sessionId}&return_to=${encodeURIComponent('http://localhost:3000/')}`);
    },
  },
  {
    name: 'logout → unlisted return_to goes to the default',
    path: '/user_management/sessions/logout',
    method: 'get',
    status: 302,
    run: () => api(`/user_management/sessions/logout?session_id=session_01X&return_to=${encodeURIComponent('https://evil.example.net/')}`),
  },
  {
    name: 'logout without session_id',
    path: '/user_management/sessions/logout',
    method: 'get',
    status: 422,
    run: () => api('/user_management/sessions/logout'),
  },

  // ── sessions ────────────────────────────────────────────────────────────
  {
    name: 'list sessions',
    path: '/user_management/users/{id}/sessions',
    method: 'get',
    status: 200,
    run: async () => {
      await session('impersonated@example.com');
      return api(`/user_management/users/${SEED_USER_IDS.impersonated}/sessions`, withApiKey);
    },
  },
  {
    name: 'list sessions: unknown user',
    path: '/user_management/users/{id}/sessions',
    method: 'get',
    status: 404,
    run: () => api('/user_management/users/user_01NOPE/sessions', withApiKey),
  },
  {
    name: 'list sessions: limit 0',
    path: '/user_management/users/{id}/sessions',
    method: 'get',
    status: 422,
    run: () => api(`/user_management/users/${SEED_USER_IDS.admin}/sessions?limit=0`, withApiKey),
  },
  {
    name: 'list sessions without API key',
    path: '/user_management/users/{id}/sessions',
    method: 'get',
    status: 401,
    allow: 'missingApiKey',
    run: () => api(`/user_management/users/${SEED_USER_IDS.admin}/sessions`),
  },
  {
    name: 'revoke session',
    path: '/user_management/sessions/revoke',
    method: 'post',
    status: 200,
    run: async () => {
      const { sessionId } = await session('admin@example.com');
      return api('/user_management/sessions/revoke', {
        method: 'POST',
        headers: { ...withApiKey.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ session_id: sessionId }),
      });
    },
  },
  {
    name: 'revoke session: unknown session',
    path: '/user_management/sessions/revoke',
    method: 'post',
    status: 400,
    run: () =>
      api('/user_management/sessions/revoke', {
        method: 'POST',
        headers: { ...withApiKey.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ session_id: 'session_01NOPE' }),
      }),
  },
  {
    name: 'revoke session without API key',
    path: '/user_management/sessions/revoke',
    method: 'post',
    status: 401,
    allow: 'missingApiKey',
    run: () => api('/user_management/sessions/revoke', { method: 'POST', body: JSON.stringify({ session_id: 'session_01NOPE' }) }),
  },

  // ── users, organizations, memberships ───────────────────────────────────
  {
    name: 'get user',
    path: '/user_management/users/{id}',
    method: 'get',
    status: 200,
    run: () => api(`/user_management/users/${SEED_USER_IDS.member}`, withApiKey),
  },
  {
    name: 'get user: unknown',
    path: '/user_management/users/{id}',
    method: 'get',
    status: 404,
    run: () => api('/user_management/users/user_01NOPE', withApiKey),
  },
  {
    name: 'get user without API key',
    path: '/user_management/users/{id}',
    method: 'get',
    status: 401,
    allow: 'missingApiKey',
    run: () => api(`/user_management/users/${SEED_USER_IDS.member}`),
  },
  {
    name: 'get organization',
    path: '/organizations/{id}',
    method: 'get',
    status: 200,
    run: () => api(`/organizations/${SEED_ORGANIZATION_IDS.acme}`, withApiKey),
  },
  {
    name: 'get organization: unknown',
    path: '/organizations/{id}',
    method: 'get',
    status: 404,
    run: () => api('/organizations/org_01NOPE', withApiKey),
  },
  {
    name: 'get organization without API key',
    path: '/organizations/{id}',
    method: 'get',
    status: 401,
    allow: 'missingApiKey',
    run: () => api(`/organizations/${SEED_ORGANIZATION_IDS.acme}`),
  },
  {
    name: 'list memberships of a user',
    path: '/user_management/organization_memberships',
    method: 'get',
    status: 200,
    run: () => api(`/user_management/organization_memberships?user_id=${SEED_USER_IDS.multiOrg}&limit=1`, withApiKey),
  },
  {
    name: 'list memberships of an organization',
    path: '/user_management/organization_memberships',
    method: 'get',
    status: 200,
    run: () => api(`/user_management/organization_memberships?organization_id=${SEED_ORGANIZATION_IDS.acme}`, withApiKey),
  },
  {
    name: 'list memberships with statuses',
    path: '/user_management/organization_memberships',
    method: 'get',
    status: 200,
    run: () => api(`/user_management/organization_memberships?user_id=${SEED_USER_IDS.admin}&statuses=active,inactive`, withApiKey),
  },
  {
    name: 'list memberships: neither user_id nor organization_id',
    path: '/user_management/organization_memberships',
    method: 'get',
    status: 400,
    run: () => api('/user_management/organization_memberships', withApiKey),
  },
  {
    name: 'list memberships: limit 101',
    path: '/user_management/organization_memberships',
    method: 'get',
    status: 400,
    run: () => api(`/user_management/organization_memberships?user_id=${SEED_USER_IDS.admin}&limit=101`, withApiKey),
  },
  {
    name: 'list memberships: unknown statuses value',
    path: '/user_management/organization_memberships',
    method: 'get',
    status: 400,
    run: () => api(`/user_management/organization_memberships?user_id=${SEED_USER_IDS.admin}&statuses=gone`, withApiKey),
  },
  {
    name: 'list memberships: unknown organization',
    path: '/user_management/organization_memberships',
    method: 'get',
    status: 404,
    run: () => api('/user_management/organization_memberships?organization_id=org_01NOPE', withApiKey),
  },
  {
    name: 'list memberships without API key',
    path: '/user_management/organization_memberships',
    method: 'get',
    status: 401,
    allow: 'missingApiKey',
    run: () => api(`/user_management/organization_memberships?user_id=${SEED_USER_IDS.admin}`),
  },

  // ── MFA factors ─────────────────────────────────────────────────────────
  {
    name: 'list auth factors: the one set up on the hosted page',
    path: '/user_management/users/{userlandUserId}/auth_factors',
    method: 'get',
    status: 200,
    run: async () => {
      await hostedMfaSetUp();
      return api(`/user_management/users/${SEED_USER_IDS.mfaSetup}/auth_factors`, withApiKey);
    },
  },

  // ── organization API keys ───────────────────────────────────────────────
  {
    name: 'create an organization API key',
    path: '/organizations/{organizationId}/api_keys',
    method: 'post',
    status: 201,
    run: () => createApiKey(SEED_ORGANIZATION_IDS.acme, { name: 'CI', permissions: ['posts:read'] }),
  },
  {
    name: 'create an API key: unknown organization',
    path: '/organizations/{organizationId}/api_keys',
    method: 'post',
    status: 404,
    run: () => createApiKey('org_01NOPE', { name: 'CI' }),
  },
  {
    name: 'create an API key: no name',
    path: '/organizations/{organizationId}/api_keys',
    method: 'post',
    status: 422,
    run: () => createApiKey(SEED_ORGANIZATION_IDS.acme, { name: '  ' }),
  },
  {
    name: 'create an API key without API key',
    path: '/organizations/{organizationId}/api_keys',
    method: 'post',
    status: 401,
    allow: 'missingApiKey',
    run: () => api(`/organizations/${SEED_ORGANIZATION_IDS.acme}/api_keys`, { method: 'POST', body: JSON.stringify({ name: 'CI' }) }),
  },
  {
    name: 'list organization API keys',
    path: '/organizations/{organizationId}/api_keys',
    method: 'get',
    status: 200,
    run: async () => {
      await createApiKey(SEED_ORGANIZATION_IDS.acme, { name: 'one' });
      await createApiKey(SEED_ORGANIZATION_IDS.acme, { name: 'two' });
      return api(`/organizations/${SEED_ORGANIZATION_IDS.acme}/api_keys?limit=1`, withApiKey);
    },
  },
  {
    name: 'list API keys: unknown organization',
    path: '/organizations/{organizationId}/api_keys',
    method: 'get',
    status: 404,
    run: () => api('/organizations/org_01NOPE/api_keys', withApiKey),
  },
  {
    name: 'delete an API key',
    path: '/api_keys/{id}',
    method: 'delete',
    status: 204,
    run: async () => {
      const { id } = (await (await createApiKey(SEED_ORGANIZATION_IDS.acme, { name: 'gone' })).json()) as { id: string };
      return api(`/api_keys/${id}`, { method: 'DELETE', ...withApiKey });
    },
  },
  {
    name: 'delete an API key: unknown',
    path: '/api_keys/{id}',
    method: 'delete',
    status: 404,
    run: () => api('/api_keys/api_key_01NOPE', { method: 'DELETE', ...withApiKey }),
  },
  {
    name: 'validate an API key: live',
    path: '/api_keys/validations',
    method: 'post',
    status: 200,
    run: async () => {
      const { value } = (await (await createApiKey(SEED_ORGANIZATION_IDS.acme, { name: 'live' })).json()) as { value: string };
      return validateApiKey({ value });
    },
  },
  {
    name: 'validate an API key: unknown value',
    path: '/api_keys/validations',
    method: 'post',
    status: 200,
    run: () => validateApiKey({ value: 'sk_org_unknown' }),
  },
  {
    name: 'validate an API key: no value',
    path: '/api_keys/validations',
    method: 'post',
    status: 422,
    run: () => validateApiKey({}),
  },
  {
    name: 'validate an API key without API key',
    path: '/api_keys/validations',
    method: 'post',
    status: 401,
    run: () => api('/api_keys/validations', { method: 'POST', body: JSON.stringify({ value: 'x' }) }),
  },

  // ── not WorkOS API ──────────────────────────────────────────────────────
  {
    name: 'hosted sign-in page',
    path: '/authkit/sign-in',
    method: 'get',
    status: 200,
    allow: 'hostedPages',
    run: async () => fetch((await api(authorizeUrl('', createPkce()))).headers.get('location') ?? ''),
  },
  {
    name: 'hosted password form, wrong password',
    path: '/authkit/password',
    method: 'post',
    status: 401,
    allow: 'hostedPages',
    run: async () => {
      const { requestId } = await openSignInPage(running.mock.url, createPkce());
      return postPasswordForm(running.mock.url, requestId, 'admin@example.com', 'nope');
    },
  },
  {
    name: 'hosted organization picker',
    path: '/authkit/password',
    method: 'post',
    status: 200,
    allow: 'hostedPages',
    run: async () => (await hostedPasswordStep('multi-org@example.com', createPkce())).response,
  },
  {
    name: 'hosted organization picker, not one of the user’s organizations',
    path: '/authkit/organization-selection',
    method: 'post',
    status: 400,
    allow: 'hostedPages',
    run: async () => {
      const { requestId } = await hostedPasswordStep('multi-org@example.com', createPkce());
      return postForm(`${running.mock.url}/authkit/organization-selection`, {
        authorization_request: requestId,
        organization_id: SEED_ORGANIZATION_IDS.initech,
      });
    },
  },
  {
    name: 'hosted email verification page',
    path: '/authkit/password',
    method: 'post',
    status: 200,
    allow: 'hostedPages',
    run: async () => (await hostedPasswordStep('unverified@example.com', createPkce())).response,
  },
  {
    name: 'hosted email verification, wrong code',
    path: '/authkit/email-verification',
    method: 'post',
    status: 400,
    allow: 'hostedPages',
    run: async () => {
      const { requestId } = await hostedPasswordStep('unverified@example.com', createPkce());
      const [mail] = await running.control.outbox({ to: 'unverified@example.com', kind: 'email_verification' });
      return postForm(`${running.mock.url}/authkit/email-verification`, {
        authorization_request: requestId,
        code: mail?.code === '000000' ? '111111' : '000000',
      });
    },
  },
  {
    name: 'hosted email verification, send a new code',
    path: '/authkit/email-verification/resend',
    method: 'post',
    status: 200,
    allow: 'hostedPages',
    run: async () => {
      const { requestId } = await hostedPasswordStep('unverified@example.com', createPkce());
      return postForm(`${running.mock.url}/authkit/email-verification/resend`, { authorization_request: requestId });
    },
  },
  {
    name: 'hosted password form, SSO-required domain → its connection',
    path: '/authkit/password',
    method: 'post',
    status: 302,
    allow: 'hostedPages',
    run: async () => (await hostedPasswordStep('sso@initech.example.com', createPkce())).response,
  },
  {
    name: 'hosted SSO connection page',
    path: '/authkit/sso/connection',
    method: 'get',
    status: 200,
    allow: 'hostedPages',
    run: async () => {
      const { response } = await hostedPasswordStep('sso@initech.example.com', createPkce());
      const connection = new URL(response.headers.get('location') ?? '', running.mock.url);
      return api(`${connection.pathname}${connection.search}`);
    },
  },
  {
    name: 'hosted SSO connection, misconfigured → back to the app with connection_invalid',
    path: '/authkit/sso/connection',
    method: 'get',
    status: 302,
    allow: 'hostedPages',
    run: async () => {
      const { response } = await hostedPasswordStep('anyone@umbrella.example.com', createPkce());
      const connection = new URL(response.headers.get('location') ?? '', running.mock.url);
      return api(`${connection.pathname}${connection.search}`);
    },
  },
  {
    name: 'control API outbox page (a browser asks for HTML)',
    path: '/__mock/outbox',
    method: 'get',
    status: 200,
    allow: 'controlApi',
    run: () => api('/__mock/outbox', { headers: { accept: 'text/html' } }),
  },
  {
    name: 'control API: expire the code of an outbox message',
    path: '/__mock/outbox/{id}/expire',
    method: 'post',
    status: 200,
    allow: 'controlApi',
    run: async () => {
      await hostedPasswordStep('unverified@example.com', createPkce());
      const [mail] = await running.control.outbox({ to: 'unverified@example.com' });
      return api(`/__mock/outbox/${mail?.id ?? ''}/expire`, { method: 'POST' });
    },
  },
  {
    name: 'hosted MFA set-up page',
    path: '/authkit/mfa',
    method: 'get',
    status: 200,
    allow: 'hostedPages',
    run: async () => (await followPage((await hostedPasswordStep('mfa-setup@example.com', createPkce())).response)).response,
  },
  {
    name: 'hosted passkey sign-in page (on the mock’s localhost origin)',
    path: '/authkit/passkey/sign-in',
    method: 'get',
    status: 200,
    allow: 'hostedPages',
    run: async () => {
      const { requestId } = await openSignInPage(running.mock.url, createPkce());
      return (await followPage(await api(`/authkit/passkey/sign-in?authorization_request=${requestId}`))).response;
    },
  },
  {
    name: 'control API reset',
    path: '/__mock/reset',
    method: 'post',
    status: 204,
    allow: 'controlApi',
    run: () => api('/__mock/reset', { method: 'POST' }),
  },
  {
    name: 'unmocked path',
    path: '/user_management/waitlists',
    method: 'get',
    status: 404,
    allow: 'notImplemented',
    run: () => api('/user_management/waitlists', withApiKey),
  },
];

interface Outcome {
  name: string;
  status: number;
  allow?: AllowListEntry;
  problems: string[];
}

const outcomes: Outcome[] = [];

describe('the mock conforms to WorkOS’ OpenAPI spec', () => {
  it.each(CASES.map((testCase) => [testCase.name, testCase] as const))('%s', async (_name, testCase) => {
    let response: Response;
    try {
      response = await testCase.run();
    } catch (error) {
      outcomes.push({ name: testCase.name, status: 0, allow: testCase.allow, problems: [`request failed: ${String(error)}`] });
      throw error;
    }
    const body = await response.text();
    const result = spec.validate({
      path: testCase.path,
      method: testCase.method,
      status: response.status,
      headers: response.headers,
      body,
    });
    outcomes.push({ name: testCase.name, status: response.status, allow: testCase.allow, problems: result.ok ? [] : result.problems });
    expect(response.status, body.slice(0, 300)).toBe(testCase.status);
    if (testCase.body) expect(JSON.parse(body)).toMatchObject(testCase.body);
    if (testCase.allow) return;
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it('covers at least 45 endpoint × status cases, and keeps WorkOS API successes off the allow-list', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(45);
    for (const testCase of CASES.filter((candidate) => candidate.allow)) {
      const isWorkOSApi =
        !testCase.path.startsWith('/authkit/') && !testCase.path.startsWith('/__mock/') && testCase.allow !== 'notImplemented';
      if (isWorkOSApi) expect(testCase.status, testCase.name).toBeGreaterThanOrEqual(300);
    }
  });

  afterAll(() => {
    const checked = outcomes.filter((outcome) => !outcome.allow);
    const valid = checked.filter((outcome) => outcome.problems.length === 0);
    console.log(
      `${valid.length} of ${checked.length} responses validate against WorkOS' OpenAPI spec ${spec.version} (${outcomes.length - checked.length} allow-listed)`,
    );
    for (const [entry, reason] of Object.entries(ALLOW_LIST)) {
      const count = outcomes.filter((outcome) => outcome.allow === entry).length;
      if (count > 0) console.log(`  allow-listed (${count}) ${entry}: ${reason}`);
    }
    for (const outcome of checked.filter((candidate) => candidate.problems.length > 0)) {
      console.log(`  ✗ ${outcome.name} (${outcome.status}): ${outcome.problems.slice(0, 3).join('; ')}`);
    }
  });
});

describe('the code exchange after each step of the hosted page (issue #24): what the app receives', () => {
  async function exchanged({ code, pkce }: { code: string; pkce: Pkce | null }) {
    const response = await exchange(code, pkce);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown> & { access_token: string };
    return { body, claims: decodeJwt(body.access_token) };
  }

  it('organization selection: the picked organization, and its org_id, role and permissions in the access token', async () => {
    const globex = await exchanged(await pickedOrganizationCode(SEED_ORGANIZATION_IDS.globex));
    expect(globex.body).toMatchObject({ organization_id: SEED_ORGANIZATION_IDS.globex, authentication_method: 'Password' });
    expect(globex.claims).toMatchObject({
      org_id: SEED_ORGANIZATION_IDS.globex,
      role: 'admin',
      roles: ['admin'],
      permissions: ROLE_PERMISSIONS.admin,
    });
    const acme = await exchanged(await pickedOrganizationCode(SEED_ORGANIZATION_IDS.acme));
    expect(acme.body).toMatchObject({ organization_id: SEED_ORGANIZATION_IDS.acme });
    expect(acme.claims).toMatchObject({ org_id: SEED_ORGANIZATION_IDS.acme, role: 'member', permissions: ROLE_PERMISSIONS.member });
  });

  it('email verification: the user is verified, signed in with Password, in no organization', async () => {
    const { body, claims } = await exchanged(await verifiedSignUpCode('verify.me@example.com'));
    expect(body).toMatchObject({ authentication_method: 'Password', user: { email: 'verify.me@example.com', email_verified: true } });
    expect(Object.keys(body)).not.toContain('organization_id');
    expect(Object.keys(claims)).not.toContain('org_id');
  });

  it('SSO-required organization: SSO into the connection’s organization, provisioned just in time and verified', async () => {
    const { body, claims } = await exchanged(await ssoCode('new.hire@initech.example.com'));
    expect(body).toMatchObject({
      authentication_method: 'SSO',
      organization_id: SEED_ORGANIZATION_IDS.initech,
      user: { email: 'new.hire@initech.example.com', email_verified: true },
    });
    expect(claims).toMatchObject({ org_id: SEED_ORGANIZATION_IDS.initech, role: 'member' });
  });
});

describe('auth_time and max_age (what step-up relies on)', () => {
  // The wall clock stands still (the mock's store reads it): times move only with clock.offsetMs, exactly.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  const claimsOf = async (response: Response) => {
    const body = (await response.json()) as { access_token: string; refresh_token: string };
    return { claims: decodeJwt(body.access_token), refreshToken: body.refresh_token };
  };
  const signInTime = () => Math.floor(clock.now() / 1000);

  it('auth_time is the sign-in on the hosted page, and stays the same through refreshes', async () => {
    const signedInAt = signInTime();
    const { code, pkce } = await hostedSignIn('member@example.com');
    const first = await claimsOf(await exchange(code, pkce));
    expect([first.claims.auth_time, first.claims.iat]).toEqual([signedInAt, signedInAt]);
    clock.offsetMs += 100_000;
    const refreshed = await claimsOf(await refresh(first.refreshToken));
    expect([refreshed.claims.auth_time, refreshed.claims.iat]).toEqual([signedInAt, signedInAt + 100]);
  });

  it('max_age within the browser’s hosted sign-in answers a code at once, whose session keeps that sign-in’s auth_time', async () => {
    const signedInAt = signInTime();
    const { cookie } = await hostedSignIn('member@example.com');
    expect(cookie).toMatch(/^mock_workos_hosted_session=[\w-]+$/);
    clock.offsetMs += 300_000; // max_age is inclusive: exactly 300 s old still counts
    const pkce = createPkce();
    const code = callbackCode(await authorizeWithMaxAge('300', cookie, pkce));
    const { claims } = await claimsOf(await exchange(code, pkce));
    expect([claims.auth_time, claims.iat]).toEqual([signedInAt, signedInAt + 300]);
  });

  it.each([
    ['older than max_age', '299', 300_000],
    ['max_age=0', '0', 0],
  ])('%s: the hosted page asks for credentials again', async (_name, maxAge, laterMs) => {
    const { cookie } = await hostedSignIn('member@example.com');
    clock.offsetMs += laterMs;
    const pkce = createPkce();
    const answer = await authorizeWithMaxAge(maxAge, cookie, pkce);
    expect(answer.status).toBe(302);
    const page = new URL(answer.headers.get('location') ?? '');
    expect(`${page.origin}${page.pathname}`).toBe(`${running.mock.url}/authkit/sign-in`);
    // Signing in there again: a new auth_time.
    const again = await fetch(page);
    const requestId = authorizationRequestId(await again.text());
    const signedInAt = signInTime();
    const response = await postPasswordForm(running.mock.url, requestId, 'member@example.com', DEMO_PASSWORD);
    const { claims } = await claimsOf(await exchange(callbackCode(response), pkce));
    expect(claims.auth_time).toBe(signedInAt);
  });

  it('max_age without a hosted session (no cookie, a pre-approved sign-in) shows the page', async () => {
    const answer = await authorizeWithMaxAge('600', '');
    expect(new URL(answer.headers.get('location') ?? '').pathname).toBe('/authkit/sign-in');
  });

  it('max_age that is not a whole number of seconds goes back to the app with invalid_request', async () => {
    const params = callbackParams(await api(authorizeUrl('', createPkce(), { max_age: '-1' })));
    expect(Object.fromEntries(params)).toMatchObject({
      error: 'invalid_request',
      error_description: 'max_age must be a whole number of seconds.',
    });
  });

  it('backdating a sign-in (the control API) moves the next token’s auth_time and the hosted session with it', async () => {
    const signedInAt = signInTime();
    const { code, pkce, cookie } = await hostedSignIn('member@example.com');
    const first = await claimsOf(await exchange(code, pkce));
    await running.control.backdateSignIn(String(first.claims.sid), 600);
    const refreshed = await claimsOf(await refresh(first.refreshToken));
    expect([refreshed.claims.auth_time, refreshed.claims.iat]).toEqual([signedInAt - 600, signedInAt]);
    const answer = await authorizeWithMaxAge('300', cookie);
    expect(new URL(answer.headers.get('location') ?? '').pathname).toBe('/authkit/sign-in');
  });
});
