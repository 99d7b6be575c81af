/**
 * Cases 14 and 15: refresh. Each test expires its own user's access token by
 * re-signing it with `exp` in the past (the mock's key), so no global token
 * lifetime changes; faults are scoped to the user's refresh calls.
 */
import { expect, test } from '../fixtures';
import type { MockWorkOSControl } from '../mock-workos/control-client';
import {
  SESSION_COOKIE,
  deletesSessionCookie,
  expectRedirectedToAuthKit,
  expectRedirectedToSignIn,
  expectSessionCookieCleared,
  expiredSessionFor,
  isSignedInAs,
  newSignedInUser,
  refreshAtMock,
  type Answer,
  unseal,
  withCookie,
} from './support';

/** The SDK's per-attempt timeout (lib/auth/authkit/client.ts WORKOS_REQUEST_TIMEOUT_MS; docs/security.md, Timeouts: "answers in 4.0 s"). */
const WORKOS_REQUEST_TIMEOUT_MS = 4_000;
/** Margin for the rest of the request (proxy, redirect) on a shared 2-core machine: 25 %. */
const TIMEOUT_MARGIN_MS = WORKOS_REQUEST_TIMEOUT_MS * 0.25;

const refreshCalls = (mock: MockWorkOSControl, userId: string) =>
  mock.requests({ userId, endpoint: 'authenticate', grantType: 'refresh_token' });
const newSessionCookie = (answer: Answer) =>
  answer.setCookies.find((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`) && !cookie.startsWith(`${SESSION_COOKIE}=;`));

test('14a. an expired token is refreshed with exactly one call, and the old refresh token is then dead', async ({ mock }) => {
  const { user, session, expired } = await expiredSessionFor(mock, 'refresh-once');
  const answer = await withCookie('/dashboard', expired);
  expect(isSignedInAs(answer, user.id)).toBe(true);
  // The refreshed session is stored: the same user, a new access and refresh token.
  const stored = await unseal(
    newSessionCookie(answer)
      ?.split(';')[0]
      ?.slice(SESSION_COOKIE.length + 1) ?? '',
  );
  expect(stored.user.id).toBe(user.id);
  expect(stored.accessToken).not.toBe(session.accessToken);
  expect(stored.refreshToken).not.toBe(session.refreshToken);
  expect((await refreshCalls(mock, user.id)).map((call) => call.status)).toEqual([200]);
  const replay = await refreshAtMock(session.refreshToken);
  expect(replay.status).toBe(400);
  expect(replay.body.error).toBe('invalid_grant');
});

test('14b. invalid_grant clears the cookie and restarts sign-in with the return path, without a loop', async ({ mock }) => {
  const { user, session, expired } = await expiredSessionFor(mock, 'refresh-dead');
  const sid = JSON.parse(Buffer.from(session.accessToken.split('.')[1] ?? '', 'base64url').toString()).sid as string;
  await mock.endSession(sid);
  const answer = await withCookie('/dashboard?tab=billing', expired);
  expectRedirectedToSignIn(answer);
  expectSessionCookieCleared(answer);
  const state = new URL(answer.headers['location'] ?? '').searchParams.get('state') ?? '';
  expect(((await unseal(state)) as unknown as { returnPathname: string }).returnPathname).toBe('/dashboard?tab=billing');
  // The browser follows with the cookie gone: straight to sign-in, no second refresh.
  expectRedirectedToSignIn(await withCookie('/dashboard?tab=billing', undefined));
  expect((await refreshCalls(mock, user.id)).map((call) => call.status)).toEqual([400]);
});

for (const fault of [
  { name: '500', action: { type: 'status', status: 500, body: { message: 'injected' } } },
  { name: '503', action: { type: 'status', status: 503, body: { message: 'injected' } } },
  { name: '429', action: { type: 'status', status: 429, body: { message: 'slow down' } } },
  { name: 'dropped connection', action: { type: 'drop' } },
] as const) {
  test(`14c. a ${fault.name} on refresh keeps the cookie; the next request after recovery refreshes`, async ({ mock }) => {
    const { user, expired } = await expiredSessionFor(mock, `refresh-${fault.name.replace(/\W/g, '')}`);
    await mock.injectFault({ endpoint: 'authenticate', match: { userId: user.id, grantType: 'refresh_token' }, action: fault.action });
    const during = await withCookie('/dashboard', expired);
    expectRedirectedToAuthKit(during);
    expect(isSignedInAs(during, user.id)).toBe(false);
    expect(during.setCookies.filter((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`))).toEqual([]);
    const after = await withCookie('/dashboard', expired);
    expect(isSignedInAs(after, user.id)).toBe(true);
    expect((await refreshCalls(mock, user.id)).map((call) => call.status)).toEqual([
      fault.action.type === 'status' ? fault.action.status : null,
      200,
    ]);
  });
}

