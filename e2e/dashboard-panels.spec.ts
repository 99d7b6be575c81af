/**
 * Each dashboard panel that waits on WorkOS degrades on its own: a failed, slow
 * (past the app's 4 s WorkOS timeout) or oddly-shaped answer shows a short
 * message in that panel, the rest of the page renders and the status stays 200.
 */
import type { Page, Response } from '@playwright/test';
import type { FaultAction } from './mock-workos/store';
import { SEED_ORGANIZATION_IDS } from './mock-workos/seed';
import { expect, test } from './fixtures';

/** Longer than the app's WORKOS_REQUEST_TIMEOUT_MS (4 s), so the SDK gives up first. */
const SLOWER_THAN_TIMEOUT_MS = 5_000;

/** Runs a sign-in and returns the dashboard response it lands on. */
async function signInAndKeepLanding(page: Page, signIn: () => Promise<void>): Promise<Response> {
  const landing = page.waitForResponse((response) => new URL(response.url()).pathname === '/dashboard' && response.request().method() === 'GET');
  await signIn();
  return landing;
}

/** The page answered 200 and every panel that does not depend on the broken call is there. */
async function expectDashboardStillWorks(page: Page, response: Response | null, email: string) {
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible();
  await expect(page.getByTestId('user-email')).toHaveText(email);
  await expect(page.getByTestId('session-id')).toHaveText(/^session_/);
  await expect(page.getByRole('region', { name: 'Connected account' })).toBeVisible();
  await expect(page.getByText('Something went wrong')).toHaveCount(0);
}

test('the organization panels degrade alone when WorkOS fails, stalls or omits a field in the membership list', async ({ page, mock, createUser, signIn }) => {
  const user = await createUser({
    memberships: [
      { organizationId: SEED_ORGANIZATION_IDS.acme, role: 'member' },
      { organizationId: SEED_ORGANIZATION_IDS.globex, role: 'admin' },
    ],
  });
  const brokenItems = [SEED_ORGANIZATION_IDS.acme, SEED_ORGANIZATION_IDS.globex].map((organizationId, index) => ({
    object: 'organization_membership',
    id: `om_broken_${index}`,
    user_id: user.id,
    organization_id: organizationId,
    status: 'active',
    role: { slug: 'member' },
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
  }));
  const faults: { name: string; action: FaultAction }[] = [
    { name: '500', action: { type: 'status', status: 500, body: { message: 'injected' } } },
    { name: 'slower than the timeout', action: { type: 'delay', delayMs: SLOWER_THAN_TIMEOUT_MS } },
    { name: 'items without organization_name', action: { type: 'status', status: 200, body: { object: 'list', data: brokenItems, list_metadata: { before: null, after: null } } } },
  ];
  // The app caches a good answer for a minute, so the faults are queued before the first
  // dashboard render (the one sign-in lands on); each render then takes the next one.
  for (const fault of faults) await mock.injectFault({ endpoint: 'list_organization_memberships', match: { userId: user.id }, action: fault.action });

  const organizations = page.getByRole('region', { name: 'Organizations' });
  for (const [index, fault] of faults.entries()) {
    await test.step(fault.name, async () => {
      const response =
        index === 0 ? await signInAndKeepLanding(page, () => signIn(page, user)) : await page.goto('/dashboard');
      await expectDashboardStillWorks(page, response, user.email);
      await expect(organizations).toContainText("Couldn't load your organizations.");
      await expect(page.getByTestId('organization')).toContainText(`Name unavailable (${SEED_ORGANIZATION_IDS.acme})`);
    });
  }

  // A failure is not cached: the next render asks WorkOS again and shows the switcher.
  await page.goto('/dashboard');
  await expect(organizations.getByRole('button', { name: 'Switch organization' })).toBeVisible();
  await expect(page.getByTestId('organization')).toContainText(`Acme (${SEED_ORGANIZATION_IDS.acme})`);
  expect(await mock.requests({ userId: user.id, endpoint: 'list_organization_memberships' })).toHaveLength(faults.length + 1);
});
