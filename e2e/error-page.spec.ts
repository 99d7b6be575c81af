/**
 * /auth/error: each code shows its fixed copy; nothing from the query string
 * is echoed except a reference id of the exact expected shape.
 */
import { AUTH_ERROR_CODES, AUTH_ERROR_COPY } from '../lib/auth/errors/copy';
import { expect, expectAuthErrorPage, test } from './fixtures';

test('every error code shows its fixed copy and next step', async ({ page }) => {
  for (const code of AUTH_ERROR_CODES) {
    await page.goto(`/auth/error?code=${code}&ref=abcdefghjk`);
    await expectAuthErrorPage(page, code);
    await expect(page.getByTestId('error-reference')).toHaveText('abcdefghjk');
    await expect(page).toHaveTitle(/^Sign-in problem/);
  }
});

test('an unknown code gets the generic copy, and the query text is never echoed', async ({ page }) => {
  const injected = 'Your account is suspended, call +1 555 0100';
  await page.goto(`/auth/error?code=${encodeURIComponent(injected)}&ref=${encodeURIComponent('<b>evil</b>')}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(AUTH_ERROR_COPY.unexpected.title);
  await expect(page.locator('body')).not.toContainText(injected);
  await expect(page.locator('body')).not.toContainText('evil');
  await expect(page.getByTestId('error-reference')).toHaveCount(0);
});

test('a reference that is not exactly our shape is not shown', async ({ page }) => {
  for (const ref of ['ABCDEFGHJK', 'abcdefghj', 'abcdefghjkl', 'abcdefghj1']) {
    await page.goto(`/auth/error?code=invalid_code&ref=${ref}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(AUTH_ERROR_COPY.invalid_code.title);
    await expect(page.getByTestId('error-reference'), ref).toHaveCount(0);
  }
});

test('the action link starts a new sign-in', async ({ page }) => {
  await page.goto('/auth/error?code=missing_verifier&ref=abcdefghjk');
  await page.getByRole('link', { name: AUTH_ERROR_COPY.missing_verifier.action.label }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});
