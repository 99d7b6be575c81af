/**
 * Case 21 (issue #11 D2): sessions bigger than one cookie. authkit seals the
 * access token, and the token carries every permission, entitlement and feature
 * flag; browsers drop a cookie over 4096 bytes, silently, and sign-in loops.
 * Through the hosted page, with users the mock mints: 100 permissions, 50
 * entitlements and 50 feature flags sign in, stay signed in through a refresh
 * (by the dashboard's server action, then by the proxy) and sign out with every
 * chunk gone; a session too large even for chunks ends at the error page.
 */
import { randomUUID } from 'node:crypto';
import type { BrowserContext } from '@playwright/test';
import { decodeJwt } from 'jose';
import {
  SESSION_COOKIE,
  expect,
  expectAuthErrorPage,
  reloadUntilRefreshed,
  signInThroughHostedPage,
  submitHostedSignIn,
  test,
  unsealSession,
} from '../fixtures';
import type { MockWorkOSControl } from '../mock-workos/control-client';

/** authkit refreshes 30 s before expiry for short-lived tokens: 35 s means "due in 5 s". */
const SHORT_TTL_SECONDS = 35;
const pad = (index: number) => String(index).padStart(3, '0');
const range = (count: number) => Array.from({ length: count }, (_, index) => index);

/** The session cookie in any form (`wos-session`, `wos-session.N`), sorted by name. */
async function sessionCookies(context: BrowserContext) {
  return (await context.cookies())
    .filter((cookie) => cookie.name === SESSION_COOKIE || cookie.name.startsWith(`${SESSION_COOKIE}.`))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The seal the chunks hold, joined as the proxy joins them. */
async function joinedSession(context: BrowserContext) {
  return unsealSession((await sessionCookies(context)).map((cookie) => cookie.value).join(''));
}

/** A user in a new organization whose token carries these many claims (slugs of ~20 characters, like real ones). */
async function userWithClaims(
  mock: MockWorkOSControl,
  counts: { permissions: number; entitlements: number; featureFlags: number },
  accessTokenTtlSeconds?: number,
) {
  const slug = (kind: string, index: number) => `${kind}-${pad(index)}:manage`;
  const tag = randomUUID().slice(0, 8);
  const role = `large-${tag}`;
  await mock.createRole({ slug: role, permissions: range(counts.permissions).map((index) => slug('workspace', index)) });
  const organization = await mock.createOrganization({
    name: `Large ${tag}`,
    entitlements: range(counts.entitlements).map((index) => slug('entitlement', index)),
    featureFlags: range(counts.featureFlags).map((index) => slug('flag', index)),
  });
  const email = `session-size-${tag}@example.com`;
  const { user } = await mock.createUser({
    email,
    password: 'authkit-demo-password',
    firstName: 'Large',
    lastName: 'Session',
    memberships: [{ organizationId: organization.id, role }],
    ...(accessTokenTtlSeconds ? { accessTokenTtlSeconds } : {}),
  });
  return { id: user.id, email, role };
}

function expectChunksThatFit(cookies: Awaited<ReturnType<typeof sessionCookies>>) {
  expect(cookies.map((cookie) => cookie.name)).toEqual([`${SESSION_COOKIE}.0`, `${SESSION_COOKIE}.1`, `${SESSION_COOKIE}.2`]);
  for (const cookie of cookies) {
    expect(Buffer.byteLength(`${cookie.name}=${cookie.value}`), cookie.name).toBeLessThanOrEqual(4000);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
  }
}

test('21a. 100 permissions, 50 entitlements and 50 feature flags: signed in through the hosted page, kept through refreshes, every chunk gone at sign-out', async ({
  page,
  context,
  mock,
}) => {
  const user = await userWithClaims(mock, { permissions: 100, entitlements: 50, featureFlags: 50 });
  await signInThroughHostedPage(page, { email: user.email, expectUrl: /\/dashboard$/ });
  await expect(page.getByTestId('user-email')).toHaveText(user.email);
  await expect(page.getByTestId('permissions').getByRole('listitem')).toHaveCount(100);
  await expect(page.getByTestId('entitlements').getByRole('listitem')).toHaveCount(50);
  await expect(page.getByTestId('feature-flags').getByRole('listitem')).toHaveCount(50);

  const signedIn = await sessionCookies(context);
  expectChunksThatFit(signedIn);
  const bytes = signedIn.reduce((total, cookie) => total + cookie.name.length + 1 + cookie.value.length, 0);
  test.info().annotations.push({ type: 'session cookie bytes (3 chunks)', description: String(bytes) });
  expect(bytes).toBeGreaterThan(8_000); // one cookie would have been dropped
  expect((await joinedSession(context)).user.id).toBe(user.id);
  const signedInExpiry = decodeJwt((await joinedSession(context)).accessToken).exp;

  // The dashboard's "Refresh session" server action saves through Next's cookie store: chunks too.
  // Its token lives 35 s, so the proxy refreshes it next (authkit refreshes 30 s before expiry).
  await mock.setUserAccessTokenTtl(user.id, SHORT_TTL_SECONDS);
  const action = page.waitForResponse(
    (response) => response.request().method() === 'POST' && new URL(response.url()).pathname === '/dashboard',
  );
  await page.getByRole('button', { name: 'Refresh session' }).click();
  // Fetched with a Next-Action header once hydrated (200); on a busy machine the click can come first, and the plain
  // form post is answered with a redirect back to the page (303 to /dashboard).
  const response = await action;
  if (response.request().headers()['next-action']) expect(response.status()).toBe(200);
  else expect([response.status(), response.headers()['location']]).toEqual([303, '/dashboard']);
  await expect
    .poll(async () => (await sessionCookies(context)).map((cookie) => cookie.value))
    .not.toEqual(signedIn.map((cookie) => cookie.value));
  const afterAction = await sessionCookies(context);
  expectChunksThatFit(afterAction);
  const actionExpiry = decodeJwt((await joinedSession(context)).accessToken).exp ?? 0;
  expect(actionExpiry).not.toBe(signedInExpiry);

  // The proxy refreshes the 35 s token and writes the new seal in chunks; tokens from now on live 300 s.
  await mock.setUserAccessTokenTtl(user.id, 300);
  // Before hydration the button posts a plain form, a document load of its own: wait until the page shows the
  // action's token, so the reloads below never race that navigation.
  await expect(page.getByTestId('access-token-expiry').locator('time')).toHaveAttribute(
    'datetime',
    new Date(actionExpiry * 1000).toISOString(),
  );
  await page.waitForLoadState('load');
  const afterProxyRefresh = await reloadUntilRefreshed(page, new Date(actionExpiry * 1000).toISOString(), SHORT_TTL_SECONDS);
  await expect(page.getByTestId('user-email')).toHaveText(user.email);
  const refreshed = await sessionCookies(context);
  expectChunksThatFit(refreshed);
  expect(refreshed.map((cookie) => cookie.value)).not.toEqual(afterAction.map((cookie) => cookie.value));
  expect(decodeJwt((await joinedSession(context)).accessToken).exp).toBe(new Date(afterProxyRefresh).getTime() / 1000);
  expect((await mock.requests({ userId: user.id, grantType: 'refresh_token' })).map((call) => call.status)).toEqual([200, 200]);

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('main').getByRole('link', { name: 'Sign in' })).toBeVisible();
  expect(await sessionCookies(context)).toEqual([]);
  expect((await mock.listSessions({ userId: user.id }))[0]?.endedAt).toEqual(expect.any(String));
});

