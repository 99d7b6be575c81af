/**
 * Two more `next start` instances of the e2e build, with the suite's cookie
 * password and mock WorkOS, sharing one real redis-server (REDIS_URL): for the
 * tests of the file or `describe` block that calls it. Skipped with one line
 * without redis-server, except in CI, where that fails instead.
 */
import { test } from '../fixtures';
import { SKIPPING_REDIS_TESTS, redisTestsSkipped, startRedisServer, type RunningRedisServer } from '../../test/redis-server';
import { startAppInstance, type AppInstance } from './app-instances';
import { appEnv } from './env';

export interface TwoInstancesSharingRedis {
  redis: () => RunningRedisServer;
  instances: () => AppInstance[];
}

export function twoInstancesSharingRedis(name: string): TwoInstancesSharingRedis {
  test.skip(redisTestsSkipped(), SKIPPING_REDIS_TESTS);

  let redis: RunningRedisServer | undefined;
  let instances: AppInstance[] = [];

  test.beforeAll(async () => {
    // Two production servers starting on a loaded 2-core machine.
    test.setTimeout(90_000);
    redis = await startRedisServer();
    const env = {
      ...appEnv({ appPort: Number(process.env.E2E_APP_PORT), mockPort: Number(process.env.E2E_MOCK_PORT) }),
      REDIS_URL: redis.url,
    };
    instances = await Promise.all([startAppInstance(`${name}-a`, env), startAppInstance(`${name}-b`, env)]);
  });

  test.afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.stop()));
    await redis?.stop();
  });

  return {
    redis: () => {
      if (!redis) throw new Error('redis-server is not running: call this inside a test');
      return redis;
    },
    instances: () => instances,
  };
}
