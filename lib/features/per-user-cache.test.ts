import { describe, expect, it } from 'vitest';
import { perUserCache } from './per-user-cache';

/** A fetch whose calls are counted and settled by the test. */
function controlledFetch<T>() {
  const calls: Array<{ resolve: (value: T) => void; reject: (error: Error) => void }> = [];
  const fetch = () => new Promise<T>((resolve, reject) => calls.push({ resolve, reject }));
  return { fetch, calls };
}

let clock = 1_000_000;
const now = () => clock;
let caches = 0;
const newCache = (ttlMs = 60_000, maxUsers = 10) => perUserCache<string>({ name: `test-${(caches += 1)}`, ttlMs, maxUsers, now });

describe('perUserCache', () => {
  it('shares one call among every request that misses while it runs, then answers from the cache', async () => {
    const cache = newCache();
    const { fetch, calls } = controlledFetch<string>();
    const reads = Array.from({ length: 8 }, () => cache.read('user_a', fetch));
    expect(calls).toHaveLength(1);
    calls[0]?.resolve('memberships of A');
    expect(await Promise.all(reads)).toEqual(Array(8).fill('memberships of A'));
    expect(await cache.read('user_a', fetch)).toBe('memberships of A');
    expect(calls).toHaveLength(1);
  });

  it('keeps users apart', async () => {
    const cache = newCache();
    const { fetch, calls } = controlledFetch<string>();
    const a = cache.read('user_a', fetch);
    const b = cache.read('user_b', fetch);
    expect(calls).toHaveLength(2);
    calls[0]?.resolve('A');
    calls[1]?.resolve('B');
    expect([await a, await b]).toEqual(['A', 'B']);
  });

  it('fetches again once the entry is older than the TTL', async () => {
    const cache = newCache(60_000);
    const { fetch, calls } = controlledFetch<string>();
    const first = cache.read('user_a', fetch);
    calls[0]?.resolve('old');
    await first;
    clock += 59_999;
    expect(await cache.read('user_a', fetch)).toBe('old');
    clock += 1;
    const second = cache.read('user_a', fetch);
    expect(calls).toHaveLength(2);
    calls[1]?.resolve('new');
    expect(await second).toBe('new');
  });

  it('gives a failure to every waiter, caches nothing, and the next request asks again', async () => {
    const cache = newCache();
    const { fetch, calls } = controlledFetch<string>();
    const reads = [cache.read('user_a', fetch), cache.read('user_a', fetch)];
    calls[0]?.reject(new Error('WorkOS answered 500'));
    for (const read of reads) await expect(read).rejects.toThrow('WorkOS answered 500');
    const retry = cache.read('user_a', fetch);
    expect(calls).toHaveLength(2);
    calls[1]?.resolve('recovered');
    expect(await retry).toBe('recovered');
  });

  it('forget() drops a call in flight: its answer, fetched before the change, never lands', async () => {
    const cache = newCache();
    const { fetch, calls } = controlledFetch<string>();
    const before = cache.read('user_a', fetch);
    cache.forget('user_a');
    const after = cache.read('user_a', fetch);
    expect(calls).toHaveLength(2);
    calls[1]?.resolve('after the revocation');
    calls[0]?.resolve('before the revocation');
    expect(await before).toBe('before the revocation');
    expect(await after).toBe('after the revocation');
    expect(await cache.read('user_a', fetch)).toBe('after the revocation');
    expect(calls).toHaveLength(2);
  });

  it('forget() with no request since: the dropped call still answers its waiters, and its answer is not stored', async () => {
    const cache = newCache();
    const { fetch, calls } = controlledFetch<string>();
    const before = cache.read('user_a', fetch);
    cache.forget('user_a');
    calls[0]?.resolve('before the revocation');
    expect(await before).toBe('before the revocation');
    const after = cache.read('user_a', fetch);
    expect(calls).toHaveLength(2);
    calls[1]?.resolve('after the revocation');
    expect(await after).toBe('after the revocation');
  });

  it('holds at most maxUsers entries', async () => {
    const cache = newCache(60_000, 2);
    const { fetch, calls } = controlledFetch<string>();
    for (const user of ['a', 'b', 'c']) {
      const read = cache.read(user, fetch);
      calls.at(-1)?.resolve(user);
      await read;
    }
    // Full at the third: the least recently used, 'a', was dropped.
    void cache.read('a', fetch);
    void cache.read('c', fetch);
    expect(calls).toHaveLength(4);
  });

  it('answers the waiters of a call dropped from a full cache, without storing its answer', async () => {
    const cache = newCache(60_000, 1);
    const { fetch, calls } = controlledFetch<string>();
    const a = cache.read('a', fetch);
    const b = cache.read('b', fetch);
    calls[0]?.resolve('A');
    calls[1]?.resolve('B');
    expect([await a, await b]).toEqual(['A', 'B']);
    expect(await cache.read('b', fetch)).toBe('B');
    void cache.read('a', fetch);
    expect(calls).toHaveLength(3);
  });

  it('shares one state per process under processWideKey, as two module copies would', async () => {
    const key = Symbol('test-process-wide');
    const first = perUserCache<string>({ name: 'test-shared', ttlMs: 60_000, maxUsers: 10, processWideKey: key, now });
    const second = perUserCache<string>({ name: 'test-shared', ttlMs: 60_000, maxUsers: 10, processWideKey: key, now });
    const { fetch, calls } = controlledFetch<string>();
    const read = first.read('user_a', fetch);
    calls[0]?.resolve('shared');
    await read;
    expect(await second.read('user_a', fetch)).toBe('shared');
    second.forget('user_a');
    void first.read('user_a', fetch);
    expect(calls).toHaveLength(2);
  });
});
