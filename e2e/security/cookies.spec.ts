/**
 * Cases 8, 9, 10 and 17: the session cookie itself, hostile cookie values,
 * a sealed user that is not the token's subject, and spoofed internal headers.
 */
import { randomUUID } from 'node:crypto';
import { expect, test } from '../fixtures';
import { SEED_ORGANIZATION_IDS } from '../mock-workos/seed';
import { E2E_COOKIE_PASSWORD } from '../support/env';
import {
  SESSION_COOKIE,
  apiSignIn,
  expectRedirectedToSignIn,
  expectSessionCookieCleared,
  isSignedInAs,
  newContext,
  newSignedInUser,
  newUser,
  seal,
  unseal,
  withCookie,
} from './support';

test("8. session cookie attributes, and every demo user's session in one cookie the browser keeps", async () => {
  let largest = 0;
  // multi-org@example.com in Globex, whose admin role carries the most permissions.
  const signIns: { email: string; organizationId?: string }[] = [
    { email: 'admin@example.com' },
    { email: 'impersonated@example.com' },
    { email: 'multi-org@example.com', organizationId: SEED_ORGANIZATION_IDS.globex },
  ];
  for (const { email, organizationId } of signIns) {
    const browser = await newContext();
    const { response } = await apiSignIn(browser, email, undefined, organizationId);
    const setCookie = response
      .headersArray()
      .find((header) => header.name.toLowerCase() === 'set-cookie' && header.value.startsWith(`${SESSION_COOKIE}=`));
    expect(setCookie, email).toBeDefined();
    const attributes = (setCookie?.value ?? '')
      .split(';')
      .slice(1)
      .map((part) => part.trim().toLowerCase());
    expect(attributes).toContain('httponly');
    expect(attributes).toContain('path=/');
    expect(attributes).toContain('samesite=lax');
    expect(attributes.some((attribute) => attribute.startsWith('domain='))).toBe(false);
    // http://localhost in the suite: Secure follows the redirect URI's scheme (set for https deployments).
    const cookieLine = (setCookie?.value ?? '').split(';')[0] ?? '';
    largest = Math.max(largest, Buffer.byteLength(cookieLine));
    await browser.dispose();
  }
  test.info().annotations.push({ type: 'largest session cookie (bytes)', description: String(largest) });
  // The app's documented budget for one cookie (docs/security.md, session chunks): under the 4096 bytes browsers keep.
  expect(largest).toBeLessThanOrEqual(4000);
});

test('9. garbage, bit-flipped, truncated and foreign-password cookies: signed out, cleared on protected routes, public pages 200, never 500', async ({
  mock,
}) => {
  const { cookie } = await newSignedInUser(mock, 'garbage');
  const session = await unseal(cookie);
  const middle = Math.floor(cookie.length / 2);
  const hostile: Record<string, string> = {
    garbage: 'garbage',
    empty: '',
    'fake iron prefix': 'Fe26.2*1*aa*bb*cc*dd*ee*ff',
    'wrong component count': 'Fe26.2**a*b',
    'bit-flipped': cookie.slice(0, middle) + (cookie[middle] === 'A' ? 'B' : 'A') + cookie.slice(middle + 1),
    truncated: cookie.slice(0, cookie.length - 20),
    'foreign password': await seal(session, `${E2E_COOKIE_PASSWORD}-attacker`),
    'sealed non-object': await seal('just a string'),
    'sealed empty object': await seal({}),
    'sealed without tokens': await seal({ user: session.user }),
    huge: 'A'.repeat(3_500),
  };
  for (const [name, value] of Object.entries(hostile)) {
    const dashboard = await withCookie('/dashboard', value);
    // 307 to AuthKit (authkit refused the token) or to our sign-in route (the proxy refused the session).
    expectRedirectedToSignIn(dashboard, name);
    if (value !== '') expectSessionCookieCleared(dashboard);
    const home = await withCookie('/', value);
    expect(home.status, name).toBe(200);
    expect(home.body, name).not.toContain('Welcome back');
  }
});

test('10. a sealed user whose id differs from the token subject is not signed in, and the cookie is dropped', async ({ mock }) => {
  const { user, cookie } = await newSignedInUser(mock, 'bind');
  const victim = await newUser(mock, 'bind-victim');
  const session = await unseal(cookie);
  const forged = await seal({ ...session, user: { ...session.user, id: victim.id, email: victim.email } });
  const dashboard = await withCookie('/dashboard', forged);
  expectRedirectedToSignIn(dashboard);
  expectSessionCookieCleared(dashboard);
  expect(dashboard.body).not.toContain(victim.id);
  const home = await withCookie('/', forged);
  expect(home.status).toBe(200);
  expect(home.body).not.toContain(victim.email);
  expect(home.body).not.toContain('Welcome back');
  // The untouched cookie still works (the check is what rejected the forgery).
  expect(isSignedInAs(await withCookie('/dashboard', cookie), user.id)).toBe(true);
});

test('17. spoofed internal headers change nothing on protected or public routes', async ({ mock }) => {
  const { user, cookie } = await newSignedInUser(mock, 'headers');
  const spoofed: Array<Record<string, string>> = [
    { 'x-workos-session': cookie, 'x-workos-middleware': 'true' },
    { 'x-workos-session': cookie, 'x-middleware-subrequest': 'proxy:proxy:proxy:proxy:proxy' },
    { 'x-middleware-subrequest': 'middleware:middleware:middleware:middleware:middleware' },
    { 'x-middleware-subrequest': 'src/middleware:src/middleware:src/middleware:src/middleware:src/middleware' },
    { 'x-middleware-subrequest': 'pages/_middleware' },
    { 'x-url': 'https://evil.example/dashboard', 'x-redirect-uri': 'https://evil.example/api/auth/callback' },
    { 'x-workos-pkce-state': 'x', 'x-workos-authorization-url': 'https://evil.example/authorize' },
    { 'x-nonce': 'attacker', 'content-security-policy': 'script-src *' },
    { 'x-sign-up-paths': '/dashboard', 'x-middleware-next': '1', 'x-middleware-rewrite': '/dashboard' },
  ];
  for (const headers of spoofed) {
    const label = Object.keys(headers).join(',');
    const dashboard = await withCookie('/dashboard', undefined, { headers });
    expectRedirectedToSignIn(dashboard);
    const authorize = new URL(dashboard.headers['location'] ?? '');
    expect(authorize.origin, label).toBe(new URL(process.env.E2E_MOCK_URL ?? '').origin);
    expect(authorize.searchParams.get('redirect_uri'), label).toBe(`http://localhost:${process.env.E2E_APP_PORT}/api/auth/callback`);
    expect(dashboard.body, label).not.toContain(user.id);
    const home = await withCookie('/', undefined, { headers });
    expect(home.status, label).toBe(200);
    expect(home.body, label).not.toContain('Welcome back');
    expect(home.headers['content-security-policy'], label).not.toContain('attacker');
    expect(home.headers['content-security-policy'], label).not.toContain('script-src *');
  }
  // And with a real session, a spoofed x-workos-session for someone else is ignored.
  const { user: other, cookie: otherCookie } = await newSignedInUser(mock, 'headers-other');
  const mine = await withCookie('/dashboard', cookie, { headers: { 'x-workos-session': otherCookie, 'x-request-id': randomUUID() } });
  expect(isSignedInAs(mine, user.id)).toBe(true);
  expect(mine.body).not.toContain(other.id);
});
