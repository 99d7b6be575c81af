/**
 * A per-user cache of one WorkOS read, shared by concurrent requests.
 *
 * The dashboard reads memberships and sessions on every render; each is cached
 * per user for a minute. Without sharing, every request that finds the entry
 * missing or expired calls WorkOS itself: under load, one expiry turned into as
 * many identical calls as requests in flight (`npm run bench` counted 60 list
 * calls in 338 s where one a minute per process was meant). Here the first miss
 * fetches and every request arriving meanwhile waits for that same call.
 *
 * - Only a good answer is cached; a failure reaches every waiter, and the next
 *   request asks again.
 * - forget() drops the entry and any call in flight, so an answer fetched
 *   before a change (a revocation, a new sign-in) never lands after it.
 * - Bounded: at most `maxUsers` entries (all dropped when full, as before), and
 *   calls in flight end with the SDK's bounded timeout (lib/auth/authkit/client.ts).
 */
import { registerCacheSize } from '@/lib/cache-sizes';

export interface PerUserCache<T> {
  /** The cached value for `userId`, or `fetch()`'s, shared with any request already fetching it. */
  read(userId: string, fetch: () => Promise<T>): Promise<T>;
  forget(userId: string): void;
}

interface State<T> {
  entries: Map<string, { expiresAt: number; value: T }>;
  inFlight: Map<string, Promise<T>>;
  registered: boolean;
}

export interface PerUserCacheOptions {
  /** Name in the bench's cache report (lib/cache-sizes.ts). */
  name: string;
  ttlMs: number;
  maxUsers: number;
  /**
   * Keep the state on globalThis under this key: one cache per process even
   * where Next bundles the module more than once (a route and the pages).
   */
  processWideKey?: symbol;
  now?: () => number;
}

export function perUserCache<T>({ name, ttlMs, maxUsers, processWideKey, now = Date.now }: PerUserCacheOptions): PerUserCache<T> {
  const fresh = (): State<T> => ({ entries: new Map(), inFlight: new Map(), registered: false });
  const globals = globalThis as Record<symbol, State<T> | undefined>;
  const state = processWideKey ? (globals[processWideKey] ??= fresh()) : fresh();
  // A process-wide state is reported once, however many module copies share it.
  if (!state.registered) registerCacheSize(name, maxUsers, () => state.entries.size);
  state.registered = true;

  return {
    read(userId, fetch) {
      const startedAt = now();
      const hit = state.entries.get(userId);
      if (hit && hit.expiresAt > startedAt) return Promise.resolve(hit.value);
      const pending = state.inFlight.get(userId);
      if (pending) return pending;
      const call: Promise<T> = fetch().then(
        (value) => {
          // Not forgotten (or replaced) while it ran: keep the answer.
          if (state.inFlight.get(userId) === call) {
            state.inFlight.delete(userId);
            if (state.entries.size >= maxUsers) state.entries.clear();
            state.entries.set(userId, { expiresAt: startedAt + ttlMs, value });
          }
          return value;
        },
        (error: unknown) => {
          if (state.inFlight.get(userId) === call) state.inFlight.delete(userId);
          throw error;
        },
      );
      state.inFlight.set(userId, call);
      return call;
    },
    forget(userId) {
      state.entries.delete(userId);
      state.inFlight.delete(userId);
    },
  };
}
