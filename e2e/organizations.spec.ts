/**
 * Organizations and impersonation: switching organization changes the
 * session's claims; an impersonated session is always visible and can be ended.
 */
import { SEED_ORGANIZATION_IDS } from './mock-workos/seed';
import { expect, test } from './fixtures';

test('switching organization changes organization, role and permissions (Acme member ↔ Globex admin)', async ({ page, signedInAs }) => {
  await signedInAs('multi-org@example.com');
  await expect(page.getByTestId('organization')).toContainText(`Acme (${SEED_ORGANIZATION_IDS.acme})`);
  await expect(page.getByTestId('role')).toHaveText('member');
  await expect(page.getByTestId('permissions').getByRole('listitem')).toHaveText(['posts:read']);
  await expect(page.getByRole('link', { name: 'Admin area' })).toHaveCount(0);

  await page.getByLabel('Organization', { exact: true }).selectOption(SEED_ORGANIZATION_IDS.globex);
  await page.getByRole('button', { name: 'Switch organization' }).click();
  await expect(page.getByTestId('organization')).toContainText(`Globex (${SEED_ORGANIZATION_IDS.globex})`);
  await expect(page.getByTestId('role')).toHaveText('admin');
  await expect(page.getByTestId('permissions').getByRole('listitem')).toHaveText(['posts:read', 'posts:write', 'users:manage']);
  await page.getByRole('link', { name: 'Admin area' }).click();
  await expect(page.getByRole('heading', { name: 'Admin area' })).toBeVisible();

  await page.goto('/dashboard');
  await page.getByLabel('Organization', { exact: true }).selectOption(SEED_ORGANIZATION_IDS.acme);
  await page.getByRole('button', { name: 'Switch organization' }).click();
  await expect(page.getByTestId('organization')).toContainText(`Acme (${SEED_ORGANIZATION_IDS.acme})`);
  await expect(page.getByTestId('role')).toHaveText('member');
  expect((await page.goto('/dashboard/admin'))?.status()).toBe(403);
});

test('an impersonated session shows a banner with the impersonator, and Stop impersonating ends it', async ({
  page,
  context,
  signedInAs,
  mock,
}) => {
  await signedInAs('impersonated@example.com');
  const banner = page.getByRole('complementary', { name: 'Impersonation' });
  await expect(banner).toContainText('support@example.com is signed in as impersonated@example.com');
  await expect(banner).toContainText('Investigating a billing question (ticket 4242)');
  const sessionId = (await page.getByTestId('session-id').textContent()) ?? '';

  await banner.getByRole('button', { name: 'Stop impersonating' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('complementary', { name: 'Impersonation' })).toHaveCount(0);
  await expect(page.getByRole('main').getByRole('link', { name: 'Sign in' })).toBeVisible();
  expect((await context.cookies()).map((cookie) => cookie.name)).not.toContain('wos-session');
  const [session] = (await mock.listSessions()).filter((candidate) => candidate.id === sessionId);
  expect(session?.endedAt).toEqual(expect.any(String));
});

test('the dashboard shows the switch notice it knows, and nothing (not an error page) for any other value', async ({
  page,
  testUser,
  signedInAs,
}) => {
  await signedInAs(testUser);
  const alerts = page.getByRole('main').getByRole('alert');
  expect((await page.goto('/dashboard?switch=refused'))?.status()).toBe(200);
  await expect(alerts).toHaveText(['You are not a member of that organization.']);
  for (const value of ['toString', 'constructor', '__proto__', 'unknown']) {
    expect((await page.goto(`/dashboard?switch=${value}&sessions=${value}`))?.status(), value).toBe(200);
    await expect(page.getByTestId('user-email')).toHaveText(testUser.email);
    await expect(alerts).toHaveCount(0);
  }
});
