/**
 * Running a B2B organization (demo feature lib/features/members/, with the
 * webhooks of lib/features/webhooks/): an admin invites by email, the invitee
 * accepts through the emailed link, the admin changes their role and removes
 * them, and the member's session follows at its next refresh. Every change
 * reaches the app as one processed webhook, whatever the mock sends twice or
 * signs badly (the route's own refusals: webhooks.spec.ts).
 *
 * Each test runs in an organization of its own (the member list is exact).
 */
import { randomUUID } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { DEMO_PASSWORD } from './mock-workos/seed';
import type { MockWorkOSControl } from './mock-workos/control-client';
import { expect, reloadUntilRefreshed, submitHostedSignIn, test, uniqueEmail, type TestUser } from './fixtures';

/** A token due for refresh one second after it is issued (authkit refreshes 30 s before expiry). */
const REFRESH_DUE_TTL_SECONDS = 31;

async function organizationWithAdmin(mock: MockWorkOSControl, createUser: (input: object) => Promise<TestUser>) {
  const organization = await mock.createOrganization({ name: `Hooli ${randomUUID().slice(0, 8)}` });
  const admin = await createUser({ firstName: 'Gavin', memberships: [{ organizationId: organization.id, role: 'admin' }] });
  return { organization, admin };
}

/** The other people's browsers of the running test, closed after it: left open, each would live on in the worker's browser. */
const otherBrowsers: BrowserContext[] = [];
test.afterEach(async () => {
  await Promise.all(otherBrowsers.splice(0).map((context) => context.close()));
});

/** A page of its own for a second person (another browser). */
async function secondPage(browser: Browser, baseURL: string | undefined): Promise<Page> {
  const context = await browser.newContext({ baseURL });
  otherBrowsers.push(context);
  return context.newPage();
}

/** Each delivery of these events to the app, as `<kind> <status>` per attempt. */
const attempts = async (mock: MockWorkOSControl, match: { organizationId?: string; userId?: string; event: string }) =>
  (await mock.webhookDeliveries(match)).map((delivery) => delivery.attempts.map((attempt) => `${attempt.kind} ${attempt.status}`));

const inviteForm = (page: Page) => page.getByRole('form', { name: 'Invite a member' });

async function invite(page: Page, email: string, role: string) {
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Role', { exact: true }).selectOption(role);
  await page.getByRole('button', { name: 'Send invitation' }).click();
}

test('invite → accept through the emailed link → a member with that role; each change is one processed webhook, bad signature and duplicate included', async ({
  page,
  browser,
  baseURL,
  mock,
  createUser,
  signedInAs,
}) => {
  const { organization, admin } = await organizationWithAdmin(mock, createUser);
  const email = uniqueEmail('invitee');
  await mock.injectWebhookFault({ mode: 'bad_signature', match: { organizationId: organization.id, event: 'invitation.accepted' } });
  await mock.injectWebhookFault({
    mode: 'duplicate',
    match: { organizationId: organization.id, event: 'organization_membership.created' },
  });
  await signedInAs(admin, { returnTo: '/dashboard/admin' });
  await invite(page, email, 'member');
  await expect(inviteForm(page).getByRole('status')).toHaveText(`Invitation sent to ${email}.`);
  await expect(page.getByRole('list', { name: 'Pending invitations' }).getByRole('listitem')).toContainText([`${email} as Member`]);

  // The invitee, in another browser, follows the emailed link: the mock's hosted sign-up, then the app.
  const [mail] = await mock.outbox({ to: email, kind: 'invitation' });
  const invitee = await secondPage(browser, baseURL);
  await invitee.goto(mail?.link ?? '');
  await expect(invitee.getByRole('heading', { name: 'Create an account' })).toBeVisible();
  await expect(invitee.getByRole('status')).toHaveText(
    `${email} is invited to join ${organization.name} as Member. Continue as ${email} to accept the invitation.`,
  );
  expect((await new AxeBuilder({ page: invitee }).analyze()).violations.map((violation) => violation.id)).toEqual([]);
  await invitee.getByLabel('Password').fill(DEMO_PASSWORD);
  await invitee.getByRole('button', { name: 'Create account' }).click();
  await expect(invitee).toHaveURL(`${baseURL}/dashboard`);
  await expect(invitee.getByTestId('organization')).toHaveText(`${organization.name} (${organization.id})`);
  await expect(invitee.getByTestId('role')).toHaveText('member');

  await page.reload();
  await expect(page.getByRole('list', { name: 'Members' }).getByRole('listitem')).toContainText([
    email,
    `${admin.email} (Gavin User) — you`,
  ]);
  await expect(page.getByText('No pending invitations.')).toBeVisible();

  // The bad signature was refused (401) and WorkOS retries it; the duplicate was answered without processing it again.
  await expect.poll(() => attempts(mock, { organizationId: organization.id, event: 'invitation.accepted' })).toEqual([['delivery 401']]);
  await mock.retryWebhooksNow({ organizationId: organization.id, event: 'invitation.accepted' });
  expect(await attempts(mock, { organizationId: organization.id, event: 'invitation.accepted' })).toEqual([['delivery 401', 'retry 200']]);
  const inviteeId = (await mock.webhookDeliveries({ organizationId: organization.id, event: 'invitation.accepted' }))[0]?.userId ?? '';
  await expect
    .poll(() => attempts(mock, { organizationId: organization.id, event: 'organization_membership.created' }))
    .toEqual([['delivery 200'], ['delivery 200', 'duplicate 200']]);
  await expect.poll(() => attempts(mock, { userId: inviteeId, event: 'user.created' })).toEqual([['delivery 200']]);

  // Recent events: each event once (the admin's own joining included), whatever was delivered twice.
  await page.reload();
  const events = page.getByRole('list', { name: 'Recent events' }).getByRole('listitem');
  await expect(events).toHaveCount(5);
  expect((await events.locator(':scope > span').allTextContents()).sort()).toEqual(
    [
      `invitation.accepted ${email}`,
      `organization_membership.created ${admin.id}: admin, active`,
      `organization_membership.created ${inviteeId}: member, active`,
      `user.created ${admin.email}`,
      `user.created ${email}`,
    ].sort(),
  );
});

