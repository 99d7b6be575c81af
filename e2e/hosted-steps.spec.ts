/**
 * The steps hosted AuthKit puts between "sign in" and the callback (issue #24), through the mock's
 * hosted page in a real browser: organization selection, email verification and organizations that
 * require SSO. Each test asserts what the app shows and what the mock answered (its call log: the
 * organization each code exchange signed into). The app has no code for any of them: its callback
 * reads what the exchange returns.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import type { MockWorkOSControl } from './mock-workos/control-client';
import { SEED_ORGANIZATION_IDS, SEED_ORGANIZATIONS } from './mock-workos/seed';
import {
  expect,
  expectAuthErrorPage,
  mockUrl,
  sessionCookie,
  submitEmailVerification,
  submitHostedSignIn,
  test,
  uniqueEmail,
} from './fixtures';

const { acme, globex, initech } = SEED_ORGANIZATION_IDS;

async function expectNoAxeViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.map(({ id, nodes }) => ({ id, targets: nodes.map((node) => node.target.join(' ')) }))).toEqual([]);
}

/** The code exchanges the mock answered for this user: status, and the organization each signed into. */
async function codeExchanges(mock: MockWorkOSControl, userId: string) {
  const calls = await mock.requests({ userId, endpoint: 'authenticate', grantType: 'authorization_code' });
  return calls.map(({ status, organizationId }) => ({ status, organizationId }));
}

const userIdShown = async (page: Page) => (await page.getByTestId('user-id').textContent()) ?? '';

test.describe('organization selection on the hosted page', () => {
  const twoOrganizations = [
    { organizationId: acme, role: 'member' },
    { organizationId: globex, role: 'admin' },
  ];

  test('a user with several organizations picks one with the keyboard; the app gets that organization, its role and permissions', async ({
    page,
    createUser,
    mock,
  }) => {
    const user = await createUser({ memberships: twoOrganizations });
    await page.goto('/auth/sign-in');
    await submitHostedSignIn(page, user.email);
    await expect(page.getByRole('heading', { name: 'Choose an organization' })).toBeVisible();
    const choices = page.getByRole('list', { name: 'Your organizations' });
    await expect(choices.getByRole('button')).toHaveText(['Acme', 'Globex']);
    await expectNoAxeViolations(page);

    await choices.getByRole('button', { name: 'Acme' }).focus();
    await page.keyboard.press('Tab');
    await expect(choices.getByRole('button', { name: 'Globex' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId('organization')).toContainText(`(${globex})`);
    await expect(page.getByTestId('role')).toHaveText('admin');
    await expect(page.getByTestId('permissions').getByRole('listitem')).toHaveText(['posts:read', 'posts:write', 'users:manage']);
    await expect(page.getByTestId('authentication-method')).toHaveText('Password');
    expect(await codeExchanges(mock, user.id)).toEqual([{ status: 200, organizationId: globex }]);
  });

  test('no picker when the app names the organization, nor for a user with one membership', async ({
    page,
    browser,
    baseURL,
    createUser,
    testUser,
    mock,
  }) => {
    // The password form answers with a redirect to the app, not with a page.
    const passwordAnswer = (target: Page) => target.waitForResponse(`${mockUrl()}/authkit/password`);
    const user = await createUser({ memberships: twoOrganizations });
    await page.goto(`/auth/sign-in?organizationId=${acme}`);
    const named = passwordAnswer(page);
    await submitHostedSignIn(page, user.email);
    expect((await named).status()).toBe(302);
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId('role')).toHaveText('member');
    expect(await codeExchanges(mock, user.id)).toEqual([{ status: 200, organizationId: acme }]);

    const context = await browser.newContext({ baseURL });
    const other = await context.newPage();
    await other.goto('/auth/sign-in');
    const single = passwordAnswer(other);
    await submitHostedSignIn(other, testUser.email);
    expect((await single).status()).toBe(302);
    await expect(other).toHaveURL(/\/dashboard$/);
    expect(await codeExchanges(mock, testUser.id)).toEqual([{ status: 200, organizationId: acme }]);
    await context.close();
  });
});

test.describe('email verification on the hosted page', () => {
  test('a password sign-up is asked for the code sent to the outbox: a wrong one is refused, the right one signs in verified', async ({
    page,
    mock,
  }) => {
    const email = uniqueEmail('verify-sign-up');
    await page.goto('/auth/sign-up');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('a-long-enough-password');
    await page.getByLabel('First name (optional)').fill('Nova');
    await page.getByLabel('Last name (optional)').fill('Newcomer');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByRole('heading', { name: 'Verify your email' })).toBeVisible();
    await expect(page.getByText(`We sent a 6-digit code to ${email}. Enter it to finish signing in.`)).toBeVisible();
    await expectNoAxeViolations(page);

    const [mail] = await mock.outbox({ to: email, kind: 'email_verification' });
    const code = mail?.code ?? '';
    expect(code).toMatch(/^\d{6}$/);
    await page.getByLabel('Verification code').fill(code === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Verify email' }).click();
    await expect(page.getByRole('alert')).toHaveText('That code is not valid. Check the latest email and try again.');
    await page.getByLabel('Verification code').fill(code);
    await page.getByRole('button', { name: 'Verify email' }).click();

    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId('user-email')).toHaveText(email);
    await expect(page.getByTestId('user-name')).toHaveText('Nova Newcomer');
    await expect(page.getByTestId('email-verified')).toHaveText('Yes');
    const userId = await userIdShown(page);
    expect(userId).toMatch(/^user_/);
    expect(await codeExchanges(mock, userId)).toEqual([{ status: 200, organizationId: null }]);
    expect(await mock.listSessions({ userId })).toHaveLength(1);
  });

  test('an expired code is refused; "Send a new code" sends another, which a person reads at the mock’s outbox and which works', async ({
    page,
    context,
    createUser,
    mock,
  }) => {
    const user = await createUser({ emailVerified: false });
    await page.goto('/auth/sign-in');
    await submitHostedSignIn(page, user.email);
    await expect(page.getByRole('heading', { name: 'Verify your email' })).toBeVisible();
    const [first] = await mock.outbox({ to: user.email, kind: 'email_verification' });
    await mock.expireCode({ id: first?.id ?? '' });
    await page.getByLabel('Verification code').fill(first?.code ?? '');
    await page.getByRole('button', { name: 'Verify email' }).click();
    await expect(page.getByRole('alert')).toHaveText('That code has expired. Send a new code, then enter it.');

    await page.getByRole('button', { name: 'Send a new code' }).click();
    await expect(page.getByRole('status')).toHaveText(`We sent a new code to ${user.email}. Enter the newest one.`);
    const codes = (await mock.outbox({ to: user.email, kind: 'email_verification' })).map((message) => message.code ?? '');
    expect(codes).toHaveLength(2);

    // The page's link: the outbox as a person reads it, newest first.
    const [outbox] = await Promise.all([
      context.waitForEvent('page'),
      page.getByRole('link', { name: 'its outbox (opens in a new tab)' }).click(),
    ]);
    await expect(outbox.getByRole('heading', { level: 1 })).toHaveText('Outbox');
    const messages = outbox.getByRole('list', { name: `2 messages to ${user.email}` }).getByRole('article');
    await expect(messages).toHaveCount(2);
    await expect(messages.first()).toContainText(`Code: ${codes[1]}`);
    await expectNoAxeViolations(outbox);
    await outbox.close();

    await submitEmailVerification(page, mock, user.email); // the newest code
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId('email-verified')).toHaveText('Yes');
    expect(await codeExchanges(mock, user.id)).toEqual([{ status: 200, organizationId: acme }]);
  });
});

