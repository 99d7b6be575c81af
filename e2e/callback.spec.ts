/**
 * Phase 3 — the callback. Every way it can fail lands on /auth/error with the
 * right code and the fixed copy, sets no session cookie, and clears the
 * verifier cookie. Callback URLs are captured with page.route before the app
 * sees them, so a test can replay, tamper with or move them.
 */
import type { BrowserContext, Page } from '@playwright/test';
import type { AuthErrorCode } from '../lib/auth/errors/copy';
import { expect, expectAuthErrorPage, mockUrl, sessionCookie, submitHostedSignIn, test, verifierCookies, type TestUser } from './fixtures';
import { startDedicatedApp } from './security/support';

/** Opens the hosted sign-in page (setting this browser's verifier cookie) and returns the state sent to AuthKit. */
async function startSignIn(page: Page): Promise<string> {
  const authorize = page.waitForRequest((request) => new URL(request.url()).pathname === '/user_management/authorize');
  await page.goto('/auth/sign-in');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  const state = new URL((await authorize).url()).searchParams.get('state');
  expect(state).toBeTruthy();
  return state ?? '';
}

/**
 * Signs in on the hosted page but stops the browser before the callback; returns the callback URL.
 * Playwright does not route the target of a redirect, so the mock's 302 is intercepted instead.
 */
async function captureCallbackUrl(page: Page, user: TestUser): Promise<URL> {
  let captured: string | undefined;
  const hostedForm = (url: URL) => url.origin === mockUrl() && url.pathname.startsWith('/authkit/');
  await page.route(hostedForm, async (route) => {
    const response = await route.fetch({ maxRedirects: 0 });
    const location = response.headers().location;
    if (response.status() === 302 && location && new URL(location).pathname === '/api/auth/callback') {
      captured = location;
      await route.fulfill({ status: 200, contentType: 'text/plain', body: 'callback captured by the test' });
    } else {
      await route.fulfill({ response });
    }
  });
  await startSignIn(page);
  await submitHostedSignIn(page, user.email, user.password);
  await expect(page.getByText('callback captured by the test')).toBeVisible();
  await page.unroute(hostedForm);
  expect(captured).toBeDefined();
  return new URL(captured ?? '');
}

/**
 * What every failed callback must leave behind: no session, and no verifier for the state it named. A
 * callback whose state names no pending sign-in (none, or tampered) leaves the pending ones (`pending`)
 * alone: another site can send a browser there (e2e/security/callback.spec.ts, case 7).
 */
async function expectFailedCallback(page: Page, context: BrowserContext, code: AuthErrorCode, { pending = 0 } = {}) {
  await expectAuthErrorPage(page, code);
  expect(await sessionCookie(context)).toBeUndefined();
  expect(await verifierCookies(context)).toHaveLength(pending);
}

test('a callback without a code shows missing_params', async ({ page, context }) => {
  const state = await startSignIn(page);
  await page.goto(`/api/auth/callback?state=${encodeURIComponent(state)}`);
  await expectFailedCallback(page, context, 'missing_params');
});

test('a callback without a state shows missing_params', async ({ page, context }) => {
  await startSignIn(page);
  await page.goto('/api/auth/callback?code=01HCODEWITHOUTSTATE');
  await expectFailedCallback(page, context, 'missing_params', { pending: 1 });
});

test('a callback with a tampered state shows invalid_state and signs nobody in', async ({ page, context, testUser }) => {
  const callback = await captureCallbackUrl(page, testUser);
  const state = callback.searchParams.get('state') ?? '';
  const middle = Math.floor(state.length / 2);
  callback.searchParams.set('state', `${state.slice(0, middle)}${state[middle] === 'A' ? 'B' : 'A'}${state.slice(middle + 1)}`);
  await page.goto(callback.toString());
  await expectFailedCallback(page, context, 'invalid_state', { pending: 1 });
});

test('a valid callback URL opened in another browser (no verifier cookie) shows missing_verifier: login CSRF', async ({
  page,
  browser,
  testUser,
  mock,
}) => {
  const callback = await captureCallbackUrl(page, testUser);
  const victim = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const victimPage = await victim.newPage();
  await victimPage.goto(callback.toString());
  await expectFailedCallback(victimPage, victim, 'missing_verifier');
  // Refused before the code exchange: the attacker's code was never spent on the victim's behalf.
  expect(await mock.requests({ userId: testUser.id, endpoint: 'authenticate' })).toEqual([]);
  await victim.close();
});

test('a replayed callback URL (code already used) shows invalid_code', async ({ page, context, browser, testUser }) => {
  const callback = await captureCallbackUrl(page, testUser);
  const [verifier] = await verifierCookies(context);
  expect(verifier).toBeDefined();

  await page.goto(callback.toString());
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId('user-email')).toHaveText(testUser.email);

  // Even with the matching verifier cookie, the code works once.
  const replay = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  if (verifier) await replay.addCookies([verifier]);
  const replayPage = await replay.newPage();
  await replayPage.goto(callback.toString());
  await expectFailedCallback(replayPage, replay, 'invalid_code');
  await replay.close();
});