test('21b. a session too large even for chunks ends at the error page with fixed copy, no cookie and no loop', async ({
  page,
  context,
  mock,
}) => {
  const user = await userWithClaims(mock, { permissions: 300, entitlements: 50, featureFlags: 50 });
  await signInThroughHostedPage(page, { email: user.email, expectUrl: /\/auth\/error\?/ });
  await expectAuthErrorPage(page, 'session_too_large');
  expect(await sessionCookies(context)).toEqual([]);
  // Nothing half-signed-in: a protected page goes to the hosted sign-in page once, and stays there.
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/authkit\/sign-in/);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});

test('21c. a refresh that makes the session too large ends at the error page, every chunk deleted, no loop', async ({
  page,
  context,
  mock,
  signedInAs,
}) => {
  const user = await userWithClaims(mock, { permissions: 100, entitlements: 50, featureFlags: 50 }, SHORT_TTL_SECONDS);
  await signedInAs(user);
  await expect(page.getByTestId('user-email')).toHaveText(user.email);
  expectChunksThatFit(await sessionCookies(context));

  // The role grows past what three chunks hold; the next refresh (due 5 s after each token) carries it.
  await mock.setRolePermissions(
    user.role,
    range(300).map((index) => `workspace-${pad(index)}:manage`),
  );
  // The refresh happens on whichever request comes first. On a page load the proxy redirects to the
  // error page; on a background request (a Link prefetch) nothing can be shown, the session is
  // deleted, and the next page load goes to sign-in once, whose callback then shows the error page.
  await expect
    .poll(
      async () => {
        await page.reload();
        return new URL(page.url()).pathname;
      },
      { timeout: (SHORT_TTL_SECONDS - 30 + 8) * 1000, intervals: [500] },
    )
    .toMatch(/^\/(auth\/error|authkit\/sign-in)$/);
  if (new URL(page.url()).pathname === '/authkit/sign-in') {
    await submitHostedSignIn(page, user.email);
  }
  await expectAuthErrorPage(page, 'session_too_large');
  expect(await sessionCookies(context)).toEqual([]);
  // WorkOS refreshed fine; the app could not store the result.
  expect((await mock.requests({ userId: user.id, grantType: 'refresh_token' })).map((call) => call.status)).toContain(200);
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/authkit\/sign-in/);
});