test.describe('organizations that require SSO', () => {
  const initechConnection = SEED_ORGANIZATIONS.find((organization) => organization.id === initech)?.sso?.connectionId ?? '';

  test('an email of an SSO-required domain typed into the password form goes to its SSO connection, and signs in with SSO', async ({
    page,
    mock,
  }) => {
    const email = `sso-step-${crypto.randomUUID()}@initech.example.com`;
    await page.goto('/auth/sign-in');
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Initech single sign-on' })).toBeVisible();
    const connectionPage = new URL(page.url());
    expect(`${connectionPage.origin}${connectionPage.pathname}`).toBe(`${mockUrl()}/authkit/sso/connection`);
    await expect(page.getByRole('main')).toContainText(`SSO connection ${initechConnection}`);
    await expect(page.getByRole('main')).toContainText(`You are signing in as ${email}.`);
    await expect(page.getByLabel('Password')).toHaveCount(0);
    await expectNoAxeViolations(page);

    await page.getByRole('button', { name: 'Continue', exact: true }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId('user-email')).toHaveText(email);
    await expect(page.getByTestId('authentication-method')).toHaveText('SSO');
    await expect(page.getByTestId('organization')).toContainText(`(${initech})`);
    await expect(page.getByTestId('email-verified')).toHaveText('Yes');
    expect(await codeExchanges(mock, await userIdShown(page))).toEqual([{ status: 200, organizationId: initech }]);
  });

  test('a misconfigured connection (the seed’s SSO error case) ends on the error page with sso_failed, with no code', async ({
    page,
    context,
  }) => {
    await page.goto('/auth/sign-in');
    await page.getByLabel('Email').fill(`someone-${crypto.randomUUID()}@umbrella.example.com`);
    const callback = page.waitForRequest((request) => new URL(request.url()).pathname === '/api/auth/callback');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const answered = new URL((await callback).url()).searchParams;
    expect(answered.get('error')).toBe('connection_invalid');
    expect(answered.has('code')).toBe(false);
    await expectAuthErrorPage(page, 'sso_failed');
    expect(await sessionCookie(context)).toBeUndefined();
  });
});
