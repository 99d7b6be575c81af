/**
 * Cases 1–7: the callback (RFC 9700 §4.7 CSRF, §4.5 code injection, code replay,
 * session fixation, a failed callback among pending sign-ins). Driven over HTTP
 * with a cookie jar per "browser", and case 7 in a real one.
 */
import type { APIRequestContext, APIResponse } from '@playwright/test';
import { expect, submitHostedSignIn, test } from '../fixtures';
import type { MockWorkOSControl } from '../mock-workos/control-client';
import { E2E_COOKIE_PASSWORD } from '../support/env';
import { getPKCECookieNameForState } from './pkce-name';
import {
  SESSION_COOKIE,
  apiSignIn,
  appUrl,
  authorizeAtMock,
  cookieValue,
  location,
  newContext,
  newUser,
  seal,
  startSignIn,
  unseal,
} from './support';

const errorCode = (url: string) => new URL(url).searchParams.get('code');

/** Refused before any code exchange: the error page, no session in that browser, no call to the token endpoint. */
async function expectRefusedBeforeCodeExchange(mock: MockWorkOSControl, browser: APIRequestContext, response: APIResponse, userId: string) {
  expect(response.status()).toBe(303);
  expect(new URL(location(response)).pathname).toBe('/auth/error');
  expect(await cookieValue(browser)).toBeUndefined();
  expect(await mock.requests({ userId, endpoint: 'authenticate' })).toEqual([]);
}

test("1. login CSRF: a callback without this browser's verifier cookie lands on the error page and never reaches the token endpoint", async ({
  mock,
}) => {
  const user = await newUser(mock, 'csrf');
  const attacker = await newContext();
  const victim = await newContext();
  // The attacker starts a flow and signs in as themself, but does not use the callback.
  const { authorizeUrl } = await startSignIn(attacker);
  const callback = await authorizeAtMock(attacker, authorizeUrl, user.email);
  // The victim's browser is made to open it.
  const response = await victim.get(callback.toString(), { maxRedirects: 0 });
  await expectRefusedBeforeCodeExchange(mock, victim, response, user.id);
  expect(errorCode(location(response))).toBe('missing_verifier');
  await Promise.all([attacker.dispose(), victim.dispose()]);
});

test('2a. verifier from flow A with state from flow B is rejected before any code exchange', async ({ mock }) => {
  const user = await newUser(mock, 'mixup');
  const browserA = await newContext();
  const browserB = await newContext();
  await startSignIn(browserA);
  const flowB = await startSignIn(browserB);
  const callback = await authorizeAtMock(browserB, flowB.authorizeUrl, user.email);
  const response = await browserA.get(callback.toString(), { maxRedirects: 0 });
  await expectRefusedBeforeCodeExchange(mock, browserA, response, user.id);
  // Browser A holds a verifier, but not for this state: a response to a sign-in it did not start.
  expect(errorCode(location(response))).toBe('invalid_state');
  await Promise.all([browserA.dispose(), browserB.dispose()]);
});

test('2b. tampered, truncated and foreign-password state → the error page (200) saying invalid_state (missing_params when empty)', async ({
  mock,
}) => {
  const user = await newUser(mock, 'state');
  const browser = await newContext();
  const { authorizeUrl, state } = await startSignIn(browser);
  const callback = await authorizeAtMock(browser, authorizeUrl, user.email);
  const code = callback.searchParams.get('code') ?? '';
  const verifierCookies = (await browser.storageState()).cookies.filter((cookie) => cookie.name.startsWith('wos-auth-verifier'));
  expect(verifierCookies.map((cookie) => cookie.name)).toEqual([getPKCECookieNameForState(state)]);
  const flipped = state.slice(0, 40) + (state[40] === 'a' ? 'b' : 'a') + state.slice(41);
  const foreign = await seal({ nonce: 'n', codeVerifier: 'x'.repeat(43), returnPathname: '/dashboard' }, `${E2E_COOKIE_PASSWORD}-not-ours`);
  const variants = { flipped, truncated: state.slice(0, state.length / 2), foreign, garbage: 'not-a-seal', empty: '' };
  for (const [name, hostile] of Object.entries(variants)) {
    const context = await newContext();
    // The verifier cookie for exactly this hostile value, so the app gets past the CSRF check and must unseal it.
    const cookieName = getPKCECookieNameForState(hostile);
    const response = await context.get(`/api/auth/callback?${new URLSearchParams({ code, state: hostile })}`, {
      maxRedirects: 0,
      headers: { cookie: `${cookieName}=${hostile}` },
    });
    expect(response.status(), name).toBe(303);
    expect(new URL(location(response)).pathname, name).toBe('/auth/error');
    expect(errorCode(location(response)), name).toBe(name === 'empty' ? 'missing_params' : 'invalid_state');
    const page = await context.get(location(response));
    expect(page.status(), name).toBe(200);
    expect(await cookieValue(context), name).toBeUndefined();
    await context.dispose();
  }
  expect(await mock.requests({ userId: user.id, endpoint: 'authenticate' })).toEqual([]);
  await browser.dispose();
});

