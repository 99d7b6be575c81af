/**
 * Sign-out: a POST server action that ends the WorkOS session and clears the
 * cookie; it cannot be triggered by a link or by another site.
 */
import { expect, sessionCookie, test } from './fixtures';

test('signing out POSTs, ends the WorkOS session with its id, and clears the cookie', async ({
  page,
  context,
  testUser,
  signedInAs,
  mock,
}) => {
  await signedInAs(testUser);
  const sessionId = (await page.getByTestId('session-id').textContent()) ?? '';
  expect(sessionId).toMatch(/^session_/);

  const signOutRequest = page.waitForRequest((request) => request.method() === 'POST' && new URL(request.url()).pathname === '/dashboard');
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  // A server action: fetched with a Next-Action header once hydrated, or the plain form post before that.
  const request = await signOutRequest;
  expect(Boolean(request.headers()['next-action']) || (request.postData() ?? '').includes('$ACTION_ID_')).toBe(true);
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('main').getByRole('link', { name: 'Sign in' })).toBeVisible();

  expect(await sessionCookie(context)).toBeUndefined();
  const logouts = await mock.requests({ userId: testUser.id, endpoint: 'logout' });
  expect(logouts).toHaveLength(1);
  expect(logouts[0]).toMatchObject({ sessionId, status: 302 });
  expect((await mock.listSessions({ userId: testUser.id }))[0]?.endedAt).toEqual(expect.any(String));
});

test('after signing out, Back does not show the dashboard', async ({ page, testUser, signedInAs }) => {
  await signedInAs(testUser);
  await expect(page.getByTestId('user-email')).toHaveText(testUser.email);
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/$/);

  await page.goBack();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page).toHaveURL(/\/authkit\/sign-in/);
  await expect(page.getByText(testUser.email)).toHaveCount(0);
});

test('there is no GET sign-out: a link or image cannot sign a user out', async ({ page, testUser, signedInAs, mock }) => {
  await signedInAs(testUser);
  for (const path of ['/auth/sign-out', '/auth/signout', '/api/auth/sign-out', '/logout', '/dashboard?signout=1']) {
    await page.request.get(path);
  }
  await page.goto('/dashboard');
  await expect(page.getByTestId('user-email')).toHaveText(testUser.email);
  expect(await mock.requests({ userId: testUser.id, endpoint: 'logout' })).toEqual([]);
});

test('a cross-site form cannot sign a user out', async ({ page, testUser, signedInAs, mock }) => {
  await signedInAs(testUser);
  const origin = test.info().project.use.baseURL ?? '';
  // The action id is public (it is in the page), so the attacker knows it.
  const actionField = await page.locator('form:has(button:text("Sign out")) input[name^="$ACTION_ID_"]').getAttribute('name');
  expect(actionField).toBeTruthy();

  await page.route('http://attacker.test/**', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><title>win a prize</title><form method="post" action="${origin}/dashboard" enctype="multipart/form-data">
        <input type="hidden" name="${actionField}" value=""></form><script>document.forms[0].submit()</script>`,
    }),
  );
  const submitted = page.waitForRequest((request) => request.method() === 'POST' && request.url() === `${origin}/dashboard`);
  await page.goto('http://attacker.test/prize');
  await submitted;
  await page.waitForLoadState();

  await page.goto('/dashboard');
  await expect(page.getByTestId('user-email')).toHaveText(testUser.email);
  expect(await mock.requests({ userId: testUser.id, endpoint: 'logout' })).toEqual([]);
});
