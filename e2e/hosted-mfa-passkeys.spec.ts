/**
 * Two steps hosted AuthKit can put between "sign in" and the callback, on the mock's hosted page in a
 * real browser: MFA (setting up TOTP where an organization requires it, then a code at each sign-in)
 * and passkeys (created after a password sign-in, then a sign-in of their own, with Chromium's virtual
 * authenticator signing for real). Each asserts what the app shows and what the mock's code exchange
 * answered, and runs axe on each new screen.
 */
import { randomUUID } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import type { CDPSession, Page } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';
import { WEBAUTHN_SCRIPT_PATH } from './mock-workos/handlers/hosted-steps/passkey-pages';
import { flipLastByte } from './mock-workos/software-authenticator';
import { expect, mockUrl, submitHostedSignIn, test } from './fixtures';

async function expectNoViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.map(({ id, help, nodes }) => ({ id, help, targets: nodes.map((node) => node.target.join(' ')) }))).toEqual([]);
}

const totpCode = (secret: string) => new TOTP({ secret: Secret.fromBase32(secret) }).generate();

/** A 6-digit code none of the three the mock accepts now (one 30-second step either side). */
function wrongCode(secret: string): string {
  const totp = new TOTP({ secret: Secret.fromBase32(secret) });
  const valid = [-30_000, 0, 30_000].map((offset) => totp.generate({ timestamp: Date.now() + offset }));
  return ['000000', '111111', '222222'].find((code) => !valid.includes(code)) ?? '333333';
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
}

/** Chromium's virtual authenticator on this page: a platform authenticator with resident keys and user verification (CDP WebAuthn). */
async function addVirtualAuthenticator(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });
  return { cdp, authenticatorId };
}

test('MFA required by the organization: TOTP set up on the hosted page (QR code and key), then a code at the next sign-in', async ({
  page,
  mock,
  createUser,
}) => {
  const organization = await mock.createOrganization({ name: `Vault ${randomUUID().slice(0, 8)}`, mfaRequired: true });
  const user = await createUser({ memberships: [{ organizationId: organization.id, role: 'member' }] });
  await page.goto('/auth/sign-in');
  await submitHostedSignIn(page, user.email);

  await expect(page.getByRole('heading', { name: 'Set up two-factor authentication' })).toBeVisible();
  await expect(page.getByText(`${organization.name} requires a second step at sign-in.`)).toBeVisible();
  await expect(page.getByRole('img', { name: `QR code that adds ${user.email} (AuthKit Demo) to an authenticator app` })).toBeVisible();
  const secret = (await page.locator('#totp-secret').textContent()) ?? '';
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await expectNoViolations(page);

  await page.getByLabel('Authentication code').fill(wrongCode(secret));
  await page.getByRole('button', { name: 'Verify and continue' }).click();
  await expect(page.getByRole('alert')).toHaveText('That authentication code is not valid. Try again.');
  await page.getByLabel('Authentication code').fill(totpCode(secret));
  await page.getByRole('button', { name: 'Verify and continue' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId('user-email')).toHaveText(user.email);
  await expect(page.getByTestId('authentication-method')).toHaveText('Password');

  // The next sign-in asks for a code from the authenticator set up above.
  await signOut(page);
  await page.goto('/auth/sign-in');
  await submitHostedSignIn(page, user.email);
  await expect(page.getByRole('heading', { name: 'Two-factor authentication' })).toBeVisible();
  await expect(page.locator('#totp-secret')).toHaveCount(0);
  await expectNoViolations(page);
  await page.getByLabel('Authentication code').fill(wrongCode(secret));
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText('That authentication code is not valid. Try again.');
  await page.getByLabel('Authentication code').fill(totpCode(secret));
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  // Both code exchanges: what the mock answered the app (WorkOS reports the first factor).
  const exchanges = await mock.requests({ userId: user.id, endpoint: 'authenticate', grantType: 'authorization_code' });
  expect(exchanges.map(({ status, authenticationMethod }) => ({ status, authenticationMethod }))).toEqual([
    { status: 200, authenticationMethod: 'Password' },
    { status: 200, authenticationMethod: 'Password' },
  ]);
});

test('passkey: created after a password sign-in, then a sign-in with it (Passkey); a tampered assertion is refused', async ({
  page,
  mock,
  createUser,
}) => {
  const user = await createUser({ passkeyProgressiveEnrollment: true });
  const { cdp, authenticatorId } = await addVirtualAuthenticator(page);
  // Browsers refuse WebAuthn on an IP address: the passkey pages are on the mock's localhost origin.
  const passkeyOrigin = `http://localhost:${new URL(mockUrl()).port}`;

  await page.goto('/auth/sign-in');
  await submitHostedSignIn(page, user.email);
  await expect(page.getByRole('heading', { name: 'Create a passkey' })).toBeVisible();
  expect(new URL(page.url()).origin).toBe(passkeyOrigin);
  await expectNoViolations(page);
  await page.getByRole('button', { name: 'Create a passkey' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId('authentication-method')).toHaveText('Password');
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  expect(credentials.map(({ rpId, isResidentCredential, userHandle }) => ({ rpId, isResidentCredential, userHandle }))).toEqual([
    { rpId: 'localhost', isResidentCredential: true, userHandle: Buffer.from(user.id).toString('base64') },
  ]);

  await signOut(page);
  await page.goto('/auth/sign-in');
  // Until the page's script runs it cannot ask for a passkey, so its button waits (a click would post none).
  const script = `${passkeyOrigin}${WEBAUTHN_SCRIPT_PATH}`;
  let releaseScript = () => {};
  const scriptHeld = new Promise<void>((resolve) => (releaseScript = resolve));
  await page.route(script, async (route) => {
    await scriptHeld;
    await route.continue();
  });
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in with a passkey' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Continue with a passkey' })).toBeDisabled();
  releaseScript();
  await expect(page.getByRole('button', { name: 'Continue with a passkey' })).toBeEnabled();
  await page.unroute(script);
  await expectNoViolations(page);

  // The browser's assertion with one bit of its signature flipped on the way to the mock: refused.
  const signInForm = `${passkeyOrigin}/authkit/passkey/sign-in`;
  await page.route(signInForm, async (route) => {
    const form = new URLSearchParams(route.request().postData() ?? '');
    const credential = JSON.parse(form.get('credential') ?? '{}') as { response: { signature: string } };
    credential.response.signature = flipLastByte(credential.response.signature);
    form.set('credential', JSON.stringify(credential));
    await route.continue({ postData: form.toString() });
  });
  await page.getByRole('button', { name: 'Continue with a passkey' }).click();
  await expect(page.getByRole('alert')).toHaveText('The passkey was not verified: its signature does not match.');
  await expect(page).toHaveURL(signInForm);

  // The genuine assertion signs in, with no TOTP or password.
  await page.unroute(signInForm);
  await page.getByRole('button', { name: 'Continue with a passkey' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId('user-email')).toHaveText(user.email);
  await expect(page.getByTestId('authentication-method')).toHaveText('Passkey');
  const exchanges = await mock.requests({ userId: user.id, endpoint: 'authenticate', grantType: 'authorization_code' });
  expect(exchanges.map(({ status, authenticationMethod }) => ({ status, authenticationMethod }))).toEqual([
    { status: 200, authenticationMethod: 'Password' },
    { status: 200, authenticationMethod: 'Passkey' },
  ]);
});