test("3. an attacker's code injected into the victim's flow fails PKCE at the token endpoint: no session", async ({ mock }) => {
  const attackerUser = await newUser(mock, 'inject-attacker');
  const attacker = await newContext();
  const victim = await newContext();
  // The attacker obtains a code for their own account in their own flow (their verifier).
  const attackerFlow = await startSignIn(attacker);
  const attackerCallback = await authorizeAtMock(attacker, attackerFlow.authorizeUrl, attackerUser.email);
  // The victim has a flow in progress; the attacker swaps in their code with the victim's state.
  const victimFlow = await startSignIn(victim);
  const injected = `/api/auth/callback?${new URLSearchParams({ code: attackerCallback.searchParams.get('code') ?? '', state: victimFlow.state })}`;
  const response = await victim.get(injected, { maxRedirects: 0 });
  expect(response.status()).toBe(303);
  expect(new URL(location(response)).pathname).toBe('/auth/error');
  expect(errorCode(location(response))).toBe('invalid_code');
  expect(await cookieValue(victim)).toBeUndefined();
  const exchanges = await mock.requests({ userId: attackerUser.id, endpoint: 'authenticate' });
  expect(exchanges.map((entry) => entry.status)).toEqual([400]);
  await Promise.all([attacker.dispose(), victim.dispose()]);
});

test('4. a callback URL replayed after success creates no second session', async ({ mock }) => {
  const user = await newUser(mock, 'replay');
  const browser = await newContext();
  const { callback, cookie } = await apiSignIn(browser, user.email);
  // Same browser (verifier cookie was deleted on success) and a second browser that still has the verifier cookie value.
  const again = await browser.get(callback.toString(), { maxRedirects: 0 });
  expect(again.status()).toBe(303);
  expect(new URL(location(again)).pathname).toBe('/auth/error');
  expect(errorCode(location(again))).toBe('missing_verifier');
  const stolen = await newContext();
  const state = callback.searchParams.get('state') ?? '';
  const replay = await stolen.get(callback.toString(), {
    maxRedirects: 0,
    headers: { cookie: `${getPKCECookieNameForState(state)}=${state}` },
  });
  expect(replay.status()).toBe(303);
  expect(new URL(location(replay)).pathname).toBe('/auth/error');
  // Past the verifier check, refused by WorkOS: the code was used.
  expect(errorCode(location(replay))).toBe('invalid_code');
  expect(await cookieValue(stolen)).toBeUndefined();
  expect(await mock.listSessions({ userId: user.id })).toHaveLength(1);
  const codeExchanges = await mock.requests({ userId: user.id, endpoint: 'authenticate', grantType: 'authorization_code' });
  expect(codeExchanges.map((entry) => entry.status)).toEqual([200, 400]);
  // The first session is the one the browser keeps.
  expect((await unseal(cookie)).user.id).toBe(user.id);
  expect(await cookieValue(browser)).toBe(cookie);
  await Promise.all([browser.dispose(), stolen.dispose()]);
});

