/**
 * Step-up re-authentication (issue #23, part 3): "Sign out of other sessions" needs a sign-in at most
 * 10 minutes old, enforced by its server action (requireRecentAuth, the session's `auth_time`); an
 * older one is sent through /auth/sign-in?maxAge=600 (authkit's getSignInUrl({ maxAge }), OIDC
 * max_age), asked for credentials again by the hosted page, and comes back to the dashboard where the
 * action then runs. The dashboard says so (checked on the server), and useRecentAuth() on
 * /dashboard/api-access shows the browser's view (presentation only). The mock's clock control
 * (backdateSignIn) makes a sign-in old without waiting.
 */
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { sealData } from 'iron-session';
import { decodeJwt } from 'jose';
import { SESSION_COOKIE, expect, mockUrl, submitHostedSignIn, test, unsealSession, type TestUser } from './fixtures';
import { E2E_COOKIE_PASSWORD } from './support/env';

const MAX_AGE_SECONDS = 600;

async function sealedSession(context: BrowserContext) {
  const cookie = (await context.cookies()).find((candidate) => candidate.name === SESSION_COOKIE);
  return unsealSession(cookie?.value ?? '');
}

/** The user signed in in a browser of its own: another session for "Sign out of other sessions". */
async function anotherSession(browser: Browser, user: TestUser, signedInAs: (user: TestUser, options: { page: Page }) => Promise<unknown>) {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  await signedInAs(user, { page: await context.newPage() });
  return String(decodeJwt((await sealedSession(context)).accessToken).sid);
}

/** Makes this browser's sign-in `seconds` older at the mock, then refreshes so its access token carries it. */
async function signedInLongAgo(page: Page, mock: { backdateSignIn(id: string, seconds: number): Promise<unknown> }, seconds: number) {
  const { sid, auth_time: authTime } = decodeJwt((await sealedSession(page.context())).accessToken);
  await mock.backdateSignIn(String(sid), seconds);
  await page.goto('/dashboard');
  await page.getByRole('button', { name: 'Refresh session' }).click();
  // The refreshed session (the cookie) carries the older sign-in…
  await expect.poll(async () => decodeJwt((await sealedSession(page.context())).accessToken).auth_time).toBe(Number(authTime) - seconds);
  await page.goto('/dashboard');
  return String(sid);
}

test('a fresh sign-in signs out other sessions at once; an old one signs in again (max_age), comes back, and then can', async ({
  page,
  browser,
  mock,
  testUser,
  signedInAs,
}) => {
  await signedInAs(testUser, { returnTo: '/dashboard/api-access' });
  // The browser's view (authkit's useRecentAuth, from the access token it holds): presentation only.
  await expect(page.getByTestId('recent-auth')).toHaveText('Allowed without signing in again (signed in within 10 minutes)');
  const first = await anotherSession(browser, testUser, signedInAs);
  await page.goto('/dashboard');
  const panel = page.getByRole('region', { name: 'Active sessions' });
  await expect(panel.getByTestId('recent-sign-in')).toHaveAttribute('data-stale', 'false');
  await panel.getByRole('button', { name: 'Sign out of other sessions' }).click();
  await expect(panel.getByRole('status')).toHaveText('Your other sessions are signed out.');
  const revoked = () => mock.requests({ userId: testUser.id, endpoint: 'revoke_session' });
  expect((await revoked()).map(({ sessionId }) => sessionId)).toEqual([first]);

  // Eleven minutes later (the mock's clock, moved for this session only), with another session again.
  const second = await anotherSession(browser, testUser, signedInAs);
  const before = await signedInLongAgo(page, mock, MAX_AGE_SECONDS + 60);
  await expect(panel.getByTestId('recent-sign-in')).toHaveAttribute('data-stale', 'true');
  await page.goto('/dashboard/api-access');
  await expect(page.getByTestId('recent-auth')).toHaveText('Sign in again first (a sign-in older than 10 minutes)');
  await page.goto('/dashboard');
  await expect(panel.getByTestId('recent-sign-in')).toContainText(
    'to sign out of other sessions, you will be asked to sign in again first.',
  );

  // Refused by the server: to the hosted sign-in, which asks again (max_age) for this user, in this organization.
  const authorize = page.waitForRequest((request) => request.url().startsWith(`${mockUrl()}/user_management/authorize`));
  await panel.getByRole('button', { name: 'Sign out of other sessions' }).click();
  const asked = new URL((await authorize).url()).searchParams;
  expect([asked.get('max_age'), asked.get('login_hint'), asked.get('organization_id')]).toEqual([
    String(MAX_AGE_SECONDS),
    testUser.email,
    'org_01HDEMOACME0000000000000',
  ]);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  expect(new URL(page.url()).pathname).toBe('/authkit/sign-in');
  expect(await revoked()).toHaveLength(1);
  expect((await mock.listSessions({ userId: testUser.id })).find(({ id }) => id === second)?.endedAt).toBeNull();

  // Credentials again: back on the dashboard with a fresh sign-in, and the action runs.
  await submitHostedSignIn(page, testUser.email);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(panel.getByTestId('recent-sign-in')).toHaveAttribute('data-stale', 'false');
  await panel.getByRole('button', { name: 'Sign out of other sessions' }).click();
  await expect(panel.getByRole('status')).toHaveText('Your other sessions are signed out.');
  // The session signed in again is a new one: the one from before the step-up is another session too.
  expect((await revoked()).map(({ sessionId }) => sessionId).sort()).toEqual([first, second, before].sort());
});