test('14d. a hanging token endpoint: the response still finishes within the bound, cookie kept', async ({ mock }) => {
  const { user, expired } = await expiredSessionFor(mock, 'refresh-hang');
  await mock.injectFault({
    endpoint: 'authenticate',
    match: { userId: user.id, grantType: 'refresh_token' },
    action: { type: 'delay', delayMs: 15_000 },
  });
  const answer = await withCookie('/dashboard', expired);
  test.info().annotations.push({ type: 'hanging refresh: response time (ms)', description: String(answer.elapsedMs) });
  // The SDK gave up at its timeout (not sooner: the hang was met), and the page answered right after.
  expect(answer.elapsedMs).toBeGreaterThanOrEqual(WORKOS_REQUEST_TIMEOUT_MS);
  expect(answer.elapsedMs).toBeLessThan(WORKOS_REQUEST_TIMEOUT_MS + TIMEOUT_MARGIN_MS);
  expectRedirectedToAuthKit(answer);
  expect(isSignedInAs(answer, user.id)).toBe(false);
  expect(answer.setCookies.filter((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`))).toEqual([]);
});

test('14e. a refresh answer with missing tokens, or for another user, is not sealed into the cookie', async ({ mock }) => {
  const { user, expired } = await expiredSessionFor(mock, 'refresh-broken');
  await mock.injectFault({
    endpoint: 'authenticate',
    match: { userId: user.id, grantType: 'refresh_token' },
    action: { type: 'status', status: 200, body: { user: { object: 'user', id: user.id, email: user.email } } },
  });
  const missing = await withCookie('/dashboard', expired);
  expectRedirectedToAuthKit(missing);
  expect(isSignedInAs(missing, user.id)).toBe(false);
  expect(newSessionCookie(missing)).toBeUndefined();

  // Another user's complete, validly signed answer.
  const { user: other, cookie: otherCookie } = await newSignedInUser(mock, 'refresh-intruder');
  const otherSession = await unseal(otherCookie);
  const { user: victim, expired: victimExpired } = await expiredSessionFor(mock, 'refresh-victim');
  const wireUser = {
    object: 'user',
    id: other.id,
    email: other.email,
    email_verified: true,
    first_name: 'Sec',
    last_name: 'intruder',
    profile_picture_url: null,
    last_sign_in_at: null,
    locale: null,
    created_at: new Date().toISOString(),
    updated_at: new Date().toISOString(),
    external_id: null,
    metadata: {},
  };
  await mock.injectFault({
    endpoint: 'authenticate',
    match: { userId: victim.id, grantType: 'refresh_token' },
    action: {
      type: 'status',
      status: 200,
      body: {
        user: wireUser,
        access_token: otherSession.accessToken,
        refresh_token: otherSession.refreshToken,
        authentication_method: 'Password',
      },
    },
  });
  const swapped = await withCookie('/dashboard', victimExpired);
  // Rejected by the proxy (not authkit): a fresh sign-in through our own route, with the return path.
  expect(swapped.status).toBe(307);
  expect(swapped.headers['location']).toBe('/auth/sign-in?returnTo=%2Fdashboard');
  expect(swapped.body).not.toContain(other.id);
  expect(swapped.body).not.toContain(victim.id);
  expect(newSessionCookie(swapped)).toBeUndefined();
  expectSessionCookieCleared(swapped);
  const home = await withCookie('/', victimExpired);
  expect(home.body).not.toContain(other.email);
});

test('15. parallel requests with an expired token (document + RSC + prefetch) do not sign the user out', async ({ mock }) => {
  const { user, expired } = await expiredSessionFor(mock, 'parallel');
  // RSC requests whose _rsc value is not Next's hash of their headers get a 307 to the hashed URL; never a sign-in redirect.
  const kinds: Array<{ path: string; headers: Record<string, string>; status: number }> = [
    { path: '/dashboard', headers: {}, status: 200 },
    { path: '/dashboard?_rsc=p1', headers: { rsc: '1', accept: 'text/x-component' }, status: 307 },
    { path: '/?_rsc=p2', headers: { rsc: '1', 'next-router-prefetch': '1', accept: 'text/x-component' }, status: 307 },
    { path: '/dashboard/admin?_rsc=p3', headers: { rsc: '1', accept: 'text/x-component' }, status: 307 },
    { path: '/', headers: {}, status: 200 },
    { path: '/dashboard?_rsc=p4', headers: { rsc: '1', 'next-router-prefetch': '1', accept: 'text/x-component' }, status: 307 },
  ];
  const answers = await Promise.all(kinds.map(({ path, headers }) => withCookie(path, expired, { headers })));
  expect(answers.map((answer) => answer.status)).toEqual(kinds.map((kind) => kind.status));
  for (const answer of answers) {
    expect(answer.headers['location'] ?? '').not.toMatch(/authorize|sign-in/);
    expect(answer.setCookies.some(deletesSessionCookie)).toBe(false);
  }
  expect(isSignedInAs(answers[0] as Answer, user.id)).toBe(true);
  const calls = await refreshCalls(mock, user.id);
  test.info().annotations.push({ type: 'refresh calls for 6 parallel requests', description: String(calls.length) });
  expect(calls.map((call) => call.status)).toEqual([200]);
  // A straggler still carrying the old cookie shortly after is answered from the same refresh.
  expect(isSignedInAs(await withCookie('/dashboard', expired), user.id)).toBe(true);
  expect(await refreshCalls(mock, user.id)).toHaveLength(1);
});
