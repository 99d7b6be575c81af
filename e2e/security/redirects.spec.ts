/**
 * Case 7 (open redirects and header injection through returnTo) and case 16
 * (sign-out: what it clears, who can trigger it, what stays valid afterwards).
 */
import { expect, test } from '../fixtures';
import {
  SESSION_COOKIE,
  apiSignIn,
  appUrl,
  authorizeAtMock,
  expectRedirectedToSignIn,
  expectSessionCookieCleared,
  isSignedInAs,
  location,
  newContext,
  newUser,
  nowSeconds,
  resignedToken,
  seal,
  startSignIn,
  unseal,
  withCookie,
} from './support';

const HOSTILE_RETURN_TO = [
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'https://evil.example',
  '//evil.example',
  '/\\evil.example',
  'https:/evil.example',
  '%2F%2Fevil.example',
  '/%2F/evil.example',
  '%252F%252Fevil.example',
  '/%5Cevil.example',
  '/dashboard\r\nSet-Cookie: injected=1',
  '/dashboard%0d%0aSet-Cookie:%20injected=1',
  '/dashboard%0d%0aLocation:%20https://evil.example',
  '\t//evil.example',
  ' //evil.example',
  '/\t/evil.example',
  'HTTPS://EVIL.EXAMPLE',
  '/.//evil.example',
  `/${'a'.repeat(10_240)}`,
];

test('7. hostile returnTo on sign-in: the flow stays on this origin, no header injection', async ({ mock }) => {
  const appOrigin = new URL(appUrl()).origin;
  const browser = await newContext();
  for (const returnTo of HOSTILE_RETURN_TO) {
    const label = JSON.stringify(returnTo.slice(0, 60));
    const response = await browser.get(`/auth/sign-in?${new URLSearchParams({ returnTo })}`, {
      maxRedirects: 0,
      headers: { accept: 'text/html' },
    });
    expect(response.status(), label).toBe(303);
    expect(
      response
        .headersArray()
        .some((header) => /injected/i.test(header.name) || (/injected/i.test(header.value) && header.name !== 'location')),
      label,
    ).toBe(false);
    const authorize = new URL(location(response));
    expect(authorize.origin, label).toBe(new URL(process.env.E2E_MOCK_URL ?? '').origin);
    // The return path travels sealed in the state: it must be a same-origin path.
    const state = await unseal(authorize.searchParams.get('state') ?? '');
    const returnPathname = (state as unknown as { returnPathname: string }).returnPathname;
    expect(new URL(returnPathname, appOrigin).origin, label).toBe(appOrigin);
    expect(returnPathname, label).toBe('/dashboard');
  }
  // End to end for the classic ones: the callback's redirect stays here.
  const user = await newUser(mock, 'returnto');
  for (const returnTo of ['//evil.example', '/\\evil.example', 'https:/evil.example']) {
    const fresh = await newContext();
    const flow = await startSignIn(fresh, `?${new URLSearchParams({ returnTo })}`);
    const callback = await authorizeAtMock(fresh, flow.authorizeUrl, user.email);
    const answer = await fresh.get(callback.toString(), { maxRedirects: 0 });
    await fresh.dispose();
    expect(answer.status()).toBe(307);
    expect(new URL(location(answer)).origin).toBe(appOrigin);
    expect(new URL(location(answer)).pathname).toBe('/dashboard');
  }
  // A safe one is kept.
  const kept = await browser.get('/auth/sign-in?returnTo=%2Fdashboard%2Fadmin%3Fx%3D1', { maxRedirects: 0 });
  const state = await unseal(new URL(location(kept)).searchParams.get('state') ?? '');
  expect((state as unknown as { returnPathname: string }).returnPathname).toBe('/dashboard/admin?x=1');
  await browser.dispose();
});

test('7b. a spoofed Host, X-Forwarded-Host or Forwarded header does not move the callback or the already-signed-in redirect', async ({
  mock,
}) => {
  const user = await newUser(mock, 'host');
  const browser = await newContext();
  const flow = await startSignIn(browser);
  const callback = await authorizeAtMock(browser, flow.authorizeUrl, user.email);
  const answer = await browser.get(callback.toString(), {
    maxRedirects: 0,
    headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example', forwarded: 'host=evil.example;proto=https' },
  });
  expect(answer.status()).toBe(307);
  expect(new URL(location(answer)).origin).toBe(new URL(appUrl()).origin);
  const signedIn = await browser.get('/auth/sign-in?returnTo=%2F%2Fevil.example', {
    maxRedirects: 0,
    headers: { 'x-forwarded-host': 'evil.example', forwarded: 'host=evil.example' },
  });
  expect(new URL(location(signedIn)).origin).toBe(new URL(appUrl()).origin);
  await browser.dispose();
});

