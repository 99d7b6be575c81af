/**
 * Issue #11 D4: what the app keeps per person (the sign-in context cookie, the
 * social provider's tokens) never reaches the next person on the same browser.
 */
import { expect, signInThroughHostedPage, submitHostedSignIn, test, type TestUser } from '../fixtures';
import type { Page } from '@playwright/test';

const SIGN_IN_CONTEXT_COOKIE = 'app-sign-in-context';

/** Signs in from the home page's link, so the custom state says where it started. */
async function signInFromHome(page: Page, user: TestUser, marker: string): Promise<void> {
  await page.goto(`/?invoice=${marker}`);
  await page.getByRole('main').getByRole('link', { name: 'Sign in' }).click();
  await submitHostedSignIn(page, user.email, user.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId('sign-in-context').locator('code')).toHaveText(`/?invoice=${marker}`);
}

test('user A signs out, user B signs in on the same browser and does not see A’s sign-in context', async ({
  page,
  context,
  createUser,
}) => {
  const [userA, userB] = [await createUser(), await createUser()];
  const marker = `a-${test.info().testId.slice(0, 8)}`;
  await signInFromHome(page, userA, marker);
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
  expect((await context.cookies()).map((cookie) => cookie.name)).not.toContain(SIGN_IN_CONTEXT_COOKIE);

  // B comes in through a protected page: authkit's own authorization request, no custom state.
  await signInThroughHostedPage(page, { email: userB.email, from: '/dashboard' });
  await expect(page.getByTestId('user-email')).toHaveText(userB.email);
  await expect(page.getByTestId('sign-in-context')).toHaveCount(0);
  await expect(page.getByText(marker)).toHaveCount(0);
});

test('a sign-in context cookie made for another user is ignored', async ({ page, browser, createUser, signedInAs }) => {
  const [userA, userB] = [await createUser(), await createUser()];
  const marker = `bound-${test.info().testId.slice(0, 8)}`;
  await signInFromHome(page, userA, marker);
  const contextOfA = (await page.context().cookies()).find((cookie) => cookie.name === SIGN_IN_CONTEXT_COOKIE);
  expect(contextOfA?.value).toMatch(/^Fe26\.2\*/);

  const other = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const pageOfB = await other.newPage();
  await signedInAs(userB, { page: pageOfB });
  await other.addCookies([{ ...contextOfA!, sameSite: 'Lax' }]);
  await pageOfB.reload();
  await expect(pageOfB.getByTestId('user-email')).toHaveText(userB.email);
  await expect(pageOfB.getByTestId('sign-in-context')).toHaveCount(0);
  await expect(pageOfB.getByText(marker)).toHaveCount(0);
  await other.close();
});

// @global-state: the Google demo account is shared, and this deletes its stored provider tokens.
test('provider tokens are removed on sign-out @global-state', async ({ page }) => {
  await page.goto('/auth/sign-in');
  await page.getByRole('button', { name: 'Continue with Google' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId('oauth-provider')).toHaveText('Google');
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/$/);

  // The same person back without a social provider: nothing of the last sign-in's tokens remains.
  await page.goto('/auth/sign-in');
  await page.getByLabel('Email').fill('google@example.com');
  await page.getByRole('button', { name: 'Email me a code' }).click();
  const code = (await page.locator('.code').textContent())?.trim() ?? '';
  await page.getByLabel('Code').fill(code);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId('authentication-method')).toHaveText('MagicAuth');
  await expect(page.getByTestId('oauth-provider-none')).toBeVisible();
});
