/**
 * The access token for your own API (issue #23, part 2): GET /api/projects takes
 * `Authorization: Bearer <access token>`, verifies it itself against WorkOS' JWKS
 * (lib/auth/session/bearer.ts) with no cookie, and answers the token's
 * organization's data as its permissions allow. Every bad token is a 401 JSON
 * with RFC 6750's header, never a 500. The page's client component gets its
 * token from useAccessToken(), which refreshes it once when it is due.
 */
import { request as playwrightRequest, type BrowserContext } from '@playwright/test';
import { SignJWT, decodeJwt, generateKeyPair } from 'jose';
import { SEED_ORGANIZATION_IDS } from './mock-workos/seed';
import { SESSION_COOKIE, expect, mockUrl, test, unsealSession } from './fixtures';
import { E2E_CLIENT_ID } from './support/env';

const PAGE = '/dashboard/api-access';
const INVALID_TOKEN = 'Bearer error="invalid_token"';
/** authkit refreshes 30 s before expiry for short-lived tokens: 35 s means "due in 5 s". */
const SHORT_TTL_SECONDS = 35;

async function sealedSession(context: BrowserContext) {
  const cookies = (await context.cookies()).filter(
    (cookie) => cookie.name === SESSION_COOKIE || cookie.name.startsWith(`${SESSION_COOKIE}.`),
  );
  return unsealSession(
    cookies
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((cookie) => cookie.value)
      .join(''),
  );
}

/** GET /api/projects from outside any browser: no cookie, only what `headers` says. */
async function callApi(baseURL: string | undefined, headers: Record<string, string>) {
  const client = await playwrightRequest.newContext({ baseURL });
  try {
    const response = await client.get('/api/projects', { headers });
    return { status: response.status(), headers: response.headers(), body: (await response.json()) as unknown };
  } finally {
    await client.dispose();
  }
}

const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

test("the page calls GET /api/projects with useAccessToken's token; the same token works from anywhere, without a cookie", async ({
  page,
  baseURL,
  signedInAs,
}) => {
  await signedInAs('multi-org@example.com', { organization: SEED_ORGANIZATION_IDS.globex, returnTo: PAGE });
  const call = page.waitForRequest((request) => request.url().endsWith('/api/projects'));
  await page.getByRole('button', { name: 'Call the API' }).click();
  await expect(page.getByTestId('api-organization')).toHaveText(SEED_ORGANIZATION_IDS.globex);
  await expect(page.getByTestId('api-projects').getByRole('listitem')).toHaveText(['Hammock district']);
  await expect(page.getByTestId('api-can-create')).toHaveText('Yes'); // admin of Globex: posts:write
  const { accessToken } = await sealedSession(page.context());
  expect((await call).headers().authorization).toBe(`Bearer ${accessToken}`);
  await expect(page.getByTestId('api-token-id')).toHaveText(String(decodeJwt(accessToken).jti));

  // The same token, from a client with no cookie at all: the token is the whole credential.
  expect(await callApi(baseURL, { Authorization: `Bearer ${accessToken}` })).toMatchObject({
    status: 200,
    headers: { 'cache-control': 'private, no-store, max-age=0' },
    body: { organizationId: SEED_ORGANIZATION_IDS.globex, projects: ['Hammock district'], canCreateProjects: true },
  });
});

test('every bad request gets a 401 JSON with RFC 6750’s WWW-Authenticate, never a 500', async ({ page, baseURL, signedInAs }) => {
  await signedInAs('member@example.com', { returnTo: '/projects' });
  const { accessToken } = await sealedSession(page.context());
  const claims = decodeJwt(accessToken);
  const [header, payload, signature] = accessToken.split('.') as [string, string, string];
  expect(claims.iss).toBe(`${mockUrl()}/user_management/${E2E_CLIENT_ID}`);
  const now = Math.floor(Date.now() / 1000);
  const sign = (overrides: Record<string, unknown>) =>
    page.request.post(`${mockUrl()}/__mock/keys/sign`, { data: { claims: { ...claims, ...overrides } } });
  const signed = async (overrides: Record<string, unknown>) => ((await (await sign(overrides)).json()) as { token: string }).token;
  const { privateKey } = await generateKeyPair('RS256');
  const unknownKid = await new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'sso_oidc_key_pair_unknown' })
    .sign(privateKey);

  const noCredentials = { error: 'unauthorized', message: 'This API takes an access token: send Authorization: Bearer <access token>.' };
  const cases: [string, Record<string, string>, string, Record<string, string>][] = [
    ['no Authorization header', {}, 'Bearer', noCredentials],
    ['another scheme', { Authorization: `Basic ${Buffer.from('member:secret').toString('base64')}` }, 'Bearer', noCredentials],
    [
      'Bearer without a token',
      { Authorization: 'Bearer' },
      INVALID_TOKEN,
      { error: 'invalid_token', message: 'The access token is not a valid JWT.' },
    ],
    [
      'garbage',
      { Authorization: 'Bearer not-a-token' },
      INVALID_TOKEN,
      { error: 'invalid_token', message: 'The access token is not a valid JWT.' },
    ],
    [
      'expired',
      { Authorization: `Bearer ${await signed({ iat: now - 400, exp: now - 100 })}` },
      INVALID_TOKEN,
      { error: 'invalid_token', message: 'The access token has expired: get a new one and try again.' },
    ],
    [
      "another client's token",
      { Authorization: `Bearer ${await signed({ iss: `${mockUrl()}/user_management/client_01ANOTHERCLIENT` })}` },
      INVALID_TOKEN,
      { error: 'invalid_token', message: 'The access token was issued to another application.' },
    ],
    [
      'a tampered payload (another organization)',
      { Authorization: `Bearer ${header}.${part({ ...claims, org_id: SEED_ORGANIZATION_IDS.globex })}.${signature}` },
      INVALID_TOKEN,
      { error: 'invalid_token', message: 'The access token is not signed by WorkOS for this app.' },
    ],
    [
      'alg: none',
      { Authorization: `Bearer ${part({ alg: 'none', typ: 'JWT' })}.${payload}.` },
      INVALID_TOKEN,
      { error: 'invalid_token', message: 'The access token is not signed by WorkOS for this app.' },
    ],
    [
      'an unknown kid',
      { Authorization: `Bearer ${unknownKid}` },
      INVALID_TOKEN,
      { error: 'invalid_token', message: 'The access token is signed with a key WorkOS does not publish.' },
    ],
  ];
  for (const [name, headers, challenge, body] of cases) {
    const response = await callApi(baseURL, headers);
    expect(response, name).toMatchObject({
      status: 401,
      headers: { 'www-authenticate': challenge, 'cache-control': 'private, no-store, max-age=0' },
    });
    expect(response.headers['content-type'], name).toBe('application/json');
    expect(response.body, name).toEqual(body);
  }

  // The untouched token passes; once this app signs the session out, it no longer does (the revocation list).
  expect((await callApi(baseURL, { Authorization: `Bearer ${accessToken}` })).status).toBe(200);
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(`${baseURL}/`);
  expect(await callApi(baseURL, { Authorization: `Bearer ${accessToken}` })).toMatchObject({
    status: 401,
    headers: { 'www-authenticate': INVALID_TOKEN },
    body: { error: 'invalid_token', message: 'The session of this access token was signed out.' },
  });
});

