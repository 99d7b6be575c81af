/**
 * authkit's client components (issue #23, part 1): AuthKitProvider seeded by the
 * server (no signed-out flash), and its server actions served by the app's flow
 * (lib/auth/authkit/client-actions.ts): one refresh per refresh token however many
 * tabs ask, the session stored in chunks, the refresh token never in the browser,
 * and the proxy's protections (403 for a cross-origin action, the nonce CSP) kept.
 */
import { randomUUID } from 'node:crypto';
import type { BrowserContext, Page, Request } from '@playwright/test';
import { SESSION_COOKIE, expect, test, unsealSession } from './fixtures';

const PAGE = '/dashboard/api-access';

/** The session cookie in any form (one cookie, or chunks), sorted by name. */
async function sessionCookies(context: BrowserContext) {
  return (await context.cookies())
    .filter((cookie) => cookie.name === SESSION_COOKIE || cookie.name.startsWith(`${SESSION_COOKIE}.`))
    .sort((a, b) => a.name.localeCompare(b.name));
}

async function sealedSession(context: BrowserContext) {
  return unsealSession((await sessionCookies(context)).map((cookie) => cookie.value).join(''));
}

/**
 * Every string reachable from `window`'s own properties (plain objects and arrays, not the DOM),
 * and from the initialAuth the provider was rendered with (found through React's fiber of the
 * account menu): what any script on the page can read.
 */
function stringsReachableFromWindow(): { window: string[]; initialAuth: string[] } {
  const seen = new Set<unknown>();
  const collect = (root: unknown) => {
    const found: string[] = [];
    const visit = (value: unknown, depth: number) => {
      if (typeof value === 'string') found.push(value);
      if (value === null || typeof value !== 'object' || depth > 8 || seen.has(value)) return;
      seen.add(value);
      if (value instanceof Node || value === window) return;
      for (const key of Object.getOwnPropertyNames(value)) {
        try {
          visit((value as Record<string, unknown>)[key], depth + 1);
        } catch {
          // A getter that throws (cross-origin frames, deprecated APIs).
        }
      }
    };
    visit(root, 0);
    return found;
  };
  const globals = Object.getOwnPropertyNames(window).flatMap((key) => {
    try {
      return collect((window as unknown as Record<string, unknown>)[key]);
    } catch {
      return [];
    }
  });
  const menu = document.querySelector('[data-testid="signed-in-email"]') as unknown as Record<string, unknown>;
  type Fiber = { memoizedProps?: Record<string, unknown>; return?: Fiber };
  let fiber = menu[Object.keys(menu).find((key) => key.startsWith('__reactFiber$')) ?? ''] as Fiber | undefined;
  while (fiber && !(fiber.memoizedProps && 'initialAuth' in fiber.memoizedProps)) fiber = fiber.return;
  seen.clear();
  return { window: globals, initialAuth: collect(fiber?.memoizedProps?.initialAuth) };
}

/** The next server action the page posts, and the id Next sent it with. */
function nextServerAction(page: Page): Promise<Request> {
  return page.waitForRequest((request) => request.method() === 'POST' && request.headers()['next-action'] !== undefined);
}

