/**
 * axe on every kind of page a person meets in the flow: 0 violations.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

async function expectNoViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.map(({ id, help, nodes }) => ({ id, help, targets: nodes.map((node) => node.target.join(' ')) }))).toEqual([]);
}

test('home page', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expectNoViolations(page);
});

test('hosted sign-in page (mock)', async ({ page }) => {
  await page.goto('/auth/sign-in');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expectNoViolations(page);
});

test('dashboard', async ({ signedInPage }) => {
  await signedInPage.goto('/dashboard');
  await expect(signedInPage.getByTestId('user-email')).toBeVisible();
  await expectNoViolations(signedInPage);
});

test('admin 403 page', async ({ page, testUser, signedInAs }) => {
  await signedInAs(testUser, { returnTo: '/dashboard/admin' });
  await expect(page.getByRole('heading', { name: 'You don’t have access to this page' })).toBeVisible();
  await expectNoViolations(page);
});

// demo:start members
test('admin page with the organization panels (members, invitations, recent events)', async ({ signedInPage }) => {
  await signedInPage.goto('/dashboard/admin');
  await expect(signedInPage.getByRole('list', { name: 'Members' })).toBeVisible();
  await expectNoViolations(signedInPage);
});
// demo:end members

test('error page', async ({ page }) => {
  await page.goto('/auth/error?code=invalid_state&ref=abcdefghjk');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expectNoViolations(page);
});
