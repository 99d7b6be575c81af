/**
 * Issue #11 W1 and W2: the PKCE verifier cookies. A burst of sign-in starts
 * (parallel requests, or a restored window of signed-out tabs) must never leave
 * the browser with a Cookie header the server refuses (431) — and a finished
 * sign-in leaves no verifier behind in the browser's jar.
 */
import { expect, signInThroughHostedPage, test, verifierCookies } from '../fixtures';

const PARALLEL_STARTS = 100;
/** lib/auth/authkit/verifier-cookies.ts MAX_PENDING_SIGN_INS */
const MAX_PENDING_SIGN_INS = 5;
/** Node's default request-header limit: past it every request from this browser answers 431. */
const NODE_MAX_HEADER_BYTES = 16 * 1024;

test(`after ${PARALLEL_STARTS} parallel sign-in starts (/auth/sign-in and signed-out /dashboard tabs), the site still answers and a normal sign-in succeeds`, async ({
  page,
  context,
  testUser,
}) => {
  // Half through the route, half through the proxy (a restored window of signed-out tabs).
  const starts = Array.from({ length: PARALLEL_STARTS }, (_, index) => (index % 2 === 0 ? '/auth/sign-in' : '/dashboard'));
  const responses = await Promise.all(starts.map((path) => page.request.get(path, { maxRedirects: 0, headers: { accept: 'text/html' } })));
  expect(responses.map((response) => response.status())).toEqual(starts.map((path) => (path === '/dashboard' ? 307 : 303)));
  const pending = await verifierCookies(context);
  const cookieHeaderBytes = pending.reduce((total, cookie) => total + cookie.name.length + cookie.value.length + 3, 0);
  test.info().annotations.push({
    type: 'verifier cookies left / their Cookie header bytes',
    description: `${pending.length} / ${cookieHeaderBytes}`,
  });
  // Each request only sees the cookies set before it was sent: the burst overshoots the cap.
  expect(pending.length).toBeGreaterThan(MAX_PENDING_SIGN_INS);
  expect(pending.length).toBeLessThanOrEqual(PARALLEL_STARTS);
  expect(cookieHeaderBytes).toBeLessThan(NODE_MAX_HEADER_BYTES / 2);

  // The browser's next request to any page cleans up: the oldest go, the newest five stay.
  const home = await page.request.get('/');
  expect(home.status()).toBe(200);
  expect(await verifierCookies(context)).toHaveLength(MAX_PENDING_SIGN_INS);
  await signInThroughHostedPage(page, { email: testUser.email });
  await expect(page.getByTestId('user-email')).toHaveText(testUser.email);
});

test('a finished sign-in leaves no verifier cookie in the browser (W2)', async ({ page, context, testUser }) => {
  await signInThroughHostedPage(page, { email: testUser.email });
  await expect(page.getByTestId('user-email')).toHaveText(testUser.email);
  expect(await verifierCookies(context)).toEqual([]);
});

test('a sign-in started from a protected page leaves no verifier cookie either', async ({ page, context, testUser }) => {
  await signInThroughHostedPage(page, { email: testUser.email, from: '/dashboard' });
  expect(await verifierCookies(context)).toEqual([]);
});
