/**
 * Issue #11 W1 and W2: the PKCE verifier cookies. A burst of sign-in starts
 * (parallel requests, or a restored window of signed-out tabs) must never leave
 * the browser with a Cookie header the server refuses (431) — and a finished
 * sign-in leaves no verifier behind in the browser's jar.
 */
import { expect, signInThroughHostedPage, test, verifierCookies } from '../fixtures';

const PARALLEL_STARTS = 100;
/** Node's default request-header limit: past it every request from this browser answers 431. */
const NODE_MAX_HEADER_BYTES = 16 * 1024;

for (const start of ['/auth/sign-in', '/dashboard'] as const) {
  test(`after ${PARALLEL_STARTS} parallel sign-in starts at ${start}, the site still answers and a normal sign-in succeeds`, async ({ page, context, testUser }) => {
    const responses = await Promise.all(
      Array.from({ length: PARALLEL_STARTS }, () => page.request.get(start, { maxRedirects: 0, headers: { accept: 'text/html' } })),
    );
    expect(new Set(responses.map((response) => response.status()))).toEqual(new Set([start === '/dashboard' ? 307 : 303]));
    const pending = await verifierCookies(context);
    const cookieHeaderBytes = pending.reduce((total, cookie) => total + cookie.name.length + cookie.value.length + 3, 0);
    test.info().annotations.push({ type: 'verifier cookies left / their Cookie header bytes', description: `${pending.length} / ${cookieHeaderBytes}` });
    expect(cookieHeaderBytes).toBeLessThan(NODE_MAX_HEADER_BYTES / 2);

    const home = await page.request.get('/');
    expect(home.status()).toBe(200);
    await signInThroughHostedPage(page, { email: testUser.email });
    await expect(page.getByTestId('user-email')).toHaveText(testUser.email);
  });
}

test('a finished sign-in leaves no verifier cookie in the browser (W2)', async ({ page, context, testUser }) => {
  await signInThroughHostedPage(page, { email: testUser.email });
  await expect(page.getByTestId('user-email')).toHaveText(testUser.email);
  expect(await verifierCookies(context)).toEqual([]);
});

test('a sign-in started from a protected page leaves no verifier cookie either', async ({ page, context, testUser }) => {
  await signInThroughHostedPage(page, { email: testUser.email, from: '/dashboard' });
  expect(await verifierCookies(context)).toEqual([]);
});