test('a role change reaches the member at their next refresh; a removal leaves them without the organization, no error, no loop', async ({
  page,
  browser,
  baseURL,
  mock,
  createUser,
  signedInAs,
}) => {
  const { organization, admin } = await organizationWithAdmin(mock, createUser);
  const member = await createUser({
    memberships: [{ organizationId: organization.id, role: 'member' }],
    accessTokenTtlSeconds: REFRESH_DUE_TTL_SECONDS,
  });
  const serverErrors: string[] = [];
  page.on('response', (response) => {
    if (response.status() >= 500) serverErrors.push(`${response.status()} ${response.url()}`);
  });
  await signedInAs(member);
  await expect(page.getByTestId('role')).toHaveText('member');
  await expect(page.getByRole('link', { name: 'Admin area' })).toHaveCount(0);

  const adminPage = await secondPage(browser, baseURL);
  await signedInAs(admin, { page: adminPage, returnTo: '/dashboard/admin' });
  await adminPage.getByLabel(`Role of ${member.email}`, { exact: true }).selectOption('admin');
  await adminPage.getByRole('button', { name: `Change role of ${member.email}` }).click();
  await expect(adminPage.getByRole('status')).toHaveText('The role was changed. The member gets it at their next token refresh.');

  // The member's next refresh (the proxy's, silent) carries the new role and its permissions.
  await reloadUntilRefreshed(
    page,
    (await page.getByTestId('access-token-expiry').locator('time').getAttribute('datetime')) ?? '',
    REFRESH_DUE_TTL_SECONDS,
  );
  await expect(page.getByTestId('role')).toHaveText('admin');
  await expect(page.getByTestId('permissions')).toContainText('users:manage');
  await expect(page.getByRole('link', { name: 'Admin area' })).toBeVisible();

  await adminPage.getByRole('button', { name: `Remove ${member.email}` }).click();
  await expect(adminPage.getByRole('status')).toHaveText('The member was removed. Their next token refresh has no organization.');
  await expect(adminPage.getByRole('list', { name: 'Members' }).getByRole('listitem')).toHaveCount(1);

  // Their next request: the refresh has no organization; the dashboard says so and offers a workspace.
  await reloadUntilRefreshed(
    page,
    (await page.getByTestId('access-token-expiry').locator('time').getAttribute('datetime')) ?? '',
    REFRESH_DUE_TTL_SECONDS,
  );
  await expect(page).toHaveURL(`${baseURL}/dashboard`);
  await expect(page.getByTestId('organization')).toHaveText('None');
  await expect(page.getByTestId('role')).toHaveText('None');
  await expect(page.getByRole('link', { name: 'Create your workspace' })).toBeVisible();
  expect((await page.goto('/dashboard/admin'))?.status()).toBe(403);
  expect(serverErrors).toEqual([]);

  // Each change: one delivery, processed.
  await expect
    .poll(() => attempts(mock, { userId: member.id, event: 'organization_membership.updated' }))
    .toEqual([['delivery 200'], ['delivery 200']]);
  await adminPage.reload();
  await expect(adminPage.getByRole('list', { name: 'Recent events' }).getByRole('listitem').filter({ hasText: member.id })).toHaveText([
    new RegExp(`^organization_membership\\.updated ${member.id}: admin, inactive`),
    new RegExp(`^organization_membership\\.updated ${member.id}: admin, active`),
    new RegExp(`^organization_membership\\.created ${member.id}: member, active`),
  ]);
});

