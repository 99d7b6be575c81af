/**
 * The self-serve workspace (lib/features/workspace/, app/workspace/): a new
 * user signs up on the mock's hosted page, is asked for a workspace, names it,
 * and lands on its dashboard as its admin; WorkOS failing part-way (the
 * organization created, the membership not) gets a clear message and a retry
 * that finishes the same organization instead of making a second one.
 */
import { randomUUID } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, mockUrl, submitEmailVerification, test, uniqueEmail } from './fixtures';
import { E2E_API_KEY } from './support/env';

/** A list from the mock through WorkOS' own API (what any WorkOS client would see). */
async function listed<T>(path: string, query: Record<string, string>): Promise<T[]> {
  const response = await fetch(`${mockUrl()}${path}?${new URLSearchParams({ ...query, limit: '100' })}`, {
    headers: { Authorization: `Bearer ${E2E_API_KEY}` },
  });
  return ((await response.json()) as { data: T[] }).data;
}

async function expectNoAxeViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.map(({ id, nodes }) => ({ id, targets: nodes.map((node) => node.target.join(' ')) }))).toEqual([]);
}

const organizationsNamed = (search: string) =>
  listed<{ id: string; name: string; external_id: string | null }>('/organizations', { search });

test('a new user signs up, names their workspace and lands on its dashboard as its admin', async ({ page, mock }) => {
  const email = uniqueEmail('workspace');
  const name = `Hooli ${randomUUID().slice(0, 8)}`;
  await page.goto('/auth/sign-up');
  await expect(page.getByRole('heading', { name: 'Create an account' })).toBeVisible();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('a-long-enough-password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await submitEmailVerification(page, mock, email);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId('organization')).toHaveText('None');
  await expectNoAxeViolations(page);

  await page.getByRole('link', { name: 'Create your workspace' }).click();
  await expect(page).toHaveURL(/\/workspace$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Create your workspace');
  const field = page.getByLabel('Workspace name');
  const submit = page.getByRole('button', { name: 'Create workspace' });
  await field.fill('   ');
  await submit.click();
  await expect(page.getByRole('main').getByRole('alert')).toHaveText('Enter a name for your workspace.');
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expectNoAxeViolations(page);
  await field.fill('x'.repeat(65));
  await submit.click();
  await expect(page.getByRole('main').getByRole('alert')).toHaveText('Use 64 characters or fewer.');
  expect(await organizationsNamed('xxxxxxxxxx')).toEqual([]);

  await field.fill(`  ${name}  `);
  await submit.click();
  await expect(page).toHaveURL(/\/dashboard$/);
  const [organization] = await organizationsNamed(name);
  await expect(page.getByTestId('organization')).toHaveText(`${name} (${organization?.id})`);
  await expect(page.getByTestId('role')).toHaveText('admin');
  await expect(page.getByTestId('permissions').getByRole('listitem')).toHaveText(['posts:read', 'posts:write', 'users:manage']);
  await expect(page.getByRole('link', { name: 'Admin area' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Create your workspace' })).toHaveCount(0);
  const [user] = await listed<{ id: string }>('/user_management/users', { email });
  const memberships = await listed<{ organization_id: string; role: { slug: string } }>('/user_management/organization_memberships', {
    user_id: user?.id ?? '',
  });
  expect(memberships.map(({ organization_id, role }) => [organization_id, role.slug])).toEqual([[organization?.id, 'admin']]);
  // The session moved with one refresh at WorkOS, into the new organization.
  const refreshes = await mock.requests({ userId: user?.id, endpoint: 'authenticate', grantType: 'refresh_token' });
  expect(refreshes.map(({ status }) => status)).toEqual([200]);
});

test('WorkOS failing after creating the organization: a clear message, and the retry finishes that same organization', async ({
  page,
  mock,
  createUser,
  signedInAs,
}) => {
  const user = await createUser({ memberships: [] });
  const name = `Retry Co ${randomUUID().slice(0, 8)}`;
  await signedInAs(user, { returnTo: '/workspace' });
  const fault = await mock.injectFault({
    endpoint: 'create_organization_membership',
    match: { userId: user.id },
    action: { type: 'status', status: 503, body: { message: 'injected outage' } },
  });
  await page.getByLabel('Workspace name').fill(name);
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await expect(page.getByRole('main').getByRole('alert')).toHaveText(
    new RegExp(
      `^Your workspace “${name}” was created, but it could not be set up for you yet\\. Try again: nothing will be created twice\\. \\(Reference: [a-z0-9]{10}\\)$`,
    ),
  );
  await expect(page).toHaveURL(/\/workspace$/);
  expect((await mock.listFaults()).map(({ id }) => id)).not.toContain(fault.id);

  // Back later: the page knows the workspace exists and finishes it.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Finish setting up your workspace');
  await expect(page.getByText(`Your workspace “${name}” exists, but your session is not in it yet.`)).toBeVisible();
  await page.getByRole('button', { name: 'Finish setting up' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  const organizations = await organizationsNamed(name);
  expect(organizations.map(({ name: named, external_id }) => ({ named, external_id }))).toEqual([
    { named: name, external_id: `workspace-owner:${user.id}` },
  ]);
  await expect(page.getByTestId('organization')).toHaveText(`${name} (${organizations[0]?.id})`);
  await expect(page.getByTestId('role')).toHaveText('admin');
  expect((await mock.requests({ userId: user.id, endpoint: 'create_organization_membership' })).map(({ status }) => status)).toEqual([
    503, 201,
  ]);
});
