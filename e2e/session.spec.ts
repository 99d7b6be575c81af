/**
 * Phase 4 — the session and its tokens: cookie flags and size, tokens kept out
 * of the page, silent refresh, ended sessions, tampered cookies, foreign keys
 * and signing-key rotation.
 */
import type { BrowserContext } from '@playwright/test';
import { sealData } from 'iron-session';
import { SignJWT, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';
import { E2E_COOKIE_PASSWORD } from './support/env';
import {
  SESSION_COOKIE,
  expect,
  expectLandsOnSignIn,
  reloadUntilRefreshed,
  sessionCookie,
  submitHostedSignIn,
  test,
  unsealSession,
} from './fixtures';

/** Lifetime given to a test user's tokens when the test wants a refresh: authkit refreshes 30 s before expiry, so 35 s means "due in 5 s". */
const SHORT_TTL_SECONDS = 35;

async function sealedSession(context: BrowserContext) {
  const cookie = await sessionCookie(context);
  expect(cookie).toBeDefined();
  return unsealSession(cookie?.value ?? '');
}

// Its size (one cookie for every demo user; chunks beyond) is security case 8 and 21 (e2e/security/).
test('the session cookie is HttpOnly, SameSite=Lax and Path=/ in the browser', async ({ signedInPage }) => {
  const cookie = await sessionCookie(signedInPage.context());
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
});

test('no token reaches the HTML, JS-readable cookies or web storage', async ({ signedInPage }) => {
  const { accessToken, refreshToken } = await sealedSession(signedInPage.context());
  await signedInPage.goto('/dashboard');
  await expect(signedInPage.getByTestId('user-email')).toBeVisible();

  const raw = await (await signedInPage.request.get('/dashboard')).text(); // the HTML plus the RSC payload
  const dom = await signedInPage.content();
  const script = await signedInPage.evaluate(() => ({
    cookie: document.cookie,
    storage: JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
  }));
  for (const token of [accessToken, refreshToken]) {
    expect(raw).not.toContain(token);
    expect(dom).not.toContain(token);
    expect(script.cookie).not.toContain(token);
    expect(script.storage).not.toContain(token);
  }
  // Not even the token's signature part (a partial leak would still be a leak).
  expect(raw).not.toContain(accessToken.split('.')[2] ?? '');
  expect(script.cookie).not.toContain(SESSION_COOKIE);
});

test('an expiring access token is refreshed silently, with exactly one refresh call', async ({ page, createUser, signedInAs, mock }) => {
  const user = await createUser({ accessTokenTtlSeconds: SHORT_TTL_SECONDS });
  await signedInAs(user);
  const before = (await page.getByTestId('access-token-expiry').locator('time').getAttribute('datetime')) ?? '';
  const sessionId = await page.getByTestId('session-id').textContent();
  // Tokens issued from now on live 5 minutes, so the refreshed one is not due again.
  await mock.setUserAccessTokenTtl(user.id, 300);

  const after = await reloadUntilRefreshed(page, before, SHORT_TTL_SECONDS);
  expect(new Date(after).getTime()).toBeGreaterThan(new Date(before).getTime());
  // Same page, same person, same WorkOS session: nothing the user would notice.
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId('user-email')).toHaveText(user.email);
  await expect(page.getByTestId('session-id')).toHaveText(sessionId ?? '');

  const refreshes = await mock.requests({ userId: user.id, grantType: 'refresh_token' });
  expect(refreshes.map((call) => call.status)).toEqual([200]);
  expect(decodeJwt((await sealedSession(page.context())).accessToken).exp).toBe(new Date(after).getTime() / 1000);
});

test('an ended session (dead refresh token) goes back to sign-in once, without a loop', async ({ page, createUser, signedInAs, mock }) => {
  // authkit keeps serving a still-valid token when a proactive refresh fails, so this user's
  // tokens live 3 s: the session is noticed as ended as soon as the token has really expired.
  const user = await createUser({ accessTokenTtlSeconds: 3 });
  await signedInAs(user);
  const sessionId = (await page.getByTestId('session-id').textContent()) ?? '';
  await mock.endSession(sessionId);

  await expectLandsOnSignIn(page, '/dashboard?after=ended');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  expect(await sessionCookie(page.context())).toBeUndefined();
  const refreshes = await mock.requests({ userId: user.id, grantType: 'refresh_token' });
  expect(refreshes.at(-1)?.status).toBe(400);

  // Signed out for good: the next visit goes straight to sign-in without trying the dead token again.
  await page.goto('/dashboard?after=ended');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  expect(await mock.requests({ userId: user.id, grantType: 'refresh_token' })).toHaveLength(refreshes.length);

  // The sign-in page is a normal, usable stop: signing in again returns to the page.
  await mock.setUserAccessTokenTtl(user.id, 300);
  await submitHostedSignIn(page, user.email, user.password);
  await expect(page).toHaveURL(/\/dashboard\?after=ended$/);
  await expect(page.getByTestId('session-id')).not.toHaveText(sessionId);
});

