/**
 * Case 15b: the refresh race across instances. Two more `next start` instances
 * of the e2e build, with the suite's cookie password and mock WorkOS, share a
 * real redis-server (REDIS_URL). Twenty requests carrying one expired access
 * token, split between them, must spend the single-use refresh token once.
 * (The same burst without Redis, in `npm run bench`, is in docs/performance.md.)
 * Cases 15c, 15d: the same burst with a fault in what Redis holds (issue #30, item 9).
 */
import { createHash } from 'node:crypto';
import { createClient } from '@redis/client';
import { decodeJwt } from 'jose';
import { expect, test } from '../fixtures';
import type { MockWorkOSControl } from '../mock-workos/control-client';
import { E2E_CLIENT_ID } from '../support/env';
import { twoInstancesSharingRedis } from '../support/two-instances';
import { SESSION_COOKIE, deletesSessionCookie, expiredSessionFor, isSignedInAs, unseal, withCookie, type Answer } from './support';

const PARALLEL_REQUESTS = 20;

const shared = twoInstancesSharingRedis('instance');

test('15b. 20 parallel requests with one expired token, split across two instances sharing Redis: one refresh, nobody signed out', async ({
  mock,
}) => {
  const { user, expired } = await expiredSessionFor(mock, 'two-instances');
  const answers = await Promise.all(
    Array.from({ length: PARALLEL_REQUESTS }, (_, index) =>
      withCookie('/dashboard', expired, { baseURL: shared.instances()[index % shared.instances().length]?.url }),
    ),
  );

  const refreshCalls = await mock.requests({ userId: user.id, endpoint: 'authenticate', grantType: 'refresh_token' });
  test
    .info()
    .annotations.push({ type: `refresh calls for ${PARALLEL_REQUESTS} requests on 2 instances`, description: String(refreshCalls.length) });
  expect(refreshCalls.map((call) => call.status)).toEqual([200]);
  expect(answers.flatMap((answer) => answer.setCookies).filter(deletesSessionCookie)).toEqual([]);
  expect(answers.map((answer) => isSignedInAs(answer, user.id))).toEqual(Array(PARALLEL_REQUESTS).fill(true));

  // Every answer carries the same rotated session; it works on both instances without another refresh.
  const sessionCookies = answers.map(
    (answer) =>
      answer.setCookies
        .find((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`))
        ?.split(';')[0]
        ?.slice(SESSION_COOKIE.length + 1) ?? '',
  );
  const refreshTokens = await Promise.all(
    sessionCookies.map(async (cookie) => (cookie ? (await unseal(cookie)).refreshToken : 'no session cookie')),
  );
  expect(new Set(refreshTokens).size).toBe(1);
  const rotated = sessionCookies[0];
  for (const instance of shared.instances())
    expect(isSignedInAs(await withCookie('/dashboard', rotated, { baseURL: instance.url }), user.id)).toBe(true);
  expect(await mock.requests({ userId: user.id, endpoint: 'authenticate', grantType: 'refresh_token' })).toHaveLength(1);
});

/** The burst: 20 requests carrying `cookie`, alternating between the two instances. */
function burst(cookie: string): Promise<Answer[]> {
  return Promise.all(
    Array.from({ length: PARALLEL_REQUESTS }, (_, index) =>
      withCookie('/dashboard', cookie, { baseURL: shared.instances()[index % shared.instances().length]?.url }),
    ),
  );
}

/** Nobody signed out: no cookie deletion, every answer the dashboard of `userId`, all with one rotated session. */
async function expectNobodySignedOut(answers: Answer[], userId: string) {
  expect(answers.flatMap((answer) => answer.setCookies).filter(deletesSessionCookie)).toEqual([]);
  expect(answers.map((answer) => isSignedInAs(answer, userId))).toEqual(Array(PARALLEL_REQUESTS).fill(true));
  const refreshTokens = await Promise.all(
    answers.map(async (answer) => {
      const cookie = answer.setCookies
        .find((line) => line.startsWith(`${SESSION_COOKIE}=`))
        ?.split(';')[0]
        ?.slice(SESSION_COOKIE.length + 1);
      return cookie ? (await unseal(cookie)).refreshToken : 'no session cookie';
    }),
  );
  expect(new Set(refreshTokens).size).toBe(1);
}

const refreshStatuses = async (mock: MockWorkOSControl, userId: string) =>
  (await mock.requests({ userId, endpoint: 'authenticate', grantType: 'refresh_token' })).map((call) => call.status);

async function inspectRedis() {
  const client = createClient({ url: shared.redis().url, RESP: 2 });
  await client.connect();
  return client;
}

test('15c. a Redis flush while one instance holds the refresh lock: the other spends the token again, and nobody is signed out', async ({
  mock,
}) => {
  const { user, expired } = await expiredSessionFor(mock, 'flush-mid-burst');
  // The first refresh reaches WorkOS' answer only after 300 ms: the lock is held while the flush lands.
  await mock.injectFault({
    endpoint: 'authenticate',
    match: { userId: user.id, grantType: 'refresh_token' },
    action: { type: 'delay', delayMs: 300 },
  });
  const inspector = await inspectRedis();
  try {
    const answers = burst(expired);
    await expect.poll(async () => (await inspector.keys('authkit:refresh:*:lock')).length, { intervals: [5] }).toBe(1);
    await inspector.flushAll();
    await expectNobodySignedOut(await answers, user.id);
  } finally {
    inspector.destroy();
  }
  // Both instances refreshed (the lock was gone); the one refused as already used waited for the other's result.
  expect((await refreshStatuses(mock, user.id)).sort()).toEqual([200, 400]);
});

test('15d. an unreadable stored result for the burst: deleted, the lock taken as usual, one refresh, nobody signed out', async ({
  mock,
}) => {
  const { user, session, expired } = await expiredSessionFor(mock, 'poisoned-result');
  // The single-flight's key for this refresh (lib/auth/authkit/refresh-single-flight.ts, shared-single-flight.ts).
  const key = JSON.stringify([E2E_CLIENT_ID, session.refreshToken, decodeJwt(session.accessToken).org_id ?? null]);
  const resultKey = `authkit:refresh:{${createHash('sha256').update(key).digest('base64url')}}:result`;
  const inspector = await inspectRedis();
  try {
    await inspector.set(resultKey, 'Fe26.2*1*a*b*c*d*e*f', { PX: 10_000 });
    await expectNobodySignedOut(await burst(expired), user.id);
  } finally {
    inspector.destroy();
  }
  expect(await refreshStatuses(mock, user.id)).toEqual([200]);
});
