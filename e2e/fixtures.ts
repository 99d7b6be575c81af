/**
 * Playwright fixtures shared by every spec.
 *
 *   mock        typed client for the mock WorkOS control API (faults, users, call log)
 *   testUser    a fresh password user for this test only (parallel-safe), member of Acme
 *   signIn      drives the real hosted sign-in page for an email/password
 *
 * Import `test` and `expect` from here instead of from @playwright/test.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { MockWorkOSControl } from './mock-workos/control-client';
import { DEMO_PASSWORD, SEED_ORGANIZATION_IDS } from './mock-workos/seed';

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

interface Fixtures {
  mock: MockWorkOSControl;
  testUser: TestUser;
  signIn: (page: Page, options: SignInOptions) => Promise<void>;
}

function mockUrl(): string {
  const url = process.env.E2E_MOCK_URL;
  if (!url) throw new Error('E2E_MOCK_URL is not set: run the suite through playwright.config.ts');
  return url;
}

let userCounter = 0;

/** Signs in through the hosted page, the way a person would, and waits for the callback to land. */
export async function signInThroughHostedPage(page: Page, { email, password = DEMO_PASSWORD, from = '/auth/sign-in', expectUrl = /\/dashboard(\?|$)/ }: SignInOptions) {
  await page.goto(from);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(expectUrl);
}

export const test = base.extend<Fixtures>({
  mock: async ({}, use) => {
    await use(new MockWorkOSControl(mockUrl()));
  },
  testUser: async ({ mock }, use, testInfo) => {
    userCounter += 1;
    const email = `e2e-${testInfo.workerIndex}-${userCounter}-${Date.now().toString(36)}@example.com`;
    const { user } = await mock.createUser({
      email,
      password: DEMO_PASSWORD,
      firstName: 'Test',
      lastName: `User ${userCounter}`,
      memberships: [{ organizationId: SEED_ORGANIZATION_IDS.acme, role: 'member' }],
    });
    await use({ id: user.id, email, password: DEMO_PASSWORD });
  },
  signIn: async ({}, use) => {
    await use(signInThroughHostedPage);
  },
});

export { expect };