test('a tampered session cookie signs the visitor out without an error page', async ({ page, context, testUser, signedInAs }) => {
  await signedInAs(testUser);
  const cookie = await sessionCookie(context);
  const value = cookie?.value ?? '';
  const middle = Math.floor(value.length / 2);
  await context.addCookies([
    { ...cookie!, value: `${value.slice(0, middle)}${value[middle] === 'x' ? 'y' : 'x'}${value.slice(middle + 1)}` },
  ]);

  const home = await page.goto('/');
  expect(home?.status()).toBe(200);
  await expect(page.getByRole('main').getByRole('link', { name: 'Sign in' })).toBeVisible();
  const dashboard = await page.goto('/dashboard');
  expect(dashboard?.status()).toBe(200);
  await expect(page).toHaveURL(/\/authkit\/sign-in/);
});

test('an access token signed by a key not in the JWKS is not accepted', async ({ page, context, testUser, signedInAs, mock }) => {
  await signedInAs(testUser);
  await page.goto('/dashboard/admin');
  await expect(page.getByRole('heading', { name: /don’t have access/ })).toBeVisible();

  // Same session, but the access token is re-signed by an attacker's key and promotes the member to admin.
  const session = await sealedSession(context);
  const claims = decodeJwt(session.accessToken);
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const forged = await new SignJWT({
    ...claims,
    role: 'admin',
    roles: ['admin'],
    permissions: ['posts:read', 'posts:write', 'users:manage'],
  })
    .setProtectedHeader({ alg: 'RS256', kid: `attacker-${(await exportJWK(publicKey)).n?.slice(0, 8)}` })
    .sign(privateKey);
  const sealed = await sealData({ ...session, accessToken: forged }, { password: E2E_COOKIE_PASSWORD, ttl: 0 });
  const cookie = await sessionCookie(context);
  await context.addCookies([{ ...cookie!, value: sealed }]);

  const response = await page.goto('/dashboard/admin');
  expect(response?.status()).toBe(403);
  await expect(page.getByRole('heading', { name: /don’t have access/ })).toBeVisible();
  // The proxy threw the forged token away and fetched a real one with the refresh token.
  expect(await mock.requests({ userId: testUser.id, grantType: 'refresh_token' })).toHaveLength(1);
  expect(decodeJwt((await sealedSession(context)).accessToken).permissions).toEqual(['posts:read']);
});

// Rotation changes the key every token is signed with, so it runs alone after the parallel
// project (see playwright.config.ts): the @global-state tag keeps it out of the other tests' way.
test('a signing-key rotation keeps the user signed in @global-state', async ({ page, createUser, signedInAs, mock }) => {
  const user = await createUser({ accessTokenTtlSeconds: SHORT_TTL_SECONDS });
  await signedInAs(user);
  const before = (await page.getByTestId('access-token-expiry').locator('time').getAttribute('datetime')) ?? '';
  await mock.setUserAccessTokenTtl(user.id, 300);

  const oldKid = decodeProtectedHeader((await sealedSession(page.context())).accessToken).kid;
  const rotated = await mock.rotateSigningKey({ keepPrevious: true });
  expect(rotated.kid).not.toBe(oldKid);

  // The token signed by the previous key is still accepted…
  await page.reload();
  await expect(page.getByTestId('user-email')).toHaveText(user.email);
  // …and the refreshed one, signed by the new key, is too.
  await reloadUntilRefreshed(page, before, SHORT_TTL_SECONDS);
  expect(decodeProtectedHeader((await sealedSession(page.context())).accessToken).kid).toBe(rotated.kid);
  await page.reload();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId('user-email')).toHaveText(user.email);
});

test('the dashboard shows the verified claims of the access token', async ({ signedInPage, workerAdmin }) => {
  await signedInPage.goto('/dashboard');
  await expect(signedInPage.getByTestId('user-email')).toHaveText(workerAdmin.user.email);
  await expect(signedInPage.getByTestId('user-id')).toHaveText(workerAdmin.user.id);
  await expect(signedInPage.getByTestId('role')).toHaveText('admin');
  await expect(signedInPage.getByTestId('roles').getByRole('listitem')).toHaveText(['admin']);
  await expect(signedInPage.getByTestId('permissions').getByRole('listitem')).toHaveText(['posts:read', 'posts:write', 'users:manage']);
  await expect(signedInPage.getByTestId('entitlements').getByRole('listitem')).toHaveText(['audit-logs']);
  await expect(signedInPage.getByTestId('feature-flags').getByRole('listitem')).toHaveText(['new-dashboard']);
  const { accessToken } = await sealedSession(signedInPage.context());
  const { exp, sid } = decodeJwt(accessToken);
  await expect(signedInPage.getByTestId('session-id')).toHaveText(String(sid));
  await expect(signedInPage.getByTestId('access-token-expiry').locator('time')).toHaveAttribute(
    'datetime',
    new Date((exp ?? 0) * 1000).toISOString(),
  );
});
