/**
 * Route protection (proxy.ts + lib/auth/session/proxy.ts), deny by default:
 * every path but the public list (lib/auth/session/route-access.ts) sends signed-out
 * visitors to AuthKit, API routes answer 401 JSON, public paths and static files
 * are served without a session, and the admin page answers by permission.
 */
import { LOCKED_DOWN_CONTENT_SECURITY_POLICY } from '../lib/security/headers';
import { expect, mockUrl, test } from './fixtures';

// /settings is on no list and has no page: the proxy decides by path alone, so a page a
// template user adds there (app/settings/page.tsx) is protected the moment it exists.
for (const path of [
  '/dashboard',
  '/dashboard?tab=billing',
  '/dashboard/admin',
  '/dashboard/admin?tab=2',
  '/dashboard/does-not-exist',
  '/settings',
  '/settings/profile?tab=2',
]) {
  test(`signed out, ${path} redirects to AuthKit with the path kept`, async ({ request }) => {
    // A top-level navigation, as a browser sends it (authkit only starts a flow for documents).
    const response = await request.get(path, { maxRedirects: 0, headers: { accept: 'text/html' } });
    expect(response.status()).toBe(307);
    const location = new URL(response.headers().location ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(`${mockUrl()}/user_management/authorize`);
    expect(location.searchParams.get('redirect_uri')).toBe(`${test.info().project.use.baseURL}/api/auth/callback`);
    // A verifier cookie starts the flow, so the user comes back to this page after signing in.
    expect(response.headers()['set-cookie']).toMatch(/wos-auth-verifier-[^=]+=[^;]+;.*HttpOnly/i);
  });
}

test('signed out, an API route answers 401 JSON, not a redirect, and starts no sign-in', async ({ request }) => {
  for (const accept of ['application/json', 'text/html']) {
    const response = await request.get('/api/me', { maxRedirects: 0, headers: { accept } });
    expect(response.status(), accept).toBe(401);
    expect(response.headers()['content-type'], accept).toContain('application/json');
    expect(await response.json(), accept).toEqual({ error: 'unauthorized', message: 'Sign in to use this API.' });
    expect(response.headers()['set-cookie'], accept).toBeUndefined();
    expect(response.headers()['cache-control'], accept).toBe('private, no-store, max-age=0');
  }
  // Unknown API paths too: nothing under /api/ is public except the callback.
  expect((await request.get('/api/anything-else', { maxRedirects: 0 })).status()).toBe(401);
});

test("signed in, the example API route answers with the session's user", async ({ signedInPage, workerAdmin }) => {
  const response = await signedInPage.request.get('/api/me');
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({
    id: workerAdmin.user.id,
    email: workerAdmin.user.email,
    organizationId: 'org_01HDEMOACME0000000000000',
    role: 'admin',
    permissions: ['posts:read', 'posts:write', 'users:manage'],
  });
});

test('signed out, a protected page in the browser ends on the hosted sign-in page', async ({ page }) => {
  await page.goto('/dashboard/admin');
  await expect(page).toHaveURL(/\/authkit\/sign-in/);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});

test('public pages are served without a session', async ({ request }) => {
  for (const path of ['/', '/auth/error?code=access_denied']) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(200);
    expect(response.headers()['set-cookie'], path).toBeUndefined();
  }
  // /auth/* start the flow themselves instead of being bounced by the proxy.
  for (const path of ['/auth/sign-in', '/auth/sign-up']) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(303);
    expect(response.headers().location, path).toContain(`${mockUrl()}/user_management/authorize`);
  }
});

test('the callback is outside the proxy: never redirected to AuthKit, and no new flow is started', async ({ request }) => {
  const response = await request.get('/api/auth/callback?code=x', { maxRedirects: 0 });
  expect(response.status()).toBe(303);
  expect(new URL(response.headers().location ?? '').pathname).toBe('/auth/error');
  expect(response.headers()['set-cookie'] ?? '').not.toMatch(/wos-auth-verifier-[^=]+=[^;]/);
  // Routes the proxy does not render get the locked-down policy, not a page's nonce policy.
  expect(response.headers()['content-security-policy']).toBe(LOCKED_DOWN_CONTENT_SECURITY_POLICY);
});

test('static assets (the page stylesheet from _next/static, files in public/) are served without a session', async ({ page, request }) => {
  await page.goto('/');
  const stylesheets = await page
    .locator('link[rel="stylesheet"]')
    .evaluateAll((links) => links.map((link) => (link as HTMLLinkElement).href));
  expect(stylesheets.length).toBeGreaterThan(0);
  for (const href of [...stylesheets, `${test.info().project.use.baseURL}/robots.txt`]) {
    const response = await request.get(href, { maxRedirects: 0 });
    expect(response.status(), href).toBe(200);
    expect(response.headers()['set-cookie'], href).toBeUndefined();
  }
  expect(stylesheets[0]).toContain('/_next/static/');
  const css = await request.get(stylesheets[0] ?? '');
  expect(css.headers()['content-type']).toContain('text/css');
  expect(await (await request.get('/robots.txt')).text()).toContain('Disallow: /dashboard');
});

test('the admin page answers 200 to an admin', async ({ signedInPage }) => {
  const response = await signedInPage.goto('/dashboard/admin');
  expect(response?.status()).toBe(200);
  await expect(signedInPage.getByRole('heading', { name: 'Admin area' })).toBeVisible();
});

test('the admin page answers 403 to a member, with the access-denied page', async ({ page, testUser, signedInAs }) => {
  await signedInAs(testUser);
  await expect(page.getByRole('link', { name: 'Admin area' })).toHaveCount(0);
  const response = await page.goto('/dashboard/admin');
  expect(response?.status()).toBe(403);
  await expect(page.getByRole('heading', { name: 'You don’t have access to this page' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Admin area' })).toHaveCount(0);
});
