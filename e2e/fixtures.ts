/**
 * Playwright fixtures shared by every spec.
 *
 *   mock          typed client for the mock WorkOS control API (users, faults, call log)
 *   testUser      a fresh password user for this test only (parallel-safe), member of Acme
 *   createUser    makes more users for this test (role, organizations, token lifetime, MFA…)
 *   signIn        drives the real hosted sign-in page for an email/password
 *   signedInAs    signs a user in without the hosted page's form, in one line:
 *                 `await signedInAs('member@example.com', { returnTo: '/projects' })`. Real flow
 *                 (/auth/sign-in → authorize → the app's callback → sealed cookie); the mock
 *                 pre-approves the authorization. For every test that needs a session but is
 *                 not about signing in.
 *   signedInPage  a page already signed in as this worker's admin (one signedInAs per
 *                 worker, reused as storageState). Read-only: a test that signs out, switches
 *                 organization or otherwise changes the session must sign in its own user.
 *
 * Import `test` and `expect` from here instead of from @playwright/test.
 */
import { randomUUID } from 'node:crypto';
import { test as base, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { unsealData } from 'iron-session';
import { AUTH_ERROR_COPY, type AuthErrorCode } from '../lib/auth/errors/copy';
import { MockWorkOSControl, type CreateUserInput } from './mock-workos/control-client';
import { DEMO_PASSWORD, SEED_ORGANIZATION_IDS } from './mock-workos/seed';
import { E2E_COOKIE_PASSWORD } from './support/env';

export const SESSION_COOKIE = 'wos-session';
const VERIFIER_COOKIE_PREFIX = 'wos-auth-verifier';

export interface TestUser {
  id: string;
  email: string;
  password: string;
}

export interface SignInOptions {
  email: string;
  password?: string;
  /** Where to start: defaults to /auth/sign-in. */
  from?: string;
  /** URL expected after the callback (regexp on the full URL). Defaults to the dashboard. */
  expectUrl?: RegExp;
}

export interface SignedInAsOptions {
  /** Organization id the session is in (the user must be a member); default: the user's first. */
  organization?: string;
  /** The access token's role (and `roles`), with that role's permissions unless `permissions` is given. */
  role?: string;
  /** The access token's permissions, exactly. */
  permissions?: string[];
  /** Same-origin path to land on; default /dashboard. */
  returnTo?: string;
  /** Default: the test's `page`. */
  page?: Page;
}

/** A demo account's email, or a user from `createUser`/`testUser`. */
export type SignInAsUser = string | { email: string };

type SignedInAs = (
  user: SignInAsUser,
  options?: SignedInAsOptions,
) => Promise<{ id: string; email: string; organizationId: string | null }>;

type CreateTestUser = (input?: Partial<CreateUserInput> & { role?: 'admin' | 'member' }) => Promise<TestUser>;

/** What authkit-nextjs seals into the session cookie. */
export interface SealedSession {
  accessToken: string;
  refreshToken: string;
  user: { id: string; email: string; [field: string]: unknown };
  impersonator?: { email: string; reason: string | null };
  authenticationMethod?: string;
}

interface Fixtures {
  mock: MockWorkOSControl;
  createUser: CreateTestUser;
  testUser: TestUser;
  signIn: (page: Page, options: SignInOptions) => Promise<void>;
  signedInAs: SignedInAs;
  signedInPage: Page;
}

interface WorkerFixtures {
  workerAdmin: { user: TestUser; storageState: Awaited<ReturnType<BrowserContext['storageState']>> };
}

export function mockUrl(): string {
  const url = process.env.E2E_MOCK_URL;
  if (!url) throw new Error('E2E_MOCK_URL is not set: run the suite through playwright.config.ts');
  return url;
}

/** A unique, readable email for one test: `<label>-<uuid>@example.com`. */
export function uniqueEmail(label: string): string {
  return `${label}-${randomUUID()}@example.com`;
}

/** Fills and submits the form of the hosted sign-in page the browser is on (the mock's /authkit/sign-in). */
export async function submitHostedSignIn(page: Page, email: string, password: string = DEMO_PASSWORD) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/**
 * The hosted page's email verification step (a password sign-up, an unverified account): enters the
 * latest code the mock's outbox got for `email`, read through the control API, never off a page.
 */
export async function submitEmailVerification(page: Page, mock: MockWorkOSControl, email: string) {
  await expect(page.getByRole('heading', { name: 'Verify your email' })).toBeVisible();
  const code = (await mock.outbox({ to: email, kind: 'email_verification' })).at(-1)?.code ?? '';
  await page.getByLabel('Verification code').fill(code);
  await page.getByRole('button', { name: 'Verify email' }).click();
}

/** Signs in through the hosted page, the way a person would, and waits for the callback to land. */
export async function signInThroughHostedPage(
  page: Page,
  { email, password = DEMO_PASSWORD, from = '/auth/sign-in', expectUrl = /\/dashboard(\?|$)/ }: SignInOptions,
) {
  await page.goto(from);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await submitHostedSignIn(page, email, password);
  await expect(page).toHaveURL(expectUrl);
}

/**
 * The real sign-in flow without the hosted page's form: the mock pre-approves the next
 * authorization for this user, the browser gets the ticket as a cookie for the mock's
 * authorize path, and goes through the app's /auth/sign-in. Authorize answers a code at
 * once; the app's callback exchanges it and seals the session cookie as always.
 */
async function signInPreApproved(
  mock: MockWorkOSControl,
  page: Page,
  user: SignInAsUser,
  { organization, role, permissions, returnTo = '/dashboard' }: Omit<SignedInAsOptions, 'page'> = {},
) {
  const approval = await mock.preApproveSignIn({
    email: typeof user === 'string' ? user : user.email,
    organizationId: organization,
    role,
    permissions,
  });
  const { name, value, path } = approval.cookie;
  await page.context().addCookies([{ name, value, path, domain: new URL(mock.baseUrl).hostname, httpOnly: true, sameSite: 'Lax' }]);
  await page.goto(`/auth/sign-in?${new URLSearchParams({ returnTo })}`);
  await expect(page).toHaveURL(new URL(returnTo, page.url()).href);
  const cookies = await page.context().cookies();
  // One cookie, or numbered chunks (wos-session.0, .1, …) for a large session.
  const isSession = (cookieName: string) => cookieName === SESSION_COOKIE || cookieName.startsWith(`${SESSION_COOKIE}.`);
  if (!cookies.some((cookie) => isSession(cookie.name))) throw new Error(`signedInAs(${approval.user.email}): no session cookie`);
  // The mock deletes the ticket cookie when it uses the ticket: a later sign-in in this browser is a normal one.
  if (cookies.some((cookie) => cookie.name === name))
    throw new Error(`signedInAs(${approval.user.email}): the ticket was not used (was this browser signed in already?)`);
  return { ...approval.user, organizationId: approval.organizationId };
}

async function createTestUser(
  mock: MockWorkOSControl,
  label: string,
  { role = 'member', ...input }: Parameters<CreateTestUser>[0] = {},
): Promise<TestUser> {
  const email = input.email ?? uniqueEmail(label);
  const password = input.password === undefined ? DEMO_PASSWORD : input.password;
  const { user } = await mock.createUser({
    firstName: 'Test',
    lastName: 'User',
    memberships: [{ organizationId: SEED_ORGANIZATION_IDS.acme, role }],
    ...input,
    email,
    password,
  });
  return { id: user.id, email: user.email, password: password ?? '' };
}

// ── cookies and the sealed session ───────────────────────────────────────

export async function sessionCookie(context: BrowserContext) {
  return (await context.cookies()).find((cookie) => cookie.name === SESSION_COOKIE);
}

export async function verifierCookies(context: BrowserContext) {
  return (await context.cookies()).filter((cookie) => cookie.name.startsWith(VERIFIER_COOKIE_PREFIX));
}

/** Opens the session cookie with the e2e cookie password, as the app does. */
export async function unsealSession(sealed: string): Promise<SealedSession> {
  const session = await unsealData<SealedSession>(sealed, { password: E2E_COOKIE_PASSWORD });
  if (!session.accessToken) throw new Error('the session cookie did not unseal to a session');
  return session;
}

/** The /auth/error page for `code`: right URL, the fixed copy and nothing else from the query string. */
export async function expectAuthErrorPage(page: Page, code: AuthErrorCode) {
  await expect(page).toHaveURL(new RegExp(`/auth/error\\?code=${code}&ref=[a-z0-9]{10}$`));
  const copy = AUTH_ERROR_COPY[code];
  const section = page.locator(`[data-error-code="${code}"]`);
  await expect(section.getByRole('heading', { level: 1 })).toHaveText(copy.title);
  await expect(section.getByText(copy.description, { exact: true })).toBeVisible();
  await expect(section.getByText(copy.nextStep, { exact: true })).toBeVisible();
  await expect(section.getByRole('link', { name: copy.action.label })).toHaveAttribute('href', copy.action.href);
}

/**
 * Visits `path` until the browser lands on the hosted sign-in page: for a session ended at WorkOS,
 * which the app notices at the first refresh after its access token (a short test lifetime) expired.
 */
export async function expectLandsOnSignIn(page: Page, path: string) {
  await expect
    .poll(
      async () => {
        await page.goto(path);
        return new URL(page.url()).pathname;
      },
      { timeout: 10_000, intervals: [500] },
    )
    .toBe('/authkit/sign-in');
}

/**
 * Reloads the dashboard until the access token's expiry changes (a refresh happened),
 * then returns the new value. authkit refreshes a token of this lifetime 30 s before
 * it expires, so the wait is bounded by the rest of it plus a margin for the reloads.
 */
export async function reloadUntilRefreshed(page: Page, before: string, tokenTtlSeconds: number): Promise<string> {
  const expiry = page.getByTestId('access-token-expiry').locator('time');
  await expect
    .poll(
      async () => {
        await page.reload();
        return expiry.getAttribute('datetime');
      },
      { timeout: (tokenTtlSeconds - 30 + 8) * 1000, intervals: [500] },
    )
    .not.toBe(before);
  return (await expiry.getAttribute('datetime')) ?? '';
}

/** A new signed-in context from a saved storageState. */
async function contextWithState(
  browser: Browser,
  baseURL: string | undefined,
  storageState: WorkerFixtures['workerAdmin']['storageState'],
) {
  return browser.newContext({ baseURL, storageState });
}

export const test = base.extend<Fixtures, WorkerFixtures>({
  mock: async ({}, use) => {
    await use(new MockWorkOSControl(mockUrl()));
  },

  createUser: async ({ mock }, use, testInfo) => {
    const label = `e2e-w${testInfo.workerIndex}`;
    await use((input) => createTestUser(mock, label, input));
  },

  testUser: async ({ createUser }, use) => {
    await use(await createUser());
  },

  signIn: async ({}, use) => {
    await use(signInThroughHostedPage);
  },

  signedInAs: async ({ mock, page }, use) => {
    await use((user, { page: target = page, ...options } = {}) => signInPreApproved(mock, target, user, options));
  },

  // One sign-in per worker (pre-approved, through the real callback): an Acme admin of this worker's own.
  workerAdmin: [
    async ({ browser }, use, workerInfo) => {
      const mock = new MockWorkOSControl(mockUrl());
      const user = await createTestUser(mock, `worker-${workerInfo.workerIndex}-admin`, {
        role: 'admin',
        firstName: 'Worker',
        lastName: 'Admin',
      });
      const context = await browser.newContext({ baseURL: workerInfo.project.use.baseURL });
      const page = await context.newPage();
      await signInPreApproved(mock, page, user);
      const storageState = await context.storageState();
      await context.close();
      await use({ user, storageState });
    },
    { scope: 'worker' },
  ],

  signedInPage: async ({ browser, workerAdmin }, use, testInfo) => {
    const context = await contextWithState(browser, testInfo.project.use.baseURL, workerAdmin.storageState);
    const page = await context.newPage();
    await use(page);
    await context.close();
  },
});

export { expect };
