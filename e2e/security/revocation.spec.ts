/**
 * Case 29 (issue #30, item 4): "signed out" is true at once. A copy of a
 * session cookie carries an access token that is valid for minutes more; the
 * revocation list (lib/auth/session/revoked-sessions.ts) refuses it anyway, on
 * the instance that signed it out and, through Redis, on every other one. Sign-out
 * itself: `redirects.spec.ts`, "decision: after sign-out…".
 */
import { createClient } from '@redis/client';
import { expect, test } from '../fixtures';
import type { AppInstance } from '../support/app-instances';
import { twoInstancesSharingRedis } from '../support/two-instances';
import {
  SESSION_COOKIE,
  appUrl,
  expectRedirectedToSignIn,
  expectSessionCookieCleared,
  isSignedInAs,
  newSignedInUser,
  nowSeconds,
  sessionCookieOf, // demo:line sessions
  unseal,
  withCookie,
  type Answer,
} from './support';

/** Seconds the access token inside `cookie` has left. */
async function tokenSecondsLeft(cookie: string): Promise<number> {
  const { accessToken } = await unseal(cookie);
  const { exp } = JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString()) as { exp: number };
  return exp - nowSeconds();
}

function expectRefused(answer: Answer) {
  expectRedirectedToSignIn(answer);
  expectSessionCookieCleared(answer);
}

// demo:start sessions
test('29a. "Sign out of other sessions": the other browser is refused at its next request, minutes before its token expires', async ({
  page,
  mock,
  createUser,
  signedInAs,
}) => {
  const user = await createUser();
  const other = await sessionCookieOf(user.email);
  // Accepted, and so remembered by the proxy's memo: the next request is a memo hit.
  expect(isSignedInAs(await withCookie('/dashboard', other), user.id)).toBe(true);
  await signedInAs(user);
  await page.goto('/dashboard');
  const thisSessionId = await page.getByTestId('session-id').textContent();
  const panel = page.getByRole('region', { name: 'Active sessions' });
  await panel.getByRole('button', { name: 'Sign out of other sessions' }).click();
  await expect(panel.getByRole('status')).toHaveText('Your other sessions are signed out.');

  expect(await tokenSecondsLeft(other)).toBeGreaterThan(200);
  expectRefused(await withCookie('/dashboard', other));
  expect((await withCookie('/api/me', other)).status).toBe(401);
  // Refused by the list, not by WorkOS: no refresh was asked for.
  expect(await mock.requests({ userId: user.id, endpoint: 'authenticate', grantType: 'refresh_token' })).toEqual([]);
  await page.goto('/dashboard');
  await expect(page.getByTestId('session-id')).toHaveText(thisSessionId ?? '');
});
// demo:end sessions

test.describe('two instances sharing Redis', () => {
  const shared = twoInstancesSharingRedis('revocation');

  /** Signs out on `instance` with the dashboard's sign-out form, posted as a browser on the app's origin would. */
  async function signOutOn(instance: AppInstance, cookie: string) {
    const headers = { cookie: `${SESSION_COOKIE}=${cookie}` };
    const dashboard = await fetch(`${instance.url}/dashboard`, { headers });
    const actionField = /name="(\$ACTION_ID_[0-9a-f]+)"/.exec(await dashboard.text())?.[1] ?? '';
    expect(actionField, 'the sign-out form carries a server action id').not.toBe('');
    const form = new FormData();
    form.set(actionField, '');
    // The instances serve the suite's configured origin (as behind a load balancer that names it).
    const origin = new URL(appUrl());
    const signedOut = await fetch(`${instance.url}/dashboard`, {
      method: 'POST',
      redirect: 'manual',
      body: form,
      headers: { ...headers, origin: origin.origin, 'x-forwarded-host': origin.host },
    });
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get('location')).toContain('/user_management/sessions/logout');
  }

  test('29b. signed out on one instance: a copy of the cookie is refused on the other within a second (memo hit included)', async ({
    mock,
  }) => {
    const [one, two] = shared.instances() as [AppInstance, AppInstance];
    const { user, cookie } = await newSignedInUser(mock, 'revoked-everywhere');
    expect(isSignedInAs(await withCookie('/dashboard', cookie, { baseURL: two.url }), user.id)).toBe(true);
    expect(isSignedInAs(await withCookie('/dashboard', cookie, { baseURL: two.url }), user.id)).toBe(true);

    await signOutOn(one, cookie);
    const signedOutAt = Date.now();
    let answer: Answer | undefined;
    await expect
      .poll(
        async () => {
          answer = await withCookie('/dashboard', cookie, { baseURL: two.url });
          return answer.status;
        },
        { timeout: 1_000, intervals: [20] },
      )
      .toBe(307);
    test.info().annotations.push({ type: 'refused on the other instance after (ms)', description: String(Date.now() - signedOutAt) });
    expectRefused(answer as Answer);
    expect(await tokenSecondsLeft(cookie)).toBeGreaterThan(200);
    expect((await withCookie('/api/me', cookie, { baseURL: two.url })).status).toBe(401);

    // Kept in Redis until one token lifetime from now, for instances that were not listening.
    const inspector = createClient({ url: shared.redis().url, RESP: 2 });
    await inspector.connect();
    try {
      const sessionId = String(JSON.parse(Buffer.from((await unseal(cookie)).accessToken.split('.')[1] ?? '', 'base64url').toString()).sid);
      const until = (await inspector.zScore('authkit:revoked-sessions', sessionId)) ?? 0;
      expect(until - signedOutAt).toBeGreaterThan(250_000);
      expect(until - signedOutAt).toBeLessThanOrEqual(300_000);
    } finally {
      inspector.destroy();
    }
  });
});
