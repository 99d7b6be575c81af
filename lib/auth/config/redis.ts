/**
 * This server process's connection to the optional Redis (REDIS_URL), shared
 * by the refresh single-flight and any feature that keeps state across
 * instances (lib/features/provider-tokens). Undefined without REDIS_URL.
 *
 * One connection per process: Next compiles the proxy and the routes into
 * separate bundles, so the instance lives on globalThis rather than in a
 * module variable. Every Redis problem is logged here, and only here: an outage
 * once each way (unavailable, recovered), a command the server refused (a key of
 * the wrong type) each time.
 */
import { ErrorReply } from '@redis/client';
import { createRedisConnection, type RedisConnection } from '../../redis/connection';
import { getAuthConfig } from './env';
import { describeError, logAuthEvent } from '../errors/log';

const PROCESS_KEY = Symbol.for('authkit-starter.redis-connection');

type ProcessGlobal = typeof globalThis & { [PROCESS_KEY]?: { url: string; connection: RedisConnection } };

/** The error's class, and for an error reply its code (`WRONGTYPE`, `OOM`, …) only: the rest of the message may name keys. */
function describeRedisError(error: unknown): string {
  const code = error instanceof ErrorReply ? /^[A-Z]+/.exec(error.message)?.[0] : undefined;
  return code ? `${describeError(error)} reply=${code}` : describeError(error);
}

export function redisConnection(): RedisConnection | undefined {
  const url = getAuthConfig().redisUrl;
  if (!url) return undefined;
  const holder = globalThis as ProcessGlobal;
  const existing = holder[PROCESS_KEY];
  if (existing?.url === url) return existing.connection;
  const connection = createRedisConnection(url, {
    onStatus: (status) => {
      if (status.status === 'recovered') return logAuthEvent({ event: 'shared_store_recovered' });
      const reason = describeRedisError(status.error);
      logAuthEvent({ event: status.status === 'unavailable' ? 'shared_store_unavailable' : 'shared_store_command_failed', reason });
    },
  });
  holder[PROCESS_KEY] = { url, connection };
  return connection;
}