test('WorkOS refusing the code (invalid_grant) shows invalid_code; the server logs one line with the code and a reference, no stack', async ({
  page,
  context,
  testUser,
  mock,
}) => {
  // A server of its own, so this test reads every line it logs.
  const server = await startDedicatedApp();
  try {
    await mock.injectFault({
      endpoint: 'authenticate',
      match: { userId: testUser.id, grantType: 'authorization_code' },
      action: { type: 'status', status: 400, body: { error: 'invalid_grant', error_description: 'injected' } },
    });
    const callback = await captureCallbackUrl(page, testUser);
    // Same host, another port: the browser sends its verifier cookie there too.
    await page.goto(`${server.url}${callback.pathname}${callback.search}`);
    await expectFailedCallback(page, context, 'invalid_code');
    expect((await mock.requests({ userId: testUser.id, endpoint: 'authenticate' })).map((call) => call.status)).toEqual([400]);

    const reference = new URL(page.url()).searchParams.get('ref') ?? '';
    await expect
      .poll(() =>
        server
          .output()
          .split('\n')
          .filter((line) => line.includes(reference)),
      )
      .toHaveLength(1);
    const [line = ''] = server
      .output()
      .split('\n')
      .filter((entry) => entry.includes(reference));
    expect(JSON.parse(line)).toEqual({
      level: 'warn',
      at: expect.any(String),
      scope: 'auth',
      event: 'sign_in_failed',
      code: 'invalid_code',
      reference,
      reason: 'OauthException status=400 error=invalid_grant',
    });
    expect(server.output()).not.toContain('[AuthKit callback error]');
    expect(server.output()).not.toMatch(/^\s+at /m);
  } finally {
    await server.stop();
  }
});

test('WorkOS answering 500 to the code exchange shows workos_unavailable', async ({ page, context, testUser, mock }) => {
  await mock.injectFault({
    endpoint: 'authenticate',
    match: { userId: testUser.id, grantType: 'authorization_code' },
    action: { type: 'status', status: 500, body: { message: 'injected outage' } },
  });
  await startSignIn(page);
  await submitHostedSignIn(page, testUser.email, testUser.password);
  await expectFailedCallback(page, context, 'workos_unavailable');
  await expect(page.locator('body')).not.toContainText('injected outage');
  expect((await mock.requests({ userId: testUser.id, endpoint: 'authenticate' })).map((call) => call.status)).toEqual([500]);
});

test('a code exchange slower than the 4 s timeout shows workos_unavailable', async ({ page, context, testUser, mock }) => {
  // The mock answers normally after 6 s, so landing on the error page at all means the app gave up at its timeout.
  await mock.injectFault({
    endpoint: 'authenticate',
    match: { userId: testUser.id, grantType: 'authorization_code' },
    action: { type: 'delay', delayMs: 6_000 },
  });
  await startSignIn(page);
  await submitHostedSignIn(page, testUser.email, testUser.password);
  await expectFailedCallback(page, context, 'workos_unavailable');
  expect((await mock.requests({ userId: testUser.id, endpoint: 'authenticate' })).map((call) => call.fault)).toEqual(['delay']);
});

test('a connection dropped during the code exchange shows workos_unavailable', async ({ page, context, testUser, mock }) => {
  await mock.injectFault({
    endpoint: 'authenticate',
    match: { userId: testUser.id, grantType: 'authorization_code' },
    action: { type: 'drop' },
  });
  await startSignIn(page);
  await submitHostedSignIn(page, testUser.email, testUser.password);
  await expectFailedCallback(page, context, 'workos_unavailable');
  expect((await mock.requests({ userId: testUser.id, endpoint: 'authenticate' })).map((call) => call.fault)).toEqual(['drop']);
});

test('AuthKit returning error=access_denied (Cancel) shows access_denied', async ({ page, context }) => {
  await startSignIn(page);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expectFailedCallback(page, context, 'access_denied');
});

test('AuthKit returning an SSO error shows sso_failed, not the provider text', async ({ page, context }) => {
  await startSignIn(page);
  await page.getByLabel('Email').fill(`someone-${Date.now()}@umbrella.example.com`);
  await page.getByRole('button', { name: 'Continue with SSO' }).click();
  await expectFailedCallback(page, context, 'sso_failed');
  await expect(page.locator('body')).not.toContainText('misconfigured');
});

test('error text forged into the callback query is never shown', async ({ page, context }) => {
  const state = await startSignIn(page);
  const forged = 'Your account is locked. Call +1 555 0100 now';
  await page.goto(
    `/api/auth/callback?error=redirect_uri_mismatch&error_description=${encodeURIComponent(forged)}&state=${encodeURIComponent(state)}`,
  );
  await expectFailedCallback(page, context, 'redirect_uri_mismatch');
  await expect(page.locator('body')).not.toContainText(forged);
});
