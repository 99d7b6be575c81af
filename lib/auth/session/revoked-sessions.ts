/**
 * The revocation list: sessions this app signed out, refused at once.
 *
 * A copy of a session cookie carries a stateless access token that stays valid
 * until it expires (5 minutes at WorkOS by default), whatever happened to the
 * session since. So the session ids this app ends (sign-out, "sign out of other
 * sessions") are kept here until every access token issued for them has expired
 * ({@link revokedUntil}), and the proxy refuses them on every request, memo hits
 * included, as getSession() does for renders (docs/security.md, "Signed out is
 * true at once").
 *
 * A lookup is one Map read in this process: no Redis round trip per request.
 * With REDIS_URL, a revocation is also added to a sorted set in Redis (session
 * id → until, the key expiring with its last entry) and published on a channel
 * every instance listens to, so they all know within a second. An instance
 * that was disconnected reads the whole set again whenever its subscription is
 * back (and when it starts): it learns what it missed. Without Redis, or for a
 * revocation made while Redis is unreachable, the list is this process's only.
 *
 * {@link addRevokedSession} is the one entry point: a WorkOS `session.revoked`
 * webhook can feed it too.
 */
import { registerCacheSize } from '../../cache-sizes';
import { subscribeToChannel, type RedisConnection, type RedisTimeouts } from '../../redis/connection';
import { getAuthConfig } from '../config/env';
import { redisConnection } from '../config/redis';
import type { AppSession } from './types';

/** Revocations kept per process (and in Redis); past it the oldest go first, and their copies live out their token. */
export const MAX_REVOKED_SESSIONS = 10_000;
/** Sorted set (session id → until, ms since epoch) and channel (`<until> <session id>`). */
const REDIS_KEY = 'authkit:revoked-sessions';
/** When the list could not be read back after a reconnect (Redis skipped for a moment), try again after this. */
const CATCH_UP_RETRY_MS = 1_000;
/** WorkOS' default access-token lifetime, for a token that does not say when it was issued. */
const DEFAULT_TOKEN_LIFETIME_MS = 5 * 60_000;

// Adds one revocation (the later `until` wins), drops lapsed entries and any past the bound, lets the key
// expire with its last entry, and tells every instance.
const REVOKE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
if tonumber(redis.call('ZSCORE', KEYS[1], ARGV[1]) or 0) < tonumber(ARGV[2]) then redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1]) end
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -${MAX_REVOKED_SESSIONS + 1})
redis.call('PEXPIREAT', KEYS[1], redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')[2])
redis.call('PUBLISH', KEYS[1], ARGV[2] .. ' ' .. ARGV[1])
return 1`;

export interface RevocationList {
  /** Refuse `sessionId` until `until` (ms since epoch), here and, through Redis, on every instance. Never throws. */
  revoke(sessionId: string, until: number): Promise<void>;
  isRevoked(sessionId: string | undefined): boolean;
  close(): Promise<void>;
}

export interface SharedRevocations {
  connection: RedisConnection;
  /** For the subscription, a connection of its own. */
  url: string;
  timeouts?: RedisTimeouts;
}

export function createRevocationList(shared?: SharedRevocations, { now = Date.now } = {}): RevocationList {
  const revoked = new Map<string, number>();
  registerCacheSize('revoked-sessions', MAX_REVOKED_SESSIONS, () => revoked.size);

  const remember = (sessionId: string, until: number) => {
    if (!sessionId || !(until > now()) || (revoked.get(sessionId) ?? 0) >= until) return;
    revoked.delete(sessionId);
    if (revoked.size >= MAX_REVOKED_SESSIONS) {
      for (const [id, lapsesAt] of revoked) if (lapsesAt <= now()) revoked.delete(id);
      // Still full: forget the oldest revocation (Map order is insertion order).
      while (revoked.size >= MAX_REVOKED_SESSIONS) revoked.delete(revoked.keys().next().value as string);
    }
    revoked.set(sessionId, until);
  };

  let retry: NodeJS.Timeout | undefined;
  const catchUp = async () => {
    clearTimeout(retry);
    const read = await shared?.connection.attempt((client) => client.zRangeByScoreWithScores(REDIS_KEY, now(), '+inf'));
    if (read?.ok) for (const { value, score } of read.value) remember(value, score);
    else retry = setTimeout(catchUp, CATCH_UP_RETRY_MS).unref();
  };
  const subscription =
    shared &&
    subscribeToChannel(
      shared.url,
      REDIS_KEY,
      {
        onMessage: (message) => {
          const space = message.indexOf(' ');
          remember(message.slice(space + 1), Number(message.slice(0, space)));
        },
        onSubscribed: () => void catchUp(),
      },
      shared.timeouts,
    );

  return {
    async revoke(sessionId, until) {
      remember(sessionId, Math.ceil(until));
      await shared?.connection.attempt((client) =>
        client.eval(REVOKE, { keys: [REDIS_KEY], arguments: [sessionId, String(Math.ceil(until)), String(now())] }),
      );
    },
    isRevoked(sessionId) {
      const until = sessionId === undefined ? undefined : revoked.get(sessionId);
      return until !== undefined && until > now();
    },
    async close() {
      clearTimeout(retry);
      await subscription?.close();
    },
  };
}

// One list per process: Next bundles the proxy and the routes separately, so it lives on globalThis.
const PROCESS_KEY = Symbol.for('authkit-starter.revoked-sessions');

/** This process's list, created (and, with REDIS_URL, subscribed) on first use; lib/auth/startup.ts does that at start. */
export function revocationList(): RevocationList {
  const holder = globalThis as typeof globalThis & { [PROCESS_KEY]?: RevocationList };
  const connection = holder[PROCESS_KEY] ? undefined : redisConnection();
  holder[PROCESS_KEY] ??= createRevocationList(connection && { connection, url: getAuthConfig().redisUrl as string });
  return holder[PROCESS_KEY];
}

/** The entry point: sign-out, "sign out of other sessions", and later a WorkOS `session.revoked` webhook. */
export function addRevokedSession(sessionId: string, until: number): Promise<void> {
  return revocationList().revoke(sessionId, until);
}

/** True when this app signed `sessionId` out (and one of its access tokens may still be valid). */
export function isSessionRevoked(sessionId: string | undefined): boolean {
  return revocationList().isRevoked(sessionId);
}

/**
 * Until when a session revoked now is refused: every access token issued for it so
 * far has expired one token lifetime from now (the lifetime read from `session`'s
 * own token, `exp` − `iat`: the same for every session of the environment).
 */
export function revokedUntil(
  { accessTokenIssuedAt, accessTokenExpiresAt }: Partial<Pick<AppSession, 'accessTokenIssuedAt' | 'accessTokenExpiresAt'>>,
  now = Date.now(),
): number {
  const lifetime =
    accessTokenIssuedAt && accessTokenExpiresAt
      ? accessTokenExpiresAt.getTime() - accessTokenIssuedAt.getTime()
      : DEFAULT_TOKEN_LIFETIME_MS;
  return now + lifetime;
}
