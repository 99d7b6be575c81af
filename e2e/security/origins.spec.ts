/**
 * Issue #13.1: one build, several allowed origins (APP_ALLOWED_ORIGINS). The
 * suite's server allows http://localhost:<port> (also the configured redirect
 * URI) and http://127.0.0.1:<port>: the same server on two origins. A sign-in
 * started on either finishes on its own callback; no Host, X-Forwarded-Host or
 * Forwarded header can move the flow to an origin that is not on the list.
 */
import { expect, signInThroughHostedPage, submitHostedSignIn, test } from '../fixtures';
import { secondAppOrigin } from '../support/env';
import { appUrl, authorizeAtMock, location, newContext, newUser, startSignIn } from './support';

const HTML = { accept: 'text/html' };
const configuredOrigin = () => new URL(appUrl()).origin;
const ipOrigin = () => secondAppOrigin(Number(process.env.E2E_APP_PORT));

for (const which of ['configured', 'second'] as const) {
  test(`a sign-in started on the ${which} allowed origin finishes on that origin's callback, and signs out back to it`, async ({
    browser,
    mock,
  }) => {
    const origin = which === 'configured' ? configuredOrigin() : ipOrigin();
    const user = await newUser(mock, `origin-${which}`);
    const context = await browser.newContext({ baseURL: origin });
    const page = await context.newPage();
    await signInThroughHostedPage(page, { email: user.email, from: `/auth/sign-in?${new URLSearchParams({ loginHint: user.email })}` });
    await expect(page).toHaveURL(`${origin}/dashboard`);
    await expect(page.getByTestId('user-email')).toHaveText(user.email);

    const [authorize] = await mock.requests({ userId: user.id, endpoint: 'authorize' });
    expect(authorize?.redirectUri).toBe(`${origin}/api/auth/callback`);
    const session = (await context.cookies()).find((cookie) => cookie.name === 'wos-session');
    expect(session?.domain).toBe(new URL(origin).hostname);

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await expect(page).toHaveURL(`${origin}/`);
    const [logout] = await mock.requests({ userId: user.id, endpoint: 'logout' });
    expect(logout?.redirectUri).toBe(`${origin}/`);
    await context.close();
  });
}

test('a protected page opened on the second origin sends the proxy-built authorization request to that origin', async ({
  browser,
  mock,
}) => {
  const user = await newUser(mock, 'origin-proxy');
  const context = await browser.newContext({ baseURL: ipOrigin() });
  const page = await context.newPage();
  await page.goto('/dashboard?from=proxy');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  expect(new URL(page.url()).origin).toBe(new URL(process.env.E2E_MOCK_URL ?? '').origin);
  await submitHostedSignIn(page, user.email);
  await expect(page).toHaveURL(`${ipOrigin()}/dashboard?from=proxy`);
  await context.close();
});

/** Forged host headers: none of them is on the list, so the configured origin is used. */
const POISONED: Array<Record<string, string>> = [
  { host: 'evil.example' },
  { 'x-forwarded-host': 'evil.example' },
  { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' },
  { forwarded: 'host=evil.example;proto=https' },
  { forwarded: 'for=1.2.3.4;host="evil.example"' },
  { 'x-forwarded-host': `localhost:${process.env.E2E_APP_PORT}@evil.example` },
  { 'x-forwarded-host': `evil.example/localhost:${process.env.E2E_APP_PORT}` },
  { 'x-forwarded-host': `127.0.0.1.evil.example:${process.env.E2E_APP_PORT}` },
  { 'x-forwarded-host': `localhost:${process.env.E2E_APP_PORT}.evil.example` },
  { 'x-forwarded-host': `127.0.0.1:1` },
  { 'x-forwarded-host': `evil.example, 127.0.0.1:${process.env.E2E_APP_PORT}` },
  { host: `127.0.0.1:${process.env.E2E_APP_PORT}`, 'x-forwarded-host': 'evil.example' },
];

test('Host, X-Forwarded-Host and Forwarded poisoning never produce an origin outside the list', async () => {
  const context = await newContext();
  const allowed = new Set([configuredOrigin(), ipOrigin()]);
  for (const headers of POISONED) {
    const label = JSON.stringify(headers);
    // The authorization request, from the route and from the proxy.
    for (const path of ['/auth/sign-in', '/dashboard']) {
      const response = await context.get(path, { maxRedirects: 0, headers: { ...HTML, ...headers } });
      // The route answers its redirect with 303, the proxy with 307.
      expect(response.status(), `${path} ${label}`).toBe(path === '/auth/sign-in' ? 303 : 307);
      const redirectUri = new URL(location(response)).searchParams.get('redirect_uri') ?? '';
      expect(redirectUri, `${path} ${label}`).toBe(`${configuredOrigin()}/api/auth/callback`);
      for (const cookie of response.headersArray().filter((header) => header.name.toLowerCase() === 'set-cookie')) {
        expect(cookie.value, label).not.toMatch(/Domain=evil/i);
      }
    }
    // The callback's error redirect.
    const failed = await context.get('/api/auth/callback?code=x&state=y', { maxRedirects: 0, headers });
    expect(failed.status(), label).toBe(303);
    expect(allowed.has(new URL(location(failed)).origin), `${label} → ${location(failed)}`).toBe(true);
    expect(new URL(location(failed)).origin, label).toBe(configuredOrigin());
  }
  await context.dispose();
});

test('a forwarded host on the list is followed; the callback of a poisoned request lands on the configured origin', async ({ mock }) => {
  const context = await newContext();
  const forwarded = await context.get('/auth/sign-in', {
    maxRedirects: 0,
    headers: { ...HTML, 'x-forwarded-host': `127.0.0.1:${process.env.E2E_APP_PORT}` },
  });
  expect(new URL(location(forwarded)).searchParams.get('redirect_uri')).toBe(`${ipOrigin()}/api/auth/callback`);

  const user = await newUser(mock, 'origin-poisoned-callback');
  const flow = await startSignIn(context);
  const callback = await authorizeAtMock(context, flow.authorizeUrl, user.email);
  expect(callback.origin).toBe(configuredOrigin());
  const answer = await context.get(callback.toString(), {
    maxRedirects: 0,
    headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example', forwarded: 'host=evil.example' },
  });
  expect(answer.status()).toBe(307);
  expect(location(answer)).toBe(`${configuredOrigin()}/dashboard`);
  await context.dispose();
});
