import { DEMO_PASSWORD } from './mock-workos/seed';
import { expect, test } from './fixtures';

test('admin signs in with a password, sees the dashboard, and signs out', async ({ page, context, signIn }) => {
  await page.goto('/');
  await page.getByRole('main').getByRole('link', { name: 'Sign in' }).click();
  await signIn(page, { email: 'admin@example.com', password: DEMO_PASSWORD, from: page.url() });

  await expect(page.getByTestId('user-email')).toHaveText('admin@example.com');
  await expect(page.getByTestId('role')).toHaveText('admin');
  await expect(page.getByTestId('permissions')).toContainText('users:manage');
  await expect(page.getByTestId('sign-in-context')).toContainText('from /');

  const session = (await context.cookies()).find((cookie) => cookie.name === 'wos-session');
  expect(session?.httpOnly).toBe(true);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('main').getByRole('link', { name: 'Sign in' })).toBeVisible();
  expect((await context.cookies()).find((cookie) => cookie.name === 'wos-session')).toBeUndefined();
});

test('a fresh test user signs in and sees their own account', async ({ page, testUser, signIn }) => {
  await signIn(page, { email: testUser.email });
  await expect(page.getByTestId('user-email')).toHaveText(testUser.email);
  await expect(page.getByTestId('user-id')).toHaveText(testUser.id);
});

test('cancelling on the hosted page lands on the access-denied error page', async ({ page }) => {
  await page.goto('/auth/sign-in');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page).toHaveURL(/\/auth\/error\?code=access_denied&ref=/);
  await expect(page.getByRole('heading', { name: 'Sign-in was cancelled' })).toBeVisible();
});
