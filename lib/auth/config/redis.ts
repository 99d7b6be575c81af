/**
 * This server process's connection to the optional Redis (REDIS_URL), shared
 * by the refresh single-flight and any feature that keeps state across
 * instances (lib/features/provider-tokens). Undefined without REDIS_URL.
 *
 * One connection per process: Next compiles the proxy and the routes into
 * separate bundles, so the instance lives on globalThis rather than in a
 * module variable. Outages are logged once each way (unavailable, recovered).
 */
import { createRedisConnection, type RedisConnection } from '../../redis/connection';
import { getAuthConfig } from './env';
import { describeError, logAuthEvent } from '../errors/log';

const PROCESS_KEY = Symbol.for('authkit-starter.redis-connection');

type ProcessGlobal = typeof globalThis & { [PROCESS_KEY]?: { url: string; connection: RedisConnection } };

export function redisConnection(): RedisConnection | undefined {
  const url = getAuthConfig().redisUrl;
  if (!url) return undefined;
  const holder = globalThis as ProcessGlobal;
  const existing = holder[PROCESS_KEY];
  if (existing?.url === url) return existing.connection;
  const connection = createRedisConnection(url, {
    onStatus: (status) =>
      logAuthEvent(
        status.status === 'unavailable'
          ? { event: 'shared_store_unavailable', reason: describeError(status.error) }
          : { event: 'shared_store_recovered' },
      ),
  });
  holder[PROCESS_KEY] = { url, connection };
  return connection;
}