test('5. two tabs signing in at once both succeed', async ({ mock }) => {
  const user = await newUser(mock, 'tabs');
  const browser = await newContext();
  const tab1 = await startSignIn(browser, '?returnTo=%2Fdashboard%3Ftab%3D1');
  const tab2 = await startSignIn(browser, '?returnTo=%2Fdashboard%3Ftab%3D2');
  const [callback1, callback2] = await Promise.all([
    authorizeAtMock(browser, tab1.authorizeUrl, user.email),
    authorizeAtMock(browser, tab2.authorizeUrl, user.email),
  ]);
  const [answer2, answer1] = await Promise.all([
    browser.get(callback2.toString(), { maxRedirects: 0 }),
    browser.get(callback1.toString(), { maxRedirects: 0 }),
  ]);
  expect(answer1.status()).toBe(307);
  expect(answer2.status()).toBe(307);
  expect(location(answer1)).toBe(`${appUrl()}/dashboard?tab=1`);
  expect(location(answer2)).toBe(`${appUrl()}/dashboard?tab=2`);
  expect((await unseal((await cookieValue(browser)) ?? '')).user.id).toBe(user.id);
  await browser.dispose();
});

test('6. a session cookie planted before sign-in is replaced by a fresh one (no fixation)', async ({ mock }) => {
  const victimUser = await newUser(mock, 'fixation');
  const attackerUser = await newUser(mock, 'fixation-attacker');
  const attacker = await newContext();
  const planted = (await apiSignIn(attacker, attackerUser.email)).cookie;
  const victim = await newContext();
  await victim.storageState(); // empty jar
  const { authorizeUrl } = await startSignIn(victim);
  const callback = await authorizeAtMock(victim, authorizeUrl, victimUser.email);
  const verifier = (await victim.storageState()).cookies
    .filter((cookie) => cookie.name.startsWith('wos-auth-verifier'))
    .map((cookie) => `${cookie.name}=${cookie.value}`);
  const response = await victim.get(callback.toString(), {
    maxRedirects: 0,
    headers: { cookie: [...verifier, `${SESSION_COOKIE}=${planted}`].join('; ') },
  });
  expect(response.status()).toBe(307);
  const fresh = await cookieValue(victim);
  expect(fresh).not.toBe(planted);
  expect((await unseal(fresh ?? '')).user.id).toBe(victimUser.id);
  await Promise.all([attacker.dispose(), victim.dispose()]);
});

test('7. a failed callback reached from another site ends only the sign-in its state names: the other tabs still sign in', async ({
  page,
  mock,
}) => {
  const user = await newUser(mock, 'pending-tabs');
  const tabs = [page, await page.context().newPage(), await page.context().newPage()];
  // Three sign-ins in progress in one browser, each tab on the hosted page with its own state.
  const states: string[] = [];
  for (const [index, tab] of tabs.entries()) {
    const authorize = tab.waitForRequest((request) => request.url().includes('/user_management/authorize?'));
    await tab.goto(`/auth/sign-in?${new URLSearchParams({ returnTo: `/dashboard?tab=${index}` })}`);
    states.push(new URL((await authorize).url()).searchParams.get('state') ?? '');
    await expect(tab.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  }
  expect(new Set(states).size).toBe(3);

  // Another site sends the browser to the callback with an error: no state, a state of its own, then tab 0's state.
  const attacker = await page.context().newPage();
  const callback = (query: Record<string, string>) => `${appUrl()}/api/auth/callback?${new URLSearchParams({ error: 'x', ...query })}`;
  for (const target of [callback({}), callback({ state: 'not-a-pending-sign-in' }), callback({ state: states[0]! })]) {
    await attacker.route('http://attacker.test/**', (route) =>
      route.fulfill({ contentType: 'text/html', body: `<!doctype html><script>location.href = ${JSON.stringify(target)}</script>` }),
    );
    await attacker.goto('http://attacker.test/');
    await expect(attacker).toHaveURL(/\/auth\/error\?/);
    await attacker.unroute('http://attacker.test/**');
  }

  // The sign-in that state named is over (this browser holds verifiers, but none for it); the two others complete.
  await submitHostedSignIn(tabs[0]!, user.email);
  await expect(tabs[0]!).toHaveURL(/\/auth\/error\?code=invalid_state/);
  for (const index of [1, 2]) {
    await submitHostedSignIn(tabs[index]!, user.email);
    await expect(tabs[index]!).toHaveURL(new RegExp(`/dashboard\\?tab=${index}$`));
  }
  await expect(tabs[2]!.getByTestId('user-email')).toHaveText(user.email);
});