test('while the sign-in is old, a replayed request to the action and one with a forged auth_time are refused', async ({
  page,
  browser,
  mock,
  testUser,
  signedInAs,
}) => {
  await signedInAs(testUser);
  await anotherSession(browser, testUser, signedInAs);
  await page.goto('/dashboard');
  const panel = page.getByRole('region', { name: 'Active sessions' });
  // The action's request as the page sends it (fresh: it runs).
  const action = page.waitForRequest((request) => request.method() === 'POST' && request.headers()['next-action'] !== undefined);
  await panel.getByRole('button', { name: 'Sign out of other sessions' }).click();
  const sent = await action;
  // Its headers but the cookie and length: each replay below carries a session of its own.
  const headers = Object.fromEntries(
    Object.entries(await sent.allHeaders()).filter(([name]) => name !== 'cookie' && name !== 'content-length'),
  );
  await expect(panel.getByRole('status')).toHaveText('Your other sessions are signed out.');
  const revoked = () => mock.requests({ userId: testUser.id, endpoint: 'revoke_session' });
  expect(await revoked()).toHaveLength(1);

  const stillActive = await anotherSession(browser, testUser, signedInAs);
  await signedInLongAgo(page, mock, MAX_AGE_SECONDS + 60);
  // With this browser's cookie (now an old sign-in), or the one given.
  const replay = (cookie?: string) =>
    page.request.post('/dashboard', {
      headers: { ...headers, ...(cookie === undefined ? {} : { cookie }) },
      data: sent.postDataBuffer() ?? '',
      maxRedirects: 0,
    });
  const reauthenticate = `/auth/sign-in?returnTo=%2Fdashboard&maxAge=${MAX_AGE_SECONDS}`;

  // The same request again, with this browser's (old) session: sent to sign in again, nothing revoked.
  const replayed = await replay();
  expect(replayed.headers()['x-action-redirect']).toBe(`${reauthenticate};push`);

  // A session whose access token claims a fresh sign-in, signed by nobody: the proxy refuses the token and
  // refreshes the session from its refresh token, whose real auth_time is still the old one.
  const session = await sealedSession(page.context());
  const [header, payload, signature] = session.accessToken.split('.') as [string, string, string];
  const claims = { ...decodeJwt(session.accessToken), auth_time: Math.floor(Date.now() / 1000) };
  const forgedToken = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
  expect(forgedToken).not.toBe(`${header}.${payload}.${signature}`);
  const forged = await sealData({ ...session, accessToken: forgedToken }, { password: E2E_COOKIE_PASSWORD, ttl: 0 });
  const forgedAnswer = await replay(`${SESSION_COOKIE}=${forged}`);
  expect(forgedAnswer.headers()['x-action-redirect']).toBe(`${reauthenticate};push`);

  expect(await revoked()).toHaveLength(1);
  expect((await mock.listSessions({ userId: testUser.id })).find(({ id }) => id === stillActive)?.endedAt).toBeNull();
});
