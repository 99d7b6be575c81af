/**
 * Cases 12 and 13: signing-key rotation and JWKS outages. These touch global
 * state (the mock's key and JWKS faults) and count JWKS fetches across the
 * whole app, so they are tagged @global-state: they run after every parallel
 * test, one at a time (playwright.config.ts), keep faults short (`times`), and
 * end by asserting recovery. Rotation keeps the previous key published, so
 * sessions signed before it keep verifying. Cases 12a and 13 run their own
 * server process, so its JWKS cache starts empty (see there).
 */
import { randomUUID } from 'node:crypto';
import { SignJWT, generateKeyPair } from 'jose';
import { expect, test } from '../fixtures';
import type { MockWorkOSControl } from '../mock-workos/control-client';
import {
  SESSION_COOKIE,
  expectRedirectedToAuthKit,
  expectSessionCookieCleared,
  isSignedInAs,
  newSignedInUser,
  newUser,
  nowSeconds,
  seal,
  startDedicatedApp,
  withCookie,
} from './support';

/** jose's cooldown: the app refetches the JWKS for an unknown kid at most once per 30 s. */
const JOSE_COOLDOWN_MS = 30_000;

/** A session cookie for `user` whose access token is signed by the attacker's key, under a kid no key set has. */
async function unknownKidSession(user: { id: string; email: string }, attacker: Awaited<ReturnType<typeof generateKeyPair>>) {
  const token = await new SignJWT({ sub: user.id, sid: 'session_x', exp: nowSeconds() + 200, iat: nowSeconds() })
    .setProtectedHeader({ alg: 'RS256', kid: `kid-${randomUUID()}` })
    .sign(attacker.privateKey);
  return seal({ accessToken: token, refreshToken: `unknown-${randomUUID()}`, user: { id: user.id, email: user.email } });
}

/** A reader of the JWKS requests the mock receives from now on. */
async function jwksCallsFromNow(mock: MockWorkOSControl) {
  const lastSeq = Math.max(0, ...(await mock.requests({ endpoint: 'jwks' })).map((entry) => entry.seq));
  return async () => (await mock.requests({ endpoint: 'jwks' })).filter((entry) => entry.seq > lastSeq);
}

/** The statuses of this user's refresh calls, oldest first. */
async function refreshStatuses(mock: MockWorkOSControl, userId: string) {
  return (await mock.requests({ userId, endpoint: 'authenticate', grantType: 'refresh_token' })).map((call) => call.status);
}

test("12a. key rotation on a server holding the old key set: old tokens verify as before, a new-key token inside jose's cooldown is served through one refresh @global-state", async ({
  mock,
}) => {
  // Its own server process, so the one fetch of the key set below is this test's, made before the
  // rotation; on the main server an earlier test's fetch (or none) would decide what happens.
  const app = await startDedicatedApp();
  try {
    const { user: before, cookie: beforeCookie } = await newSignedInUser(mock, 'rotate-before');
    const jwksCalls = await jwksCallsFromNow(mock);
    const oldKeySet = (await mock.getSigningKeys()).published.map((key) => key.kid);

    // The server verifies its first token: its one fetch of the key set (the old key only).
    const firstRequestAt = Date.now();
    expect(isSignedInAs(await withCookie(`${app.url}/dashboard`, beforeCookie), before.id)).toBe(true);
    // Every JWKS request this server made, with the key ids the mock's answer gave it.
    const fetches = (await jwksCalls()).map(({ time, kids, status, fault }) => ({ time, kids, status, fault }));
    expect(fetches).toEqual([{ time: expect.any(String), kids: oldKeySet, status: 200, fault: null }]);
    // Made during that request. jose starts its cooldown when the answer arrives, so no earlier than this.
    const fetchedAt = Date.parse(fetches[0]?.time ?? '');
    expect(fetchedAt).toBeGreaterThanOrEqual(firstRequestAt);
    expect(fetchedAt).toBeLessThanOrEqual(Date.now());

    const rotated = await mock.rotateSigningKey({ keepPrevious: true });
    expect(oldKeySet).not.toContain(rotated.kid);
    const { user: after, cookie: afterCookie } = await newSignedInUser(mock, 'rotate-after');

    // The old key is still published: its tokens keep verifying, with no refresh.
    for (let i = 0; i < 3; i += 1) expect(isSignedInAs(await withCookie(`${app.url}/dashboard`, beforeCookie), before.id)).toBe(true);
    expect(await refreshStatuses(mock, before.id)).toEqual([]);

    // A token signed with the new key, within 30 s of that fetch: jose may not fetch again yet, so it
    // cannot be verified; authkit refreshes it and trusts WorkOS' answer. Served, not signed out.
    const afterAnswer = await withCookie(`${app.url}/dashboard`, afterCookie);
    expect(Date.now() - fetchedAt).toBeLessThan(JOSE_COOLDOWN_MS);
    expect(isSignedInAs(afterAnswer, after.id)).toBe(true);
    expect(
      afterAnswer.setCookies.filter((line) => line.startsWith(`${SESSION_COOKIE}=`) && !line.startsWith(`${SESSION_COOKIE}=;`)),
    ).toHaveLength(1);
    expect(await refreshStatuses(mock, after.id)).toEqual([200]);
    // No refetch inside the cooldown, and none for the old key: the mock saw this server's JWKS
    // endpoint once, before the rotation, and answered it with a key set the new kid is not in.
    expect((await jwksCalls()).map(({ time, kids, status, fault }) => ({ time, kids, status, fault }))).toEqual(fetches);
  } finally {
    await app.stop();
  }
});

