/**
 * Cases 12 and 13: signing-key rotation and JWKS outages. These touch global
 * state (the mock's key, the app's JWKS cache) and count JWKS fetches across
 * the whole app, so they are tagged @global-state: they run after every
 * parallel test (playwright.config.ts), serially, keep
 * faults short (`times`), and end by asserting recovery. Rotation keeps the
 * previous key published, so other workers' sessions keep verifying.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT, generateKeyPair } from 'jose';
import { expect, test } from '../fixtures';
import { apiSignIn, isSignedInAs, newContext, newUser, nowSeconds, seal, withCookie } from './support';

test.describe.configure({ mode: 'serial' });

/** jose's cooldown: the app refetches the JWKS for an unknown kid at most once per 30 s. */
const JOSE_COOLDOWN_MS = 30_000;

test('12a. key rotation: users stay signed in, at most one JWKS refetch @global-state', async ({ mock }) => {
  const before = await newUser(mock, 'rotate-before');
  const beforeCookie = (await apiSignIn(await newContext(), before.email)).cookie;
  expect(isSignedInAs(await withCookie('/dashboard', beforeCookie), before.id)).toBe(true);
  const fetchesBefore = (await mock.requests({ endpoint: 'jwks' })).length;
  const started = Date.now();
  await mock.rotateSigningKey({ keepPrevious: true });
  const after = await newUser(mock, 'rotate-after');
  const afterCookie = (await apiSignIn(await newContext(), after.email)).cookie;
  for (let i = 0; i < 3; i += 1) {
    expect(isSignedInAs(await withCookie('/dashboard', beforeCookie), before.id)).toBe(true);
    expect(isSignedInAs(await withCookie('/dashboard', afterCookie), after.id)).toBe(true);
  }
  const fetches = (await mock.requests({ endpoint: 'jwks' })).length - fetchesBefore;
  test.info().annotations.push({ type: 'JWKS fetches after rotation', description: String(fetches) });
  expect(Date.now() - started).toBeLessThan(JOSE_COOLDOWN_MS);
  expect(fetches).toBeLessThanOrEqual(1);
});

test('12b. a flood of unknown-kid tokens causes a bounded number of JWKS fetches @global-state', async ({ mock }) => {
  const user = await newUser(mock, 'kid-flood');
  const attacker = await generateKeyPair('RS256');
  const fetchesBefore = (await mock.requests({ endpoint: 'jwks' })).length;
  const started = Date.now();
  const flood = await Promise.all(
    Array.from({ length: 40 }, async () => {
      const token = await new SignJWT({ sub: user.id, sid: 'session_x', exp: nowSeconds() + 200, iat: nowSeconds() })
        .setProtectedHeader({ alg: 'RS256', kid: `kid-${randomUUID()}` })
        .sign(attacker.privateKey);
      return seal({ accessToken: token, refreshToken: `unknown-${randomUUID()}`, user: { id: user.id, email: user.email } });
    }),
  );
  for (let i = 0; i < flood.length; i += 8) {
    const answers = await Promise.all(flood.slice(i, i + 8).map((cookie) => withCookie('/dashboard', cookie)));
    for (const answer of answers) expect(answer.status).toBe(307);
  }
  const fetches = (await mock.requests({ endpoint: 'jwks' })).length - fetchesBefore;
  test.info().annotations.push({ type: 'JWKS fetches for 40 unknown-kid tokens', description: `${fetches} in ${Date.now() - started} ms` });
  expect(Date.now() - started).toBeLessThan(JOSE_COOLDOWN_MS);
  expect(fetches).toBeLessThanOrEqual(1);
});

test('13. JWKS down, slow or garbage: fails closed, no 500, bounded time, recovers without re-login @global-state', async ({ mock }) => {
  const user = await newUser(mock, 'jwks-outage');
  const cookie = (await apiSignIn(await newContext(), user.email)).cookie;
  const attacker = await generateKeyPair('RS256');
  const forged = async () =>
    seal({
      accessToken: await new SignJWT({ sub: user.id, sid: 'session_x', exp: nowSeconds() + 200, iat: nowSeconds() }).setProtectedHeader({ alg: 'RS256', kid: `kid-${randomUUID()}` }).sign(attacker.privateKey),
      refreshToken: `unknown-${randomUUID()}`,
      user: { id: user.id, email: user.email },
    });
  const faults = [
    { action: { type: 'drop' } },
    { action: { type: 'status', status: 503, body: { message: 'down' } } },
    { action: { type: 'status', status: 200, body: 'not a key set' } },
    { action: { type: 'status', status: 200, body: { keys: [{ kty: 'RSA', kid: 'junk', n: 'AA', e: 'AQAB' }] } } },
    { action: { type: 'delay', delayMs: 8_000 } },
  ] as const;
  let slowest = 0;
  for (const fault of faults) {
    const injected = await mock.injectFault({ endpoint: 'jwks', times: 1, action: fault.action });
    const answer = await withCookie('/dashboard', await forged());
    // Unused if jose was in its cooldown: remove it so no other test's fetch meets it.
    await mock.removeFault(injected.id);
    slowest = Math.max(slowest, answer.elapsedMs);
    expect(answer.status, fault.action.type).toBe(307);
    expect(answer.body).not.toContain(user.id);
    // Whether or not the app fetched during this fault (jose cooldown), its cached keys still serve real users.
    expect(isSignedInAs(await withCookie('/dashboard', cookie), user.id), fault.action.type).toBe(true);
  }
  test.info().annotations.push({ type: 'slowest response during JWKS faults (ms)', description: String(slowest) });
  expect(slowest).toBeLessThan(7_000);
  // Recovered: the same session still works without signing in again.
  expect(isSignedInAs(await withCookie('/dashboard', cookie), user.id)).toBe(true);
});