test('16. sign-out clears session and verifier cookies, ends the WorkOS session, returns only to this origin', async ({
  page,
  context,
  mock,
}) => {
  const user = await newUser(mock, 'signout');
  // Leave a verifier cookie from an abandoned flow behind (a finished sign-in leaves none).
  await page.request.get('/auth/sign-in', { maxRedirects: 0, headers: { accept: 'text/html' } });
  await apiSignIn(page.request, user.email);
  expect((await context.cookies()).some((cookie) => cookie.name.startsWith('wos-auth-verifier'))).toBe(true);

  await page.goto('/dashboard?returnTo=https%3A%2F%2Fevil.example');
  const logout = page.waitForRequest(/\/user_management\/sessions\/logout/);
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  const returnTo = new URL((await logout).url()).searchParams.get('return_to');
  expect(returnTo).toBe(`${new URL(appUrl()).origin}/`);
  await expect(page).toHaveURL(`${new URL(appUrl()).origin}/`);

  const names = (await context.cookies()).map((cookie) => cookie.name);
  expect(names).not.toContain(SESSION_COOKIE);
  expect(names.filter((name) => name.startsWith('wos-auth-verifier'))).toEqual([]);
  const [session] = await mock.listSessions({ userId: user.id });
  expect(session?.endedAt).not.toBeNull();
});

test('16b. a cross-site GET or a cross-origin POST of the sign-out action cannot sign a user out', async ({ mock }) => {
  const user = await newUser(mock, 'csrf-signout');
  const browser = await newContext();
  const { cookie } = await apiSignIn(browser, user.email);
  const dashboard = await browser.get('/dashboard');
  const html = await dashboard.text();
  const actionField = /name="(\$ACTION_ID_[0-9a-f]+)"/.exec(html)?.[1];
  expect(actionField, 'the sign-out form carries a server action id').toBeTruthy();

  // There is no GET sign-out endpoint to hit from an <img> or a link.
  const statuses = { '/auth/sign-out': 404, '/api/auth/sign-out': 404, '/auth/logout': 404, '/dashboard?signout=1': 200 };
  for (const [path, status] of Object.entries(statuses)) {
    const answer = await browser.get(path, {
      maxRedirects: 0,
      headers: { referer: 'https://evil.example/', 'sec-fetch-site': 'cross-site' },
    });
    expect(answer.status(), path).toBe(status);
    expect(answer.headers()['location'], path).toBeUndefined();
  }
  // The form posted from another origin.
  const forged = await browser.post('/dashboard', {
    maxRedirects: 0,
    multipart: { [actionField ?? '']: '' },
    headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site', accept: 'text/x-component' },
  });
  expect(forged.status()).toBe(403);
  expect(forged.headers()['location'] ?? '').not.toMatch(/sessions\/logout/);
  expect(await browser.storageState().then((state) => state.cookies.find((c) => c.name === SESSION_COOKIE)?.value)).toBe(cookie);
  const [session] = await mock.listSessions({ userId: user.id });
  expect(session?.endedAt).toBeNull();
  expect(isSignedInAs(await withCookie('/dashboard', cookie), user.id)).toBe(true);
  await browser.dispose();
});

test('decision: after sign-out a stolen cookie is refused at once, though its access token is still valid; its refresh token is dead too', async ({
  page,
  mock,
}) => {
  const user = await newUser(mock, 'after-signout');
  const { cookie } = await apiSignIn(page.request, user.email);
  await page.goto('/dashboard');
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
  const [ended] = await mock.listSessions({ userId: user.id });
  expect(ended?.endedAt).not.toBeNull();

  // A copy taken before sign-out: its access token is stateless and still valid, but the session is on the revocation list.
  const session = await unseal(cookie);
  const { exp, iat } = JSON.parse(Buffer.from(session.accessToken.split('.')[1] ?? '', 'base64url').toString()) as {
    exp: number;
    iat: number;
  };
  expect(exp - iat).toBeLessThanOrEqual(300);
  expect(exp - nowSeconds()).toBeGreaterThan(200);
  const replay = await withCookie('/dashboard', cookie);
  expect(isSignedInAs(replay, user.id)).toBe(false);
  expectRedirectedToSignIn(replay);
  expectSessionCookieCleared(replay);
  expect((await withCookie('/api/me', cookie)).status).toBe(401);

  // Once that token has expired, the refresh token is dead with the session: signed out, cookie cleared.
  const expired = await seal({ ...session, accessToken: await resignedToken(mock, session.accessToken, { exp: nowSeconds() - 1 }) });
  const afterExpiry = await withCookie('/dashboard', expired);
  expectRedirectedToSignIn(afterExpiry);
  expectSessionCookieCleared(afterExpiry);
  const refreshes = await mock.requests({ userId: user.id, endpoint: 'authenticate', grantType: 'refresh_token' });
  expect(refreshes.map((entry) => entry.status)).toEqual([400]);
});
