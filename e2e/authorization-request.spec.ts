/**
 * Phase 1 — the authorization request: what /auth/sign-in and /auth/sign-up put
 * into the AuthKit URL (PKCE, state, hints), and where the user lands after it.
 */
import { createHash } from 'node:crypto';
import type { Page } from '@playwright/test';
import { SEED_ORGANIZATION_IDS } from './mock-workos/seed';
import { expect, mockUrl, test, verifierCookies } from './fixtures';
import { submitEmailVerification, submitHostedSignIn } from './fixtures'; // demo:line sign-in-context
import { E2E_CLIENT_ID } from './support/env';

/** Navigates to `path` and returns the authorize URL the app sent the browser to. */
async function authorizeUrlFor(page: Page, path: string): Promise<URL> {
  const authorize = page.waitForRequest((request) => new URL(request.url()).pathname === '/user_management/authorize');
  await page.goto(path);
  return new URL((await authorize).url());
}

test('the suite runs the mock in strict PKCE mode, which refuses an authorize request without a challenge', async ({ mock, request }) => {
  // Every sign-in in this suite passing therefore proves the app always sends PKCE.
  expect(await mock.getConfig()).toMatchObject({ pkceRequired: true });
  const redirectUri = `${test.info().project.use.baseURL}/api/auth/callback`;
  const query = new URLSearchParams({
    client_id: E2E_CLIENT_ID,
    redirect_uri: redirectUri,
    response_type: 'code',
    provider: 'authkit',
    state: 'no-pkce',
  });
  const response = await request.get(`${mockUrl()}/user_management/authorize?${query}`, { maxRedirects: 0 });
  expect(response.status()).toBe(302);
  const location = new URL(response.headers().location ?? '');
  expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
  expect(Object.fromEntries(location.searchParams)).toEqual({
    error: 'invalid_request',
    error_description: 'code_challenge is required (strict PKCE mode of the mock).',
    state: 'no-pkce',
  });
});

test('sign-in sends screen_hint=sign-in and shows the hosted sign-in page', async ({ page }) => {
  const url = await authorizeUrlFor(page, '/auth/sign-in');
  expect(url.searchParams.get('screen_hint')).toBe('sign-in');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
});

test('sign-up sends screen_hint=sign-up and shows the hosted sign-up page', async ({ page }) => {
  const url = await authorizeUrlFor(page, '/auth/sign-up');
  expect(url.searchParams.get('screen_hint')).toBe('sign-up');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Create an account');
});

test('the authorize URL carries an S256 code challenge and a state, mirrored in an HttpOnly verifier cookie', async ({ page, context }) => {
  const url = await authorizeUrlFor(page, '/auth/sign-in');
  expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(url.searchParams.get('code_challenge_method')).toBe('S256');
  expect(url.searchParams.get('response_type')).toBe('code');
  const state = url.searchParams.get('state');
  expect(state?.length).toBeGreaterThan(32);
  expect(url.searchParams.get('redirect_uri')).toBe(`${test.info().project.use.baseURL}/api/auth/callback`);

  const cookies = await verifierCookies(context);
  expect(cookies).toHaveLength(1);
  // The cookie stands for the state without carrying it: <issued at>.<SHA-256 of the state> (lib/auth/authkit/verifier-cookies.ts).
  const digest = createHash('sha256')
    .update(state ?? '')
    .digest('base64url')
    .slice(0, 22);
  expect(cookies[0]?.value.split('.')).toEqual([expect.stringMatching(/^[0-9a-z]+$/), digest]);
  expect(cookies[0]).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
  // The verifier itself never travels in the URL: only its S256 hash does.
  expect(url.toString()).not.toContain('code_verifier');
});

test('a deep link to /dashboard?x=1 returns there after sign-in', async ({ page, testUser, signIn }) => {
  await signIn(page, { email: testUser.email, from: '/dashboard?x=1', expectUrl: /\/dashboard\?x=1$/ });
  await expect(page.getByTestId('user-email')).toHaveText(testUser.email);
});

test('an admin deep link to /dashboard/admin?tab=2 returns there after sign-in', async ({ page, createUser, signIn }) => {
  const admin = await createUser({ role: 'admin' });
  await signIn(page, { email: admin.email, from: '/dashboard/admin?tab=2', expectUrl: /\/dashboard\/admin\?tab=2$/ });
  await expect(page.getByRole('heading', { name: 'Admin area' })).toBeVisible();
});