test('invitations: form errors and nothing sent; resend, revoke, and links that say why they no longer work; an existing user accepts by signing in', async ({
  page,
  browser,
  baseURL,
  mock,
  createUser,
  signedInAs,
}) => {
  const { organization, admin } = await organizationWithAdmin(mock, createUser);
  await signedInAs(admin, { returnTo: '/dashboard/admin' });

  await invite(page, admin.email, 'member');
  await expect(page.getByRole('main').getByRole('alert')).toHaveText(`${admin.email} is already a member of this organization.`);
  await expect(page.getByLabel('Email', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  const notAnAddress = `pat-${randomUUID()}@localhost`;
  await invite(page, notAnAddress, 'member');
  await expect(page.getByRole('main').getByRole('alert')).toHaveText('Enter an email address such as name@example.com.');
  expect(await mock.outbox({ to: admin.email, kind: 'invitation' })).toEqual([]);
  expect(await mock.outbox({ to: notAnAddress, kind: 'invitation' })).toEqual([]);

  // Resend sends the same link again; revoke kills it.
  const revoked = uniqueEmail('revoked');
  await invite(page, revoked, 'member');
  await page.getByRole('button', { name: `Resend the invitation to ${revoked}` }).click();
  await expect(page.getByRole('status')).toHaveText('The invitation was sent again.');
  const mails = await mock.outbox({ to: revoked, kind: 'invitation' });
  expect(mails.map((mail) => mail.link)).toEqual([mails[0]?.link, mails[0]?.link]);
  await page.getByRole('button', { name: `Revoke the invitation to ${revoked}` }).click();
  await expect(page.getByRole('status')).toHaveText('The invitation was revoked: its link no longer works.');
  const dead = await page.request.get(mails[0]?.link ?? '');
  expect(dead.status()).toBe(410);
  expect(await dead.text()).toContain('data-error-code="invitation_revoked"');

  // Someone with an account already: the link leads to sign-in, and signing in accepts.
  const existing = await createUser({ memberships: [] });
  await invite(page, existing.email, 'admin');
  await expect(inviteForm(page).getByRole('status')).toHaveText(`Invitation sent to ${existing.email}.`);
  const [mail] = await mock.outbox({ to: existing.email, kind: 'invitation' });
  const invitee = await secondPage(browser, baseURL);
  await invitee.goto(mail?.link ?? '');
  await expect(invitee.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(invitee.getByRole('status')).toContainText(`${existing.email} is invited to join ${organization.name} as Admin.`);
  await submitHostedSignIn(invitee, existing.email);
  await expect(invitee).toHaveURL(`${baseURL}/dashboard`);
  await expect(invitee.getByTestId('organization')).toHaveText(`${organization.name} (${organization.id})`);
  await expect(invitee.getByTestId('role')).toHaveText('admin');
  // The same link, once accepted: the hosted page says so, with its code and a way to sign in.
  await invitee.goto(mail?.link ?? '');
  await expect(invitee.getByRole('heading', { name: 'Invitation already accepted' })).toBeVisible();
  await expect(invitee.locator('[data-error-code]')).toHaveText('invitation_accepted');

  // The admin cannot remove themselves (no button), nor demote themselves while no one else is admin.
  await page.reload();
  await expect(page.getByRole('button', { name: `Remove ${admin.email}` })).toHaveCount(0);
  await page.getByLabel(`Role of ${existing.email}`, { exact: true }).selectOption('member');
  await page.getByRole('button', { name: `Change role of ${existing.email}` }).click();
  await expect(page.getByRole('main').getByRole('status')).toHaveText(
    'The role was changed. The member gets it at their next token refresh.',
  );
  await page.getByLabel(`Role of ${admin.email}`, { exact: true }).selectOption('member');
  await page.getByRole('button', { name: `Change role of ${admin.email}` }).click();
  await expect(page.getByRole('main').getByRole('alert')).toHaveText(
    'The organization needs at least one admin: make someone else admin first.',
  );
  await expect(page.getByLabel(`Role of ${admin.email}`, { exact: true })).toHaveValue('admin');
});
