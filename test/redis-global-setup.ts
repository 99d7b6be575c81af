/**
 * Vitest global setup: runs once per `vitest run`, before any test file. Without
 * redis-server the Redis tests skip themselves (test/redis-server-for-tests.ts);
 * this says so once, with the install command, instead of once per file.
 */
import { SKIPPING_REDIS_TESTS, redisTestsSkipped } from './redis-server.ts';

export default function setup(): void {
  if (redisTestsSkipped()) console.warn(SKIPPING_REDIS_TESTS);
}
