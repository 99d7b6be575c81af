/**
 * How full the app's in-process caches are, for whoever operates it
 * (`npm run bench` prints them after its load phase; docs/performance.md).
 *
 * Every bounded cache registers a size getter and its bound here. Next bundles
 * the proxy and the pages separately, so one module can be evaluated once per
 * bundle in the same process, each copy with its own map: the registry lives on
 * globalThis (a Symbol.for key) so every copy is counted, each as its own entry.
 */
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

/** Call once at module level, next to the cache. `max` is the bound the cache enforces. */
export function registerCacheSize(name: string, max: number, size: () => number): void {
  const copies = registry().get(name) ?? [];
  copies.push({ max, size });
  registry().set(name, copies);
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