test('the token expires while the page is open: the next call refreshes it once, and the API answers', async ({
  page,
  createUser,
  signedInAs,
  mock,
}) => {
  const user = await createUser({ accessTokenTtlSeconds: SHORT_TTL_SECONDS });
  await signedInAs(user, { returnTo: PAGE });
  const first = String(decodeJwt((await sealedSession(page.context())).accessToken).jti);
  await page.getByRole('button', { name: 'Call the API' }).click();
  await expect(page.getByTestId('api-token-id')).toHaveText(first);
  expect(await mock.requests({ userId: user.id, grantType: 'refresh_token' })).toHaveLength(0);
  // Tokens issued from now on live 5 minutes: the refreshed one is not due again during the test.
  await mock.setUserAccessTokenTtl(user.id, 300);

  // Call again until the token is due (5 s after it was issued): that call refreshes it first.
  await expect
    .poll(
      async () => {
        await page.getByRole('button', { name: 'Call the API' }).click();
        await expect(page.getByRole('button', { name: 'Call the API' })).toBeEnabled();
        return page.getByTestId('api-token-id').textContent();
      },
      { timeout: (SHORT_TTL_SECONDS - 30 + 8) * 1000, intervals: [500] },
    )
    .not.toBe(first);
  await expect(page.getByTestId('api-projects').getByRole('listitem')).toHaveText(['Giant magnet', 'Rocket skates']);
  const refreshed = await sealedSession(page.context());
  await expect(page.getByTestId('api-token-id')).toHaveText(String(decodeJwt(refreshed.accessToken).jti));
  expect((await mock.requests({ userId: user.id, grantType: 'refresh_token' })).map((call) => call.status)).toEqual([200]);
});

test('a session ended at WorkOS: the next call once the token is due lands on sign-in, once, with the session gone', async ({
  page,
  createUser,
  signedInAs,
  mock,
}) => {
  const user = await createUser({ accessTokenTtlSeconds: SHORT_TTL_SECONDS });
  await signedInAs(user, { returnTo: PAGE });
  const { sid } = decodeJwt((await sealedSession(page.context())).accessToken);
  await mock.endSession(String(sid));
  // Until its token is due the API still answers: a token is verified offline (docs/security.md).
  await page.getByRole('button', { name: 'Call the API' }).click();
  await expect(page.getByTestId('api-projects').getByRole('listitem')).toHaveText(['Giant magnet', 'Rocket skates']);

  await expect
    .poll(
      async () => {
        if (new URL(page.url()).pathname === '/authkit/sign-in') return 'sign-in';
        await page
          .getByRole('button', { name: 'Call the API' })
          .click({ timeout: 2_000 })
          .catch(() => {});
        await page.waitForLoadState();
        return new URL(page.url()).pathname;
      },
      { timeout: (SHORT_TTL_SECONDS - 30 + 8) * 1000, intervals: [500] },
    )
    .toBe('sign-in');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  const cookies = (await page.context().cookies()).filter((cookie) => cookie.name.startsWith(SESSION_COOKIE));
  expect(cookies).toEqual([]);
  const refreshes = await mock.requests({ userId: user.id, grantType: 'refresh_token' });
  // The call's refresh went through the proxy, which tried first (and, its token still valid, let the
  // request on), then through the action, which ended the session: WorkOS refused both.
  expect(refreshes.map((call) => call.status)).toEqual([400, 400]);
  // No loop: the sign-in page stays, and nothing tries the dead refresh token again.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  expect(await mock.requests({ userId: user.id, grantType: 'refresh_token' })).toHaveLength(refreshes.length);
});
