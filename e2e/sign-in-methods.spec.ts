/**
 * Phase 2 — each way of signing in on the hosted AuthKit page, end to end.
 */
import { expect, submitHostedSignIn, test } from './fixtures';

test('password', async ({ page, testUser, signIn }) => {
  await signIn(page, { email: testUser.email });
  await expect(page.getByTestId('user-email')).toHaveText(testUser.email);
  await expect(page.getByTestId('user-id')).toHaveText(testUser.id);
  await expect(page.getByTestId('authentication-method')).toHaveText('Password');
});

test('a wrong password is refused on the hosted page', async ({ page, testUser }) => {
  await page.goto('/auth/sign-in');
  await page.getByLabel('Email').fill(testUser.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText('Incorrect email or password.');
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/authkit\/sign-in/);
});

test('magic link (emailed one-time code)', async ({ page, testUser }) => {
  await page.goto('/auth/sign-in');
  await page.getByLabel('Email').fill(testUser.email);
  await page.getByRole('button', { name: 'Email me a code' }).click();
  await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible();
  const code = (await page.locator('.code').textContent())?.trim() ?? '';
  expect(code).toMatch(/^\d{6}$/);
  await page.getByLabel('Code').fill(code);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId('user-email')).toHaveText(testUser.email);
  await expect(page.getByTestId('authentication-method')).toHaveText('MagicAuth');
});

test('SSO, with just-in-time provisioning into the organization', async ({ page }) => {
  const email = `sso-${crypto.randomUUID()}@initech.example.com`;
  await page.goto('/auth/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Continue with SSO' }).click();
  // Initech's connection (the mock's stand-in for its identity provider; e2e/hosted-steps.spec.ts tests the page).
  await expect(page.getByRole('heading', { name: 'Initech single sign-on' })).toBeVisible();
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId('user-email')).toHaveText(email);
  await expect(page.getByTestId('authentication-method')).toHaveText('SSO');
  await expect(page.getByTestId('organization')).toContainText('Initech'); // demo:line organizations
});

const SOCIAL = [
  {
    button: 'Continue with Google',
    email: 'google@example.com',
    method: 'GoogleOAuth',
    provider: 'Google',
    scopes: ['openid', 'email', 'profile'], // demo:line provider-tokens
  },
  {
    button: 'Continue with Microsoft',
    email: 'microsoft@example.com',
    method: 'MicrosoftOAuth',
    provider: 'Microsoft',
    scopes: ['openid', 'email', 'profile', 'offline_access'], // demo:line provider-tokens
  },
  {
    button: 'Continue with GitHub',
    email: 'github@example.com',
    method: 'GitHubOAuth',
    provider: 'GitHub',
    scopes: ['read:user', 'user:email'], // demo:line provider-tokens
  },
];

for (const social of SOCIAL) {
  test(`social: ${social.provider}`, async ({ page }) => {
    await page.goto('/auth/sign-in');
    await page.getByRole('button', { name: social.button }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId('user-email')).toHaveText(social.email);
    await expect(page.getByTestId('authentication-method')).toHaveText(social.method);
    // demo:start provider-tokens
    // The Connected account panel: the provider and its scopes.
    await expect(page.getByTestId('oauth-provider')).toHaveText(social.provider);
    await expect(page.getByTestId('oauth-scopes').getByRole('listitem')).toHaveText(social.scopes);
    const expiry = await page.getByTestId('oauth-expiry').locator('time').getAttribute('datetime');
    expect(new Date(expiry ?? 0).getTime()).toBeGreaterThan(Date.now());
    // demo:end provider-tokens
  });
}

// demo:start provider-tokens
test('social: the provider tokens stay in a sealed HttpOnly cookie (no server disk by default), and leave at sign-out', async ({
  page,
  context,
}) => {
  await page.goto('/auth/sign-in');
  await page.getByRole('button', { name: 'Continue with GitHub' }).click();
  await expect(page.getByTestId('oauth-provider')).toHaveText('GitHub');
  const cookie = (await context.cookies()).find(({ name }) => name === 'app-provider-tokens');
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
  expect(cookie?.value.startsWith('Fe26.2*')).toBe(true);
  expect(cookie?.expires).toBeGreaterThan(Date.now() / 1000 + 60 * 60 * 24 * 399);

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
  expect((await context.cookies()).map(({ name }) => name)).not.toContain('app-provider-tokens');
});
// demo:end provider-tokens

test('MFA: a wrong code is refused, the right one signs in', async ({ page, createUser }) => {
  const user = await createUser({ mfa: { totpCode: '135790' } });
  await page.goto('/auth/sign-in');
  await submitHostedSignIn(page, user.email, user.password);
  await expect(page.getByRole('heading', { name: 'Two-factor authentication' })).toBeVisible();

  await page.getByLabel('Authentication code').fill('000000');
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('alert')).toHaveText('That authentication code is not valid. Try again.');
  await expect(page).not.toHaveURL(/\/dashboard/);

  await page.getByLabel('Authentication code').fill('135790');
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId('user-email')).toHaveText(user.email);
});

// Sign-up (a new user, then the email verification step): e2e/hosted-steps.spec.ts.

test('Cancel on the hosted page lands on the access-denied error page', async ({ page, context }) => {
  await page.goto('/auth/sign-in');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page).toHaveURL(/\/auth\/error\?code=access_denied&ref=/);
  await expect(page.getByRole('heading', { name: 'Sign-in was cancelled' })).toBeVisible();
  await expect(page.getByText('You cancelled signing in, or access was not granted, so you are not signed in.')).toBeVisible();
  expect((await context.cookies()).map((cookie) => cookie.name)).not.toContain('wos-session');
});
