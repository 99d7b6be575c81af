/**
 * Each dashboard panel degrades on its own: a failed, slow (past the app's 4 s
 * WorkOS timeout) or oddly-shaped answer behind it shows a short message in
 * that panel, the rest of the page renders and the status stays 200.
 */
import type { Page, Response } from '@playwright/test';
import { expect, test } from './fixtures';
import { expectLandsOnSignIn, sessionCookie } from './fixtures'; // demo:line sessions
// demo:start workos-reads
import type { MockWorkOSControl } from './mock-workos/control-client';
import type { FaultAction, MockEndpoint } from './mock-workos/store';
import { SEED_ORGANIZATION_IDS } from './mock-workos/seed';
import type { TestUser } from './fixtures';

/** Longer than the app's WORKOS_REQUEST_TIMEOUT_MS (4 s), so the SDK gives up first. */
const SLOWER_THAN_TIMEOUT_MS = 5_000;
// demo:end workos-reads

/** Runs a sign-in and returns the dashboard response it lands on. */
async function signInAndKeepLanding(page: Page, signIn: () => Promise<unknown>): Promise<Response> {
  const landing = page.waitForResponse(
    (response) => new URL(response.url()).pathname === '/dashboard' && response.request().method() === 'GET',
  );
  await signIn();
  return landing;
}

// demo:start workos-reads
interface FaultRun {
  mock: MockWorkOSControl;
  user: TestUser;
  /** Signs `user` in on `page`, landing on the dashboard. */
  signIn: () => Promise<unknown>;
  endpoint: MockEndpoint;
  faults: { name: string; action: FaultAction }[];
}

/**
 * Queues the faults for this user's calls to `endpoint`, then renders the dashboard once per fault
 * and checks it still works with `expectDegraded` on top. The first render is the one sign-in lands
 * on: the app caches a good answer for a minute (and a sign-in drops the cached session list), so
 * queueing before the first render is the only way every fault meets a real WorkOS call.
 */
