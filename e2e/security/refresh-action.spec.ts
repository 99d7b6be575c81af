/**
 * Issue #30, defect 1: the dashboard's "Refresh session" when WorkOS cannot
 * refresh. A transient failure keeps the session and says so on the page; a
 * refresh token WorkOS refuses (invalid_grant) drops the session, every chunk
 * of it, and lands on sign-in. Never a 500, and the server log gets one line
 * with the error and a reference id: no stack, no user or session id.
 * (Every other failure mode and entry point: ./fault-sweep.spec.ts.)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { decodeJwt } from 'jose';
import { SESSION_COOKIE, expect, mockUrl, test, unsealSession } from '../fixtures';

/** The app server's log (playwright.config.ts: e2e/support/app-server.ts writes it). */
const serverLog = () => readFileSync(path.resolve('test-results/app-server.log'), 'utf8').split('\n');

/** Every 5xx the app answers while the test runs. */
function serverErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('response', (response) => {
    if (response.status() >= 500) errors.push(`${response.status()} ${response.request().method()} ${response.url()}`);
  });
  return errors;
}

/** The user's ids in no log line but the sign-in's own (its user id, by design). */
function expectIdsOutOfTheLog(userId: string, sessionId: string) {
  const leaks = serverLog().filter((line) => (line.includes(userId) || line.includes(sessionId)) && !line.includes('"event":"sign_in"'));
  expect(leaks).toEqual([]);
}

test('a transient refresh failure keeps the session, says so on the page, and logs one line with a reference', async ({
  page,
  mock,
  testUser,
  signedInAs,
}) => {
  const errors = serverErrors(page);
  await signedInAs(testUser);
  const cookie = (await page.context().cookies()).find((c) => c.name === SESSION_COOKIE);
  const { sid } = decodeJwt((await unsealSession(cookie?.value ?? '')).accessToken);
  await mock.injectFault({
    endpoint: 'authenticate',
    match: { userId: testUser.id, grantType: 'refresh_token' },
    action: { type: 'status', status: 503, body: { message: 'injected' } },
  });

  await page.getByRole('button', { name: 'Refresh session' }).click();
  await expect(page).toHaveURL(/\/dashboard\?refresh=failed&ref=[a-z0-9]{10}$/);
  const reference = new URL(page.url()).searchParams.get('ref') ?? '';
  await expect(page.getByRole('alert').filter({ hasText: 'refreshed' })).toHaveText(
    `Your session could not be refreshed right now. Try again in a moment. (Reference: ${reference})`,
  );
  await expect(page.getByTestId('user-email')).toHaveText(testUser.email);
  expect((await page.context().cookies()).find((c) => c.name === SESSION_COOKIE)?.value).toBe(cookie?.value);
  expect(errors).toEqual([]);

  // One line, found by the reference the page shows: the event, the error, no stack.
  await expect.poll(() => serverLog().filter((line) => line.includes(reference))).toHaveLength(1);
  const [line] = serverLog().filter((entry) => entry.includes(reference));
  expect(JSON.parse(line ?? '')).toMatchObject({ event: 'session_refresh_failed', transient: true, reference });
  expect(JSON.parse(line ?? '').reason).toContain('status=503');
  expectIdsOutOfTheLog(testUser.id, String(sid));

  // WorkOS is back: the same button refreshes.
  await page.getByRole('button', { name: 'Refresh session' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  expect((await mock.requests({ userId: testUser.id, endpoint: 'authenticate', grantType: 'refresh_token' })).map((r) => r.status)).toEqual(
    [503, 200],
  );
});

test('invalid_grant on refresh deletes the session, every chunk included, and lands on sign-in', async ({
  page,
  mock,
  testUser,
  signedInAs,
}) => {
  const errors = serverErrors(page);
  await signedInAs(testUser);
  const context = page.context();
  const cookie = (await context.cookies()).find((c) => c.name === SESSION_COOKIE);
  if (!cookie) throw new Error('no session cookie');
  const { sid } = decodeJwt((await unsealSession(cookie.value)).accessToken);
  // The same session, stored as chunks (as a large one is): the proxy joins them.
  const half = Math.ceil(cookie.value.length / 2);
  await context.clearCookies({ name: SESSION_COOKIE });
  await context.addCookies([
    { ...cookie, name: `${SESSION_COOKIE}.0`, value: cookie.value.slice(0, half) },
    { ...cookie, name: `${SESSION_COOKIE}.1`, value: cookie.value.slice(half) },
  ]);
  await page.reload();
  await expect(page.getByTestId('user-email')).toHaveText(testUser.email);
  await mock.injectFault({
    endpoint: 'authenticate',
    match: { userId: testUser.id, grantType: 'refresh_token' },
    action: { type: 'status', status: 400, body: { error: 'invalid_grant', error_description: 'injected' } },
  });

  await page.getByRole('button', { name: 'Refresh session' }).click();
  await expect(page).toHaveURL(new RegExp(`^${mockUrl()}/authkit/sign-in`));
  const left = (await context.cookies())
    .map((c) => c.name)
    .filter((name) => name === SESSION_COOKIE || name.startsWith(`${SESSION_COOKIE}.`));
  expect(left).toEqual([]);
  expect(errors).toEqual([]);
  expectIdsOutOfTheLog(testUser.id, String(sid));
});