test('returnTo on /auth/sign-in is honoured for a same-origin path', async ({ page, testUser, signIn }) => {
  await signIn(page, {
    email: testUser.email,
    from: '/auth/sign-in?returnTo=%2Fdashboard%3Fview%3Dreports',
    expectUrl: /\/dashboard\?view=reports$/,
  });
});

test('an off-site returnTo falls back to /dashboard after the full flow', async ({ page, testUser, signIn }) => {
  await signIn(page, {
    email: testUser.email,
    from: `/auth/sign-in?returnTo=${encodeURIComponent('https://evil.example/steal')}`,
    expectUrl: /\/dashboard$/,
  });
  expect(new URL(page.url()).origin).toBe(test.info().project.use.baseURL);
});

test('every unsafe returnTo is replaced by /dashboard', async ({ signedInPage }) => {
  // Signed in, /auth/sign-in redirects straight to the (sanitised) return path.
  const origin = test.info().project.use.baseURL;
  for (const returnTo of [
    'https://evil.example/steal',
    '//evil.example/steal',
    '/\\evil.example',
    '/%2F%2Fevil.example',
    'javascript:alert(1)',
    '/auth/sign-in',
  ]) {
    const response = await signedInPage.request.get(`/auth/sign-in?returnTo=${encodeURIComponent(returnTo)}`, { maxRedirects: 0 });
    expect(response.status(), returnTo).toBe(303);
    expect(response.headers().location, returnTo).toBe(`${origin}/dashboard`);
  }
  const safe = await signedInPage.request.get(`/auth/sign-in?returnTo=${encodeURIComponent('/dashboard/admin?tab=2')}`, {
    maxRedirects: 0,
  });
  expect(safe.headers().location).toBe(`${origin}/dashboard/admin?tab=2`);
});

test('organizationId reaches the authorize URL and becomes the session organization', async ({ page, signIn }) => {
  const path = `/auth/sign-in?organizationId=${SEED_ORGANIZATION_IDS.globex}`;
  const url = await authorizeUrlFor(page, path);
  expect(url.searchParams.get('organization_id')).toBe(SEED_ORGANIZATION_IDS.globex);
  await expect(page.getByText('Signing in to Globex')).toBeVisible();

  // multi-org@example.com lands in Acme by default; the requested organization wins.
  await signIn(page, { email: 'multi-org@example.com', from: path });
  await expect(page.getByTestId('organization')).toContainText(SEED_ORGANIZATION_IDS.globex);
  await expect(page.getByTestId('organization')).toContainText(`Globex (${SEED_ORGANIZATION_IDS.globex})`); // demo:line organizations
  await expect(page.getByTestId('role')).toHaveText('admin');
});

test('loginHint reaches the authorize URL and pre-fills the email', async ({ page, testUser }) => {
  const url = await authorizeUrlFor(page, `/auth/sign-in?loginHint=${encodeURIComponent(testUser.email)}`);
  expect(url.searchParams.get('login_hint')).toBe(testUser.email);
  await expect(page.getByLabel('Email')).toHaveValue(testUser.email);
});

test('an invalid loginHint is not forwarded', async ({ page }) => {
  const url = await authorizeUrlFor(page, `/auth/sign-in?loginHint=${encodeURIComponent('<script>@x')}`);
  expect(url.searchParams.has('login_hint')).toBe(false);
  await expect(page.getByLabel('Email')).toHaveValue('');
});

// demo:start sign-in-context
test('custom state (starting page and intent) reaches onSuccess and shows on the dashboard', async ({ page, testUser }) => {
  const marker = `from-${test.info().testId.slice(0, 8)}`;
  await page.goto(`/?campaign=${marker}`);
  await page.getByRole('main').getByRole('link', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await submitHostedSignIn(page, testUser.email, testUser.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  const context = page.getByTestId('sign-in-context');
  await expect(context).toHaveText(`You signed in from /?campaign=${marker}. Go back there`);
  await expect(context.locator('code')).toHaveText(`/?campaign=${marker}`);
  await expect(context.getByRole('link', { name: 'Go back there' })).toHaveAttribute('href', `/?campaign=${marker}`);
});

test('a sign-up started from a page reports the sign-up intent on the dashboard', async ({ page, mock }) => {
  const email = `signup-intent-${test.info().testId.slice(0, 8)}-${Date.now()}@example.com`;
  await page.goto('/?plan=team');
  await page.getByRole('main').getByRole('link', { name: 'Sign up' }).click();
  await expect(page.getByRole('heading', { name: 'Create an account' })).toBeVisible();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('a-long-enough-password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await submitEmailVerification(page, mock, email);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId('sign-in-context')).toHaveText('Welcome! You signed up from /?plan=team. Go back there');
});
// demo:end sign-in-context