async function renderOncePerFault(page: Page, { mock, user, signIn, endpoint, faults }: FaultRun, expectDegraded: () => Promise<void>) {
  for (const fault of faults) await mock.injectFault({ endpoint, match: { userId: user.id }, action: fault.action });
  for (const [index, fault] of faults.entries()) {
    await test.step(fault.name, async () => {
      const response = index === 0 ? await signInAndKeepLanding(page, signIn) : await page.goto('/dashboard');
      await expectDashboardStillWorks(page, response, user.email);
      await expectDegraded();
    });
  }
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
// demo:end workos-reads

// demo:start organizations
test('the organization panels degrade alone when WorkOS fails, stalls or omits a field in the membership list', async ({
  page,
  mock,
  createUser,
  signedInAs,
}) => {
  const user = await createUser({
    memberships: [
      { organizationId: SEED_ORGANIZATION_IDS.acme, role: 'member' },
      { organizationId: SEED_ORGANIZATION_IDS.globex, role: 'admin' },
    ],
  });
  const faults: FaultRun['faults'] = [
    { name: '500', action: { type: 'status', status: 500, body: { message: 'injected' } } },
    { name: 'slower than the timeout', action: { type: 'delay', delayMs: SLOWER_THAN_TIMEOUT_MS } },
    { name: 'items without organization_name', action: { type: 'alter_fields', omit: ['data[].organization_name'] } },
  ];
  const organizations = page.getByRole('region', { name: 'Organizations' });
  await renderOncePerFault(
    page,
    { mock, user, signIn: () => signedInAs(user), endpoint: 'list_organization_memberships', faults },
    async () => {
      await expect(organizations).toContainText("Couldn't load your organizations.");
      await expect(page.getByTestId('organization')).toContainText(`Name unavailable (${SEED_ORGANIZATION_IDS.acme})`);
    },
  );

  // A failure is not cached: the next render asks WorkOS again and shows the switcher.
  await page.goto('/dashboard');
  await expect(organizations.getByRole('button', { name: 'Switch organization' })).toBeVisible();
  await expect(page.getByTestId('organization')).toContainText(`Acme (${SEED_ORGANIZATION_IDS.acme})`);
  expect(await mock.requests({ userId: user.id, endpoint: 'list_organization_memberships' })).toHaveLength(faults.length + 1);
});
// demo:end organizations

// demo:start sessions
test('the Active sessions panel degrades alone when WorkOS fails, stalls or omits a field in the session list', async ({
  page,
  mock,
  testUser: user,
  signedInAs,
}) => {
  const faults: FaultRun['faults'] = [
    { name: 'dropped connection', action: { type: 'drop' } },
    { name: 'slower than the timeout', action: { type: 'delay', delayMs: SLOWER_THAN_TIMEOUT_MS } },
    { name: 'items with created_at null', action: { type: 'alter_fields', nullify: ['data[].created_at'] } },
  ];
  const sessions = page.getByRole('region', { name: 'Active sessions' });
  await renderOncePerFault(page, { mock, user, signIn: () => signedInAs(user), endpoint: 'list_sessions', faults }, async () => {
    await expect(sessions).toContainText("Couldn't load your sessions.");
    await expect(page.getByTestId('organization')).toContainText(`Acme (${SEED_ORGANIZATION_IDS.acme})`);
  });

  await page.goto('/dashboard');
  await expect(sessions.getByTestId('active-session')).toHaveCount(1);
  await expect(sessions.getByTestId('active-session')).toContainText('This browser');
  expect(await mock.requests({ userId: user.id, endpoint: 'list_sessions' })).toHaveLength(faults.length + 1);
});

test('"Sign out of other sessions" revokes the other browser, which lands on sign-in at its next request; this one stays', async ({
  page,
  browser,
  mock,
  createUser,
  signedInAs,
}) => {
  // Tokens live 3 s, so the other browser would also meet its ended session at its next refresh; the revocation
  // list refuses it before that (revocation.spec.ts 29a shows it with a token that has minutes left).
  const user = await createUser({ accessTokenTtlSeconds: 3 });
  await signedInAs(user);
  const thisSessionId = (await page.getByTestId('session-id').textContent()) ?? '';
  const other = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const otherPage = await other.newPage();
  await signedInAs(user, { page: otherPage });
  const otherSessionId = (await otherPage.getByTestId('session-id').textContent()) ?? '';

  await page.goto('/dashboard');
  const panel = page.getByRole('region', { name: 'Active sessions' });
  const listed = panel.getByTestId('active-session');
  await expect(listed).toHaveCount(2);
  await expect(listed.first()).toContainText('This browser');
  await expect(listed.nth(1)).not.toContainText('This browser');
  await expect(listed.first().getByTestId('session-ip')).toHaveText(/\S/);

  // A revocation WorkOS refuses is reported, and nothing is lost: the other session is still listed.
  await mock.injectFault({
    endpoint: 'revoke_session',
    match: { userId: user.id },
    action: { type: 'status', status: 500, body: { message: 'injected' } },
  });
  await panel.getByRole('button', { name: 'Sign out of other sessions' }).click();
  await expect(panel.getByRole('alert')).toHaveText('Some of your other sessions could not be signed out. Try again.');
  await expect(listed).toHaveCount(2);

  await panel.getByRole('button', { name: 'Sign out of other sessions' }).click();
  await expect(panel.getByRole('status')).toHaveText('Your other sessions are signed out.');
  await expect(listed).toHaveCount(1);
  await expect(panel).toContainText('No other sessions.');
  const revocations = await mock.requests({ userId: user.id, endpoint: 'revoke_session' });
  expect(revocations.map(({ sessionId, status }) => ({ sessionId, status }))).toEqual([
    { sessionId: otherSessionId, status: 500 },
    { sessionId: otherSessionId, status: 200 },
  ]);
  const sessions = await mock.listSessions({ userId: user.id });
  expect(sessions.find(({ id }) => id === otherSessionId)?.endedAt).toEqual(expect.any(String));
  expect(sessions.find(({ id }) => id === thisSessionId)?.endedAt).toBeNull();

  // The other browser: refused at its next request, it lands on sign-in, signed out.
  await expectLandsOnSignIn(otherPage, '/dashboard');
  expect(await sessionCookie(other)).toBeUndefined();
  await other.close();

  // This browser is still signed in, on the same session.
  await page.goto('/dashboard');
  await expect(page.getByTestId('session-id')).toHaveText(thisSessionId);
});

test('the session list names each device, reads times as a person does and folds all but the five most recent', async ({
  page,
  browser,
  createUser,
  signedInAs,
}) => {
  const user = await createUser();
  const iPhone =
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
  for (let signIns = 0; signIns < 6; signIns++) {
    const other = await browser.newContext({ baseURL: test.info().project.use.baseURL, userAgent: iPhone });
    await signedInAs(user, { page: await other.newPage() });
    await other.close();
  }
  await signedInAs(user);

  const panel = page.getByRole('region', { name: 'Active sessions' });
  const listed = panel.getByTestId('active-session');
  await expect(listed).toHaveCount(7);
  await expect(listed.first()).toContainText('This browser');
  await expect(listed.nth(1)).toContainText('Safari on iOS');
  await expect(listed.nth(1)).not.toContainText('Mozilla');
  // Shown: this browser and the four most recent others; the two oldest fold away.
  await expect(panel.locator('details').getByTestId('active-session')).toHaveCount(2);
  await expect(listed.nth(5)).toBeHidden();
  await panel.getByText('Show 2 older sessions').click();
  await expect(listed.nth(5)).toBeVisible();
  // In the browser's words once hydrated; the exact time on hover; the machine-readable time stays.
  const lastActive = listed.first().getByTestId('session-last-active').locator('time');
  await expect(lastActive).toHaveText(/^(now|\d+ seconds? ago)$/);
  await expect(lastActive).toHaveAttribute('title', /\d{4}/);
  await expect(lastActive).toHaveAttribute('datetime', /^\d{4}-\d{2}-\d{2}T.*Z$/);
});
// demo:end sessions

test('the Account panel degrades alone when the sign-in answer carries a user without email', async ({
  page,
  mock,
  testUser: user,
  signedInAs,
}) => {
  await mock.injectFault({
    endpoint: 'authenticate',
    match: { userId: user.id, grantType: 'authorization_code' },
    action: { type: 'alter_fields', omit: ['user.email'], nullify: ['user.email_verified'] },
  });
  const response = await signInAndKeepLanding(page, () => signedInAs(user));

  expect(response.status()).toBe(200);
  const account = page.getByRole('region', { name: 'Account', exact: true });
  await expect(account).toContainText("Couldn't load your account details.");
  await expect(account.getByTestId('user-id')).toHaveText(user.id);
  await expect(page.getByTestId('session-id')).toHaveText(/^session_/);
  await expect(page.getByRole('region', { name: 'Active sessions' }).getByTestId('active-session')).toHaveCount(1); // demo:line sessions
  await expect(page.getByText('Something went wrong')).toHaveCount(0);
});