test('a signed-in page renders the account menu signed in from the first byte (initialAuth), with organization and role', async ({
  page,
  signedInAs,
}) => {
  await signedInAs('member@example.com', { returnTo: '/projects' });
  // The server's HTML already has the signed-in menu: nothing renders signed out before hydration.
  const html = await (await page.request.get('/projects')).text();
  expect(html).toMatch(/data-testid="signed-in-email"[^>]*>member@example.com</);
  expect(html).not.toContain('href="/auth/sign-in"');
  const menu = page.getByRole('navigation', { name: 'Account' });
  await expect(menu.getByTestId('signed-in-email')).toHaveText('member@example.com');
  await expect(menu.getByTestId('signed-in-organization')).toHaveText('member · org_01HDEMOACME0000000000000');
  await expect(menu.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();
});

test('the refresh token never reaches the browser: not in the HTML, the RSC payload, any action answer or anything reachable from window', async ({
  page,
  testUser,
  signedInAs,
}) => {
  const firstAction = nextServerAction(page);
  await signedInAs(testUser, { returnTo: PAGE });
  const { accessToken, refreshToken } = await sealedSession(page.context());
  // useAccessToken fetched the token through the app's action: the browser holds the access token, for calling an API.
  await expect(page.getByTestId('claim-sub')).toHaveText(testUser.id);

  const html = await (await page.request.get(PAGE)).text();
  const rsc = await (await page.request.get(PAGE, { headers: { RSC: '1' } })).text();
  expect(rsc).toContain(testUser.email); // the RSC payload of the page, initialAuth included
  const reachable = await page.evaluate(stringsReachableFromWindow);
  expect(reachable.initialAuth).toContain(testUser.email); // the provider's initialAuth was found and walked
  // useAccessToken's first call (getAccessTokenAction), sent again as the page sent it: its answer is the access token.
  const action = await firstAction;
  const answer = await (await page.request.post(PAGE, { headers: await action.allHeaders(), data: action.postData() ?? '' })).text();
  expect(answer).toContain(accessToken);
  for (const [where, text] of [
    ['HTML', html],
    ['RSC payload', rsc],
    ['action answer', answer],
    ['window', reachable.window.join('\n')],
    ['initialAuth', reachable.initialAuth.join('\n')],
  ] as const) {
    expect(text, where).not.toContain(refreshToken);
  }
  // The page and the provider's initialAuth carry no token at all (nothing shaped like a JWT): only useAccessToken's answers do.
  const jwt = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/;
  for (const text of [html, rsc, reachable.initialAuth.join('\n')]) expect(text).not.toMatch(jwt);
});

test('three tabs refreshing the token at once cost WorkOS one refresh; the session, stored in chunks, stays signed in', async ({
  browser,
  mock,
  signedInAs,
}) => {
  // A token with many claims: the session is stored in chunks (lib/auth/authkit/session-chunks.ts).
  const tag = randomUUID().slice(0, 8);
  const role = `client-large-${tag}`;
  await mock.createRole({ slug: role, permissions: Array.from({ length: 100 }, (_, index) => `workspace-${index}:manage`) });
  const { user } = await mock.createUser({
    email: `client-refresh-${tag}@example.com`,
    password: 'authkit-demo-password',
    memberships: [{ organizationId: 'org_01HDEMOACME0000000000000', role }],
  });
  const context = await browser.newContext();
  const tabs = [await context.newPage(), await context.newPage(), await context.newPage()];
  await signedInAs(user, { page: tabs[0], returnTo: PAGE });
  for (const tab of tabs.slice(1)) await tab.goto(PAGE);
  const before = await sealedSession(context);
  const firstJti = await tabs[0]!.getByTestId('claim-jti').textContent();
  for (const tab of tabs) await expect(tab.getByTestId('claim-jti')).toHaveText(firstJti ?? '');
  expect((await sessionCookies(context)).map((cookie) => cookie.name)).toEqual([`${SESSION_COOKIE}.0`, `${SESSION_COOKIE}.1`]);

  // WorkOS answers the first refresh slowly, so every tab's request arrives while it is in flight.
  await mock.injectFault({
    endpoint: 'authenticate',
    match: { userId: user.id, grantType: 'refresh_token' },
    action: { type: 'delay', delayMs: 1_500 },
  });
  await Promise.all(tabs.map((tab) => tab.getByRole('button', { name: 'Refresh token' }).click()));
  await expect.poll(async () => (await tabs[0]!.getByTestId('claim-jti').textContent()) !== firstJti).toBe(true);
  const refreshedJti = await tabs[0]!.getByTestId('claim-jti').textContent();
  // Every tab got the very same new token: one refresh, shared.
  for (const tab of tabs) await expect(tab.getByTestId('claim-jti')).toHaveText(refreshedJti ?? '');
  expect((await mock.requests({ userId: user.id, grantType: 'refresh_token' })).map((call) => call.status)).toEqual([200]);

  // Written as the browser keeps it (chunks that fit), with the new tokens; still signed in everywhere.
  const cookies = await sessionCookies(context);
  expect(cookies.map((cookie) => cookie.name)).toEqual([`${SESSION_COOKIE}.0`, `${SESSION_COOKIE}.1`]);
  for (const cookie of cookies) {
    expect(Buffer.byteLength(`${cookie.name}=${cookie.value}`)).toBeLessThanOrEqual(4000);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
  }
  const after = await sealedSession(context);
  expect(after.refreshToken).not.toBe(before.refreshToken);
  for (const tab of tabs) {
    await tab.reload();
    await expect(tab.getByTestId('claim-jti')).toHaveText(refreshedJti ?? '');
  }
  expect(await mock.requests({ userId: user.id, grantType: 'refresh_token' })).toHaveLength(1);
  await context.close();
});

test("a cross-origin POST of the client components' actions is refused (403), and the page keeps its nonce CSP", async ({
  page,
  testUser,
  signedInAs,
  mock,
}) => {
  const action = nextServerAction(page);
  await signedInAs(testUser, { returnTo: PAGE });
  await page.getByRole('button', { name: 'Refresh token' }).click();
  const request = await action;
  await expect(page.getByTestId('claim-sub')).toHaveText(testUser.id);
  const refreshes = (await mock.requests({ userId: testUser.id, grantType: 'refresh_token' })).length;

  const forged = await page.request.post(PAGE, {
    headers: { ...request.headers(), origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    data: request.postData() ?? '',
    maxRedirects: 0,
  });
  expect(forged.status()).toBe(403);
  expect(await forged.text()).toBe('Cross-origin server action refused.');
  expect(await mock.requests({ userId: testUser.id, grantType: 'refresh_token' })).toHaveLength(refreshes);

  const csp = (await page.request.get(PAGE)).headers()['content-security-policy'] ?? '';
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=_-]{16,}' 'strict-dynamic'/);
  expect(csp).not.toContain("'unsafe-inline'");
});