test('12b. a flood of unknown-kid tokens causes a bounded number of JWKS fetches @global-state', async ({ mock }) => {
  const user = await newUser(mock, 'kid-flood');
  const attacker = await generateKeyPair('RS256');
  const jwksCalls = await jwksCallsFromNow(mock);
  const started = Date.now();
  const flood = await Promise.all(Array.from({ length: 40 }, () => unknownKidSession(user, attacker)));
  for (let i = 0; i < flood.length; i += 8) {
    const answers = await Promise.all(flood.slice(i, i + 8).map((cookie) => withCookie('/dashboard', cookie)));
    for (const answer of answers) expect(answer.status).toBe(307);
  }
  const fetches = (await jwksCalls()).length;
  test.info().annotations.push({ type: 'JWKS fetches for 40 unknown-kid tokens', description: `${fetches} in ${Date.now() - started} ms` });
  expect(Date.now() - started).toBeLessThan(JOSE_COOLDOWN_MS);
  expect(fetches).toBeLessThanOrEqual(1);
});

/** jose's fetch timeout inside authkit (docs/security.md, Timeouts: "a hanging JWKS costs at most ~5 s"). */
const JOSE_JWKS_TIMEOUT_MS = 5_000;
/** Margin for the rest of the request (a refresh call to the mock, the redirect) on a shared 2-core machine: 25 %. */
const JWKS_TIMEOUT_MARGIN_MS = JOSE_JWKS_TIMEOUT_MS * 0.25;

test('13. JWKS down, slow or garbage: fails closed in bounded time, real users served, recovers without re-login @global-state', async ({
  mock,
}) => {
  // A fresh server process: authkit's JWKS client there has never fetched a key set, so every
  // verification fetches one and meets the fault injected for it. (On the main server jose's
  // 30 s cooldown after 12a/12b would let no fetch happen; a failed fetch starts no cooldown.)
  const app = await startDedicatedApp();
  try {
    const { user, cookie } = await newSignedInUser(mock, 'jwks-outage');
    const attacker = await generateKeyPair('RS256');
    const forged = () => unknownKidSession(user, attacker);
    const jwksCalls = await jwksCallsFromNow(mock);

    // The hang first, on a new connection: a reused keep-alive socket can time out sooner than jose's 5 s.
    const faults = [
      { action: { type: 'delay', delayMs: 8_000 } },
      { action: { type: 'drop' } },
      { action: { type: 'status', status: 503, body: { message: 'down' } } },
      { action: { type: 'status', status: 200, body: 'not a key set' } },
    ] as const;
    for (const fault of faults) {
      await mock.injectFault({ endpoint: 'jwks', times: 1, action: fault.action });
      const answer = await withCookie(`${app.url}/dashboard`, await forged());
      // Fails closed: the forged token is not verified, its refresh token is refused, the cookie goes.
      expectRedirectedToAuthKit(answer);
      expectSessionCookieCleared(answer);
      expect(answer.body, fault.action.type).not.toContain(user.id);
      if (fault.action.type === 'delay') {
        test.info().annotations.push({ type: 'response with a hanging JWKS endpoint (ms)', description: String(answer.elapsedMs) });
        // jose gave up after its timeout (not sooner: the hang was met), and the page answered right after.
        expect(answer.elapsedMs).toBeGreaterThanOrEqual(JOSE_JWKS_TIMEOUT_MS);
        expect(answer.elapsedMs).toBeLessThan(JOSE_JWKS_TIMEOUT_MS + JWKS_TIMEOUT_MARGIN_MS);
      }
    }
    // A real user while the endpoint is down: the token cannot be verified, so authkit refreshes
    // it and trusts WorkOS' answer; the user sees the dashboard, at the cost of one refresh.
    await mock.injectFault({ endpoint: 'jwks', times: 1, action: { type: 'status', status: 503, body: { message: 'down' } } });
    const during = await withCookie(`${app.url}/dashboard`, cookie);
    expect(isSignedInAs(during, user.id)).toBe(true);
    expect(await refreshStatuses(mock, user.id)).toEqual([200]);
    // Every fault was met by exactly one JWKS request: the outage really happened.
    expect((await jwksCalls()).map((call) => call.fault)).toEqual(['delay', 'drop', 'status', 'status', 'status']);

    // Recovered: the same cookie verifies from the fetched key set, without signing in or refreshing again.
    const recovered = await withCookie(`${app.url}/dashboard`, cookie);
    expect(isSignedInAs(recovered, user.id)).toBe(true);
    expect(await refreshStatuses(mock, user.id)).toEqual([200]);
    expectRedirectedToAuthKit(await withCookie(`${app.url}/dashboard`, await forged()));
    const calls = await jwksCalls();
    expect(calls.slice(faults.length + 1).map(({ fault, status }) => ({ fault, status }))).toEqual([{ fault: null, status: 200 }]);
  } finally {
    await app.stop();
  }
});
