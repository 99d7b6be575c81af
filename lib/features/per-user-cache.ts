/**
 * A per-user cache of one WorkOS read, shared by concurrent requests.
 *
 * The dashboard reads memberships and sessions on every render; each is cached
 * per user for a minute. Without sharing, every request that finds the entry
 * missing or expired calls WorkOS itself: under load, one expiry turned into as
 * many identical calls as requests in flight (`npm run bench` counted 60 list
 * calls in 338 s where one a minute per process was meant). Here the first miss
 * fetches and every request arriving meanwhile waits for that same call
 * (lru-cache's `fetch()`, which keeps the call in flight as the user's entry).
 *
 * - Only a good answer is cached; a failure reaches every waiter, and the next
 *   request asks again (lru-cache drops the entry of a rejected fetch).
 * - forget() drops the entry and any call in flight, so an answer fetched
 *   before a change (a revocation, a new sign-in) never lands after it. The
 *   requests already waiting for that call still get its answer:
 *   `ignoreFetchAbort` keeps lru-cache from rejecting them when the entry is
 *   deleted, and it stores a fetched answer only while the call is still the
 *   user's entry (per-user-cache.test.ts pins both).
 * - Bounded: at most `maxUsers` entries, the least recently used dropped first
 *   (a call in flight holds one too; dropped, it answers its waiters and is not
 *   stored), and calls in flight end with the SDK's bounded timeout
 *   (lib/auth/authkit/client.ts).
 */
import type { LRUCache } from 'lru-cache';
import { boundedCache, ttlFor } from '@/lib/cache-sizes';

export interface PerUserCache<T> {
  /** The cached value for `userId`, or `fetch()`'s, shared with any request already fetching it. */
  read(userId: string, fetch: () => Promise<T>): Promise<T>;
  forget(userId: string): void;
}

export interface PerUserCacheOptions {
  /** Name in the bench's cache report (lib/cache-sizes.ts). */
  name: string;
  ttlMs: number;
  maxUsers: number;
  /**
   * Keep the cache on globalThis under this key: one cache per process even
   * where Next bundles the module more than once (a route and the pages).
   */
  processWideKey?: symbol;
  now?: () => number;
}

export function perUserCache<T extends NonNullable<unknown>>({
  name,
  ttlMs,
  maxUsers,
  processWideKey,
  now,
}: PerUserCacheOptions): PerUserCache<T> {
  // The fetch of the request that missed first is the one every waiter shares.
  const create = () =>
    boundedCache<T, () => Promise<T>>(name, {
      max: maxUsers,
      ttl: ttlFor(ttlMs),
      now,
      ignoreFetchAbort: true,
      fetchMethod: (_userId, _stale, { context }) => context(),
    });
  const globals = globalThis as Record<symbol, LRUCache<string, T, () => Promise<T>> | undefined>;
  // A process-wide cache is made, and reported, once, however many module copies share it.
  const cache = processWideKey ? (globals[processWideKey] ??= create()) : create();

  return {
    read(userId, fetch) {
      // A hit is a plain get(); fetch() only on a miss.
      const hit = cache.get(userId);
      return hit === undefined ? cache.forceFetch(userId, { context: fetch }) : Promise.resolve(hit);
    },
    forget(userId) {
      cache.delete(userId);
    },
  };
}
