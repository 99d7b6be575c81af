/**
 * Phase 4 — one refresh per refresh token, however many requests race for it.
 *
 * authkit refreshes per request. WorkOS refresh tokens are single-use, so when
 * a page load sends several requests with the same expired access token (the
 * document, RSC payloads, prefetches), they race: one wins, the others get
 * `invalid_grant`, which authkit treats as terminal and answers by deleting the
 * session cookie. The user is signed out by their own page load.
 *
 * Inside one server process, concurrent refreshes of the same refresh token
 * share one call, and a result that just arrived is handed to late requests
 * still carrying the old cookie for REFRESH_RESULT_REUSE_MS. Failures are shared
 * only while in flight. The flights live on globalThis: the proxy's copy of this
 * module and the pages' copy (server actions, the client components' refresh)
 * share them.
 *
 * Across instances (REDIS_URL set), each process's one call goes through a
 * single-flight shared in Redis (lib/auth/authkit/shared-single-flight.ts): a lock
 * keyed on a hash of the refresh token, and the result, sealed with the cookie
 * password, kept for the same reuse window. Without Redis, or while it is
 * unreachable or slow, this is per process (see docs/security.md).
 *
 * Installed on authkit's SDK instance by lib/auth/authkit/client.ts.
 */
import type { WorkOS } from '@workos-inc/node';
import { decodeJwt } from 'jose';
import type { RedisConnection } from '../../redis/connection';
import { createSharedSingleFlight, type SharedSingleFlight } from './shared-single-flight';
import { getAuthConfig } from '../config/env';
import { logAuthEvent } from '../errors/log';
import { redisConnection } from '../config/redis';
import { boundedCache, ttlFor } from '../../cache-sizes';

type UserManagement = WorkOS['userManagement'];

/** How long a successful refresh answers requests that still present the old refresh token. */
export const REFRESH_RESULT_REUSE_MS = 10_000;
const MAX_TRACKED_REFRESHES = 1_000;
/**
 * How long one instance may hold the shared refresh lock: longer than a refresh
 * can take (WORKOS_REQUEST_TIMEOUT_MS, 4 s, no retries), so a live owner never
 * loses it, and short enough that a crashed owner blocks nobody for long.
 */
export const SHARED_REFRESH_LOCK_MS = 5_000;
/** Longest an instance waits for another's refresh; past the lock's life it refreshes itself. */
export const SHARED_REFRESH_WAIT_MS = SHARED_REFRESH_LOCK_MS + 500;
/**
 * How long a refresh refused with `invalid_grant` waits for another instance's result
 * before the user is signed out: that instance spent the token (its lock lost to a
 * flush or an eviction) and publishes within a round trip or two of WorkOS' answer.
 */
const SHARED_REFRESH_SIBLING_WAIT_MS = 1_000;

type RefreshOptions = Parameters<UserManagement['authenticateWithRefreshToken']>[0];
type RefreshResult = Awaited<ReturnType<UserManagement['authenticateWithRefreshToken']>>;
export type RefreshFunction = (options: RefreshOptions) => Promise<RefreshResult>;

/**
 * A refresh answer this app will not seal into a cookie. `status` 502 (WorkOS
 * answered, but not with a usable session) is transient for authkit, so the
 * cookie is kept; a subject mismatch is terminal.
 */
export class RefreshResponseError extends Error {
  readonly status: number | undefined;

  constructor(message: string, status: number | undefined) {
    super(message);
    this.name = 'RefreshResponseError';
    this.status = status;
  }
}

/** The unverified `sub` of a JWT (the proxy verifies the signature before trusting it). */
function subjectOf(accessToken: string): unknown {
  try {
    return decodeJwt(accessToken).sub;
  } catch {
    return undefined;
  }
}

/** Refuses answers without both tokens, or whose token is about someone else than the user returned. */
export function assertUsableRefresh(result: RefreshResult): RefreshResult {
  if (
    !result ||
    typeof result.accessToken !== 'string' ||
    !result.accessToken ||
    typeof result.refreshToken !== 'string' ||
    !result.refreshToken
  ) {
    throw new RefreshResponseError('refresh response is missing tokens', 502);
  }
  if (!result.user || typeof result.user.id !== 'string' || subjectOf(result.accessToken) !== result.user.id) {
    throw new RefreshResponseError('refresh response user does not match its access token', undefined);
  }
  return result;
}

export type SharedRefreshFlight = SharedSingleFlight<RefreshResult>;

const PROCESS_FLIGHTS = Symbol.for('authkit-starter.refresh-single-flight');

let sharedFlight: { redis: RedisConnection; flight: SharedRefreshFlight } | undefined;

/** The refresh single-flight shared by every instance through Redis; undefined without REDIS_URL. */
export function sharedRefreshFlight(): SharedRefreshFlight | undefined {
  const redis = redisConnection();
  if (!redis) return undefined;
  if (sharedFlight?.redis !== redis) {
    const flight = createSharedSingleFlight<RefreshResult>(redis, {
      namespace: 'authkit:refresh',
      password: getAuthConfig().cookiePassword,
      lockMs: SHARED_REFRESH_LOCK_MS,
      reuseMs: REFRESH_RESULT_REUSE_MS,
      waitMs: SHARED_REFRESH_WAIT_MS,
      parse: (value) => assertUsableRefresh(value as RefreshResult),
      alreadyDone: (error) => (error as { error?: unknown } | undefined)?.error === 'invalid_grant',
      siblingWaitMs: SHARED_REFRESH_SIBLING_WAIT_MS,
      onFallback: (reason) => logAuthEvent({ event: 'shared_refresh_fallback', reason }),
    });
    sharedFlight = { redis, flight };
  }
  return sharedFlight.flight;
}

export function singleFlightRefresh(
  refresh: RefreshFunction,
  {
    reuseMs = REFRESH_RESULT_REUSE_MS,
    now,
    shared = () => undefined,
    processWide = false,
  }: {
    reuseMs?: number;
    now?: () => number;
    /** The cross-instance single-flight for this process's one call, looked up per refresh (none: per process only). */
    shared?: () => SharedRefreshFlight | undefined;
    /**
     * One set of flights for the whole process, whichever copy of this module asks: Next bundles the
     * proxy and the pages (server actions) separately, each with its own copy, and a refresh in the
     * proxy racing one in a server action would otherwise spend the token twice (the second signed out).
     */
    processWide?: boolean;
  } = {},
): RefreshFunction {
  // In flight, then the settled answer for `reuseMs` (lru-cache's fetch(): a rejected call is dropped, so a failure is
  // shared only while in flight). A call dropped from a full cache still answers its waiters (`ignoreFetchAbort`).
  const create = () =>
    boundedCache<RefreshResult, () => Promise<RefreshResult>>('refresh-single-flight', {
      max: MAX_TRACKED_REFRESHES,
      ttl: ttlFor(reuseMs),
      now,
      ignoreFetchAbort: true,
      fetchMethod: (_key, _stale, { context }) => context(),
    });
  const holder = globalThis as typeof globalThis & { [PROCESS_FLIGHTS]?: ReturnType<typeof create> };
  const flights = processWide ? (holder[PROCESS_FLIGHTS] ??= create()) : create();

  return (options) => {
    const key = JSON.stringify([options.clientId, options.refreshToken, options.organizationId ?? null]);
    // Validated before it is shared: an unusable answer is never handed to another request or instance.
    const refreshOnce = async () => assertUsableRefresh(await refresh(options));
    return flights.forceFetch(key, {
      context: async () => {
        const across = shared();
        return across ? across.run(key, refreshOnce) : refreshOnce();
      },
    });
  };
}
