/**
 * The app's bounded in-process caches, and how full they are for whoever
 * operates it (`npm run bench` prints them after its load phase; docs/performance.md).
 *
 * Every bounded cache is an lru-cache made by {@link boundedCache}, which
 * registers its size and bound here. Next bundles the proxy and the pages
 * separately, so one module can be evaluated once per bundle in the same
 * process, each copy with its own cache: the registry lives on globalThis (a
 * Symbol.for key) so every copy is counted, each as its own entry.
 */
import { LRUCache } from 'lru-cache';

const REGISTRY_KEY = Symbol.for('authkit-starter.cache-sizes');

interface RegisteredCache {
  max: number;
  size: () => number;
}

type Registry = Map<string, RegisteredCache[]>;

function registry(): Registry {
  const holder = globalThis as typeof globalThis & { [REGISTRY_KEY]?: Registry };
  holder[REGISTRY_KEY] ??= new Map();
  return holder[REGISTRY_KEY];
}

type BoundedCacheOptions<V extends NonNullable<unknown>, FC> = LRUCache.OptionsMaxLimit<string, V, FC> & {
  /** The clock entries expire on; by default the wall clock, which the expiries they track (a token's `exp`, a seal's expiration) are on. */
  now?: () => number;
};

/**
 * An LRU cache of at most `max` entries, the least recently used dropped first,
 * whose size the report counts under `name`. Give it a `ttl` (for every entry,
 * or per `set()`) with {@link ttlFor}.
 */
export function boundedCache<V extends NonNullable<unknown>, FC = unknown>(
  name: string,
  { now = () => Date.now(), ...options }: BoundedCacheOptions<V, FC>,
): LRUCache<string, V, FC> {
  // ttlResolution 0: read the clock on every check (lru-cache otherwise reuses a reading for 1 ms, behind a timer).
  const cache = new LRUCache<string, V, FC>({ ...options, ttlResolution: 0, perf: { now } });
  registerCacheSize(name, options.max, () => cache.size);
  return cache;
}

/** For a bounded structure that is not an lru-cache (the revocation list): count it in the report. */
export function registerCacheSize(name: string, max: number, size: () => number): void {
  const copies = registry().get(name) ?? [];
  copies.push({ max, size });
  registry().set(name, copies);
}

/**
 * lru-cache's `ttl` for an entry that must be gone `lifetimeMs` after it is
 * stored: lru-cache still serves an entry whose age equals its ttl. Store
 * nothing when it is not positive (a ttl of 0 means "never expires").
 */
export function ttlFor(lifetimeMs: number): number {
  return lifetimeMs - 1;
}

export interface CacheSize {
  /** Entries now, one figure per evaluated copy of the module (see above). */
  entries: number[];
  max: number;
}

export function cacheSizes(): Record<string, CacheSize> {
  const sizes: Record<string, CacheSize> = {};
  for (const [name, copies] of registry()) {
    sizes[name] = { entries: copies.map((copy) => copy.size()), max: Math.max(...copies.map((copy) => copy.max)) };
  }
  return sizes;
}
