/**
 * Vitest helper: a real redis-server for the tests of one file (started before
 * them, stopped after), connections that are closed after each test, the
 * server resumed if a test paused it, and a plain client to look inside.
 * Without redis-server, the tests in its scope are skipped (test/redis-global-setup.ts
 * prints the one line saying so); with CI=true they fail instead.
 *
 *   const redis = withRedisServer();
 *   const connection = redis.connect();            // the app's connection type, test timeouts
 *   await redis.inspector.keys('authkit:*');
 */
import { createClient } from '@redis/client';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createRedisConnection, type RedisConnection, type RedisStatusEvent, type RedisTimeouts } from '../lib/redis/connection';
import { redisTestsSkipped, startRedisServer, type RunningRedisServer } from './redis-server';

/** Short bounds, so the fallback tests are quick; the app's defaults are a little longer. */
export const TEST_REDIS_TIMEOUTS: RedisTimeouts = { connectTimeoutMs: 300, commandTimeoutMs: 200, retryAfterMs: 1_000 };
/** What one failed attempt may cost over its bound on a loaded 2-core machine: 25 %. */
export const BOUND_MARGIN = 1.25;

export function withRedisServer() {
  let server: RunningRedisServer | undefined;
  let inspector: ReturnType<typeof createClient> | undefined;
  const connections: RedisConnection[] = [];
  const skipped = redisTestsSkipped();

  beforeAll(async () => {
    if (skipped) return;
    server = await startRedisServer();
    inspector = createClient({ url: server.url, RESP: 2 });
    await inspector.connect();
  });
  beforeEach((context) => {
    if (skipped) context.skip();
  });
  afterEach(async () => {
    server?.resume();
    await Promise.all(connections.splice(0).map((connection) => connection.close()));
  });
  afterAll(async () => {
    inspector?.destroy();
    await server?.stop();
  });

  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('withRedisServer(): the server starts in beforeAll');
    return value;
  };

  return {
    get server(): RunningRedisServer {
      return started(server);
    },
    get inspector(): ReturnType<typeof createClient> {
      return started(inspector);
    },
    /** A connection to this server (or to `url`), closed after the test. */
    connect(url?: string, onStatus?: (event: RedisStatusEvent) => void): RedisConnection {
      const connection = createRedisConnection(url ?? started(server).url, { timeouts: TEST_REDIS_TIMEOUTS, onStatus });
      connections.push(connection);
      return connection;
    },
  };
}

/** How long `work` took, for asserting a fallback's bound. */
export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}
