/**
 * Case 15b: the refresh race across instances. Two more `next start` instances
 * of the e2e build, with the suite's cookie password and mock WorkOS, share a
 * real redis-server (REDIS_URL). Twenty requests carrying one expired access
 * token, split between them, must spend the single-use refresh token once.
 * (The same burst without Redis, in `npm run bench`, is in docs/performance.md.)
 */
import { expect, test } from '../fixtures';
import { startAppInstance, type AppInstance } from '../support/app-instances';
import { appEnv } from '../support/env';
import { SKIPPING_REDIS_TESTS, redisTestsSkipped, startRedisServer, type RunningRedisServer } from '../../test/redis-server';
import { SESSION_COOKIE, deletesSessionCookie, expiredSessionFor, isSignedInAs, unseal, withCookie } from './support';

const PARALLEL_REQUESTS = 20;

// Without redis-server (and not in CI, where it fails instead): playwright.config.ts prints the one line.
test.skip(redisTestsSkipped(), SKIPPING_REDIS_TESTS);

let redis: RunningRedisServer;
let instances: AppInstance[] = [];

test.beforeAll(async () => {
  // Two production servers starting on a loaded 2-core machine.
  test.setTimeout(90_000);
  redis = await startRedisServer();
  const env = {
    ...appEnv({ appPort: Number(process.env.E2E_APP_PORT), mockPort: Number(process.env.E2E_MOCK_PORT) }),
    REDIS_URL: redis.url,
  };
  instances = await Promise.all([startAppInstance('instance-a', env), startAppInstance('instance-b', env)]);
});

test.afterAll(async () => {
  await Promise.all(instances.map((instance) => instance.stop()));
  await redis?.stop();
});

test('15b. 20 parallel requests with one expired token, split across two instances sharing Redis: one refresh, nobody signed out', async ({
  mock,
}) => {
  const { user, expired } = await expiredSessionFor(mock, 'two-instances');
  const answers = await Promise.all(
    Array.from({ length: PARALLEL_REQUESTS }, (_, index) =>
      withCookie('/dashboard', expired, { baseURL: instances[index % instances.length]?.url }),
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
  for (const instance of instances)
    expect(isSignedInAs(await withCookie('/dashboard', rotated, { baseURL: instance.url }), user.id)).toBe(true);
  expect(await mock.requests({ userId: user.id, endpoint: 'authenticate', grantType: 'refresh_token' })).toHaveLength(1);
});
