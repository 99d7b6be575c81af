import { afterEach, describe, expect, it } from 'vitest';
import { boundedCache, cacheSizes, ttlFor } from './cache-sizes';

const REGISTRY_KEY = Symbol.for('authkit-starter.cache-sizes');
const registry = () => (globalThis as { [REGISTRY_KEY]?: Map<string, unknown> })[REGISTRY_KEY];
const created: string[] = [];
const named = (name: string) => {
  created.push(name);
  return name;
};

afterEach(() => {
  for (const name of created.splice(0)) registry()?.delete(name);
});

describe('boundedCache', () => {
  it('keeps at most `max` entries, the least recently used dropped first', () => {
    const cache = boundedCache<string>(named('test-lru'), { max: 2 });
    cache.set('a', '1');
    cache.set('b', '2');
    cache.get('a');
    cache.set('c', '3');
    expect([...cache.keys()].sort()).toEqual(['a', 'c']);
  });

  it('expires entries on the clock it is given, read on every check', () => {
    let now = 1_000;
    const cache = boundedCache<string>(named('test-ttl'), { max: 10, ttl: ttlFor(100), now: () => now });
    cache.set('a', '1');
    now += 99;
    expect(cache.get('a')).toBe('1');
    now += 1;
    expect(cache.get('a')).toBeUndefined();
  });

  it('expires entries on the wall clock by default', () => {
    const cache = boundedCache<string>(named('test-wall-clock'), { max: 10 });
    const before = Date.now();
    cache.set('a', '1', { ttl: 60_000 });
    const remaining = cache.getRemainingTTL('a');
    expect(remaining).toBeGreaterThan(60_000 - (Date.now() - before) - 1);
    expect(remaining).toBeLessThanOrEqual(60_000);
  });
});

describe('ttlFor', () => {
  it('is one less than the lifetime: lru-cache still serves an entry whose age equals its ttl', () => {
    expect(ttlFor(60_000)).toBe(59_999);
    expect(ttlFor(1)).toBe(0);
  });
});

describe('cacheSizes', () => {
  it('reports each named cache: its entries per copy of the module, and its bound', () => {
    const one = boundedCache<string>(named('test-sizes'), { max: 3 });
    const other = boundedCache<string>('test-sizes', { max: 5 });
    one.set('a', '1');
    other.set('a', '1');
    other.set('b', '2');
    const single = boundedCache<string>(named('test-sizes-single'), { max: 7 });
    single.set('x', '1');
    expect(cacheSizes()['test-sizes']).toEqual({ entries: [1, 2], max: 5 });
    expect(cacheSizes()['test-sizes-single']).toEqual({ entries: [1], max: 7 });
  });
});
