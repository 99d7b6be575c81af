/**
 * The shared single-flight against a real redis-server. Two connections stand
 * for two server instances ("processes"): they share nothing but Redis.
 */
import { createHash } from 'node:crypto';
import { sealData } from 'iron-session';
import { describe, expect, it, vi } from 'vitest';
import { freePort } from '../../../test/free-port';
import { BOUND_MARGIN, TEST_REDIS_TIMEOUTS as TIMEOUTS, timed, withRedisServer } from '../../../test/redis-server-for-tests';
import { sealExpiry } from './seal';
import { createSharedSingleFlight, type SharedSingleFlightOptions } from './shared-single-flight';

const PASSWORD = 'shared-single-flight-test-password-0123456789';

interface Tokens {
  accessToken: string;
  refreshToken: string;
}

const parseTokens = (value: unknown): Tokens => {
  const tokens = value as Partial<Tokens>;
  if (typeof tokens?.accessToken !== 'string' || typeof tokens.refreshToken !== 'string') throw new Error('not tokens');
  return { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
};

const redis = withRedisServer();
let keyCounter = 0;

/** One "instance": its own connection and its own single-flight. */
function instance(url?: string, overrides: Partial<SharedSingleFlightOptions<Tokens>> = {}) {
  return createSharedSingleFlight<Tokens>(redis.connect(url), {
    namespace: 'test:refresh',
    password: PASSWORD,
    lockMs: 1_000,
    reuseMs: 2_000,
    waitMs: 1_500,
    parse: parseTokens,
    alreadyDone: (error) => error instanceof Error && error.message === 'invalid_grant',
    siblingWaitMs: 1_000,
    ...overrides,
  });
}

/** A refresh token that works once, like WorkOS': the second use throws invalid_grant. */
function singleUseRefresh(delayMs = 50) {
  let used = false;
  const work = vi.fn(async (): Promise<Tokens> => {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (used) throw Object.assign(new Error('invalid_grant'), { status: 400 });
    used = true;
    return { accessToken: 'ACCESS-PLAINTEXT-MARKER', refreshToken: 'REFRESH-PLAINTEXT-MARKER' };
  });
  return work;
}

/** The Redis keys the single-flight uses for `key` (namespace test:refresh). */
function redisKeysFor(key: string) {
  const hash = createHash('sha256').update(key).digest('base64url');
  return { lock: `test:refresh:{${hash}}:lock`, result: `test:refresh:{${hash}}:result` };
}

const freshKey = () => `refresh-token-secret-${++keyCounter}-${Date.now()}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every caller got the one result (none rejected). */
function expectAllGotTheResult(results: PromiseSettledResult<Tokens>[]) {
  expect(results.map((result) => (result.status === 'fulfilled' ? result.value.accessToken : String(result.reason)))).toEqual(
    Array(results.length).fill('ACCESS-PLAINTEXT-MARKER'),
  );
}

describe('createSharedSingleFlight', () => {
  it('runs the work once for concurrent callers on two instances; all get the same result', async () => {
    const [one, two] = [instance(), instance()];
    const work = singleUseRefresh(100);
    const key = freshKey();
    const results = await Promise.all(Array.from({ length: 20 }, (_, index) => (index % 2 === 0 ? one : two).run(key, work)));
    expect(work).toHaveBeenCalledTimes(1);
    expect(new Set(results.map((result) => result.accessToken))).toEqual(new Set(['ACCESS-PLAINTEXT-MARKER']));
  });

  it('answers a later caller on another instance from the stored result, until the reuse window ends', async () => {
    const [one, two] = [instance(undefined, { reuseMs: 300 }), instance(undefined, { reuseMs: 300 })];
    const key = freshKey();
    const first = await one.run(key, singleUseRefresh(0));
    const secondWork = vi.fn(async () => ({ accessToken: 'second', refreshToken: 'second' }));
    expect(await two.run(key, secondWork)).toEqual(first);
    expect(secondWork).not.toHaveBeenCalled();
    // Redis expires the stored result at the end of the reuse window: wait for that, not for a guess.
    await vi.waitFor(async () => expect(await redis.inspector.exists(redisKeysFor(key).result)).toBe(0), { timeout: 2_000, interval: 25 });
    expect(await two.run(key, secondWork)).toEqual({ accessToken: 'second', refreshToken: 'second' });
    expect(secondWork).toHaveBeenCalledTimes(1);
  });

  it('keeps the result sealed, under a hash of the key, with the lock gone and an expiry of the reuse window', async () => {
    const key = freshKey();
    await instance().run(key, singleUseRefresh(0));
    const { lock, result } = redisKeysFor(key);
    expect((await redis.inspector.keys('test:refresh:*')).filter((name) => name.includes('refresh-token-secret'))).toEqual([]);
    expect(await redis.inspector.exists(lock)).toBe(0);
    const stored = await redis.inspector.get(result);
    expect(stored?.startsWith('Fe26.2*')).toBe(true);
    expect(stored).not.toContain('PLAINTEXT-MARKER');
    const ttl = await redis.inspector.pTTL(result);
    expect(ttl).toBeGreaterThan(1_500);
    expect(ttl).toBeLessThanOrEqual(2_000);
    // The seal itself expires a second after the reuse window, rounded up to whole seconds (iron's ttl): 3 s here.
    const sealLife = (sealExpiry(stored ?? '') ?? 0) - Date.now();
    expect(sealLife).toBeGreaterThan(2_000);
    expect(sealLife).toBeLessThanOrEqual(3_000);
  });

  it('releases its lock at once when the work fails', async () => {
    const key = freshKey();
    await expect(
      instance().run(key, async () => {
        throw new Error('transient');
      }),
    ).rejects.toThrow('transient');
    // The lock would otherwise live lockMs (1 s) longer.
    expect(await redis.inspector.exists(redisKeysFor(key).lock)).toBe(0);
  });

  it('does not share a failure: the owner releases the lock and the next caller runs the work itself', async () => {
    const [one, two] = [instance(), instance()];
    const key = freshKey();
    const failing = vi.fn(async (): Promise<Tokens> => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      throw Object.assign(new Error('transient'), { status: 503 });
    });
    const succeeding = vi.fn(async () => ({ accessToken: 'after-retry', refreshToken: 'r2' }));
    const owner = one.run(key, failing);
    // The second caller arrives once the first holds the lock (so it waits, then finds no result).
    await vi.waitFor(async () => expect(await redis.inspector.exists(redisKeysFor(key).lock)).toBe(1), { timeout: 2_000, interval: 5 });
    const [failed, waited] = await Promise.allSettled([owner, two.run(key, succeeding)]);
    expect(failed).toMatchObject({ status: 'rejected', reason: { message: 'transient' } });
    expect(waited).toEqual({ status: 'fulfilled', value: { accessToken: 'after-retry', refreshToken: 'r2' } });
    expect([failing.mock.calls.length, succeeding.mock.calls.length]).toEqual([1, 1]);
  });

  it('takes over a lock whose owner never finished once it expires, within the wait bound', async () => {
    const key = freshKey();
    const flight = instance(undefined, { lockMs: 400, waitMs: 1_000 });
    // Another instance took the lock and crashed: same key layout, no result ever.
    await redis.inspector.set(redisKeysFor(key).lock, 'crashed-owner', { PX: 400 });
    const work = singleUseRefresh(0);
    const { value, ms } = await timed(() => flight.run(key, work));
    expect(value.accessToken).toBe('ACCESS-PLAINTEXT-MARKER');
    expect(work).toHaveBeenCalledTimes(1);
    expect(ms).toBeGreaterThanOrEqual(350);
    expect(ms).toBeLessThan(400 * BOUND_MARGIN + 100);
  });

  it('does the work itself after waiting waitMs for an owner that holds the lock too long', async () => {
    const key = freshKey();
    const onFallback = vi.fn();
    const flight = instance(undefined, { waitMs: 300, onFallback });
    // A live owner's lock (an expiry no longer than lockMs), held past this caller's wait.
    await redis.inspector.set(redisKeysFor(key).lock, 'slow-owner', { PX: 1_000 });
    const { value, ms } = await timed(() => flight.run(key, singleUseRefresh(0)));
    expect(value.refreshToken).toBe('REFRESH-PLAINTEXT-MARKER');
    expect(ms).toBeGreaterThanOrEqual(300);
    expect(ms).toBeLessThan(300 * BOUND_MARGIN);
    expect(onFallback).toHaveBeenCalledWith('wait_timeout');
  });

  it('ignores a stored result it cannot unseal (another password) and does the work', async () => {
    const key = freshKey();
    const onFallback = vi.fn();
    await redis.inspector.set(
      redisKeysFor(key).result,
      await sealData({ accessToken: 'x', refreshToken: 'y' }, { password: 'another-password-another-password-0123' }),
      { PX: 2_000 },
    );
    const work = singleUseRefresh(0);
    expect(await instance(undefined, { onFallback }).run(key, work)).toEqual({
      accessToken: 'ACCESS-PLAINTEXT-MARKER',
      refreshToken: 'REFRESH-PLAINTEXT-MARKER',
    });
    expect(onFallback).toHaveBeenCalledWith('unreadable_result');
  });

  it('falls back to the work here, within the connect timeout, when Redis refuses connections', async () => {
    const flight = instance(`redis://127.0.0.1:${await freePort()}`);
    const work = singleUseRefresh(0);
    const { value, ms } = await timed(() => flight.run(freshKey(), work));
    expect(value.accessToken).toBe('ACCESS-PLAINTEXT-MARKER');
    expect(work).toHaveBeenCalledTimes(1);
    expect(ms).toBeLessThan(TIMEOUTS.connectTimeoutMs * BOUND_MARGIN);
  });

  it('falls back to the work here, within the command timeout, when Redis stops answering (SIGSTOP)', async () => {
    const flight = instance();
    await flight.run(freshKey(), singleUseRefresh(0)); // connected and warm
    redis.server.pause();
    const work = singleUseRefresh(0);
    const { value, ms } = await timed(() => flight.run(freshKey(), work));
    expect(value.accessToken).toBe('ACCESS-PLAINTEXT-MARKER');
    expect(work).toHaveBeenCalledTimes(1);
    expect(ms).toBeLessThan(TIMEOUTS.commandTimeoutMs * BOUND_MARGIN);
    // While Redis is skipped, no request pays the timeout again.
    const skipped = await timed(() => flight.run(freshKey(), singleUseRefresh(0)));
    expect(skipped.ms).toBeLessThan(20);
  });

  it('lets the work error itself escape, and nothing else, when Redis is down', async () => {
    const flight = instance(`redis://127.0.0.1:${await freePort()}`);
    await expect(flight.run(freshKey(), async () => Promise.reject(new Error('from the work')))).rejects.toThrow('from the work');
  });

  describe('faults in the shared state (issue #30, item 9)', () => {
    it('(a) a flush mid-refresh erases the lock: the instance that then spends the used token waits for the result of the first', async () => {
      const [one, two] = [instance(), instance()];
      const work = singleUseRefresh(300);
      const key = freshKey();
      const first = one.run(key, work);
      await vi.waitFor(async () => expect(await redis.inspector.exists(redisKeysFor(key).lock)).toBe(1), { timeout: 2_000, interval: 5 });
      const others = Array.from({ length: 9 }, () => two.run(key, work));
      await sleep(40);
      await redis.inspector.flushAll();
      expectAllGotTheResult(await Promise.allSettled([first, ...others]));
      // The second run was refused as already used, and nobody saw that refusal.
      expect(work).toHaveBeenCalledTimes(2);
    });

    it('(a) a refusal as already used with no sibling result to wait for still fails, after the short wait only', async () => {
      const spent = vi.fn(async (): Promise<Tokens> => Promise.reject(new Error('invalid_grant')));
      const { value, ms } = await timed(() => instance(undefined, { siblingWaitMs: 300 }).run(freshKey(), spent).catch(String));
      expect(value).toBe('Error: invalid_grant');
      expect(ms).toBeGreaterThanOrEqual(290);
      expect(ms).toBeLessThan(300 * BOUND_MARGIN + 50);
    });

    const poisons: [string, (key: string) => Promise<unknown>][] = [
      ['a value that is not a seal', (key) => redis.inspector.set(key, 'Fe26.2*1*a*b*c*d*e*f', { PX: 10_000 })],
      ['a value of the wrong type (a hash)', (key) => redis.inspector.hSet(key, 'field', 'value')],
      ['a 2 MiB value', (key) => redis.inspector.set(key, 'x'.repeat(2 * 1024 * 1024))],
    ];
    for (const [name, poison] of poisons) {
      it(`(b, c) ${name} where the result belongs is deleted and the lock taken as usual: one run for 20 callers on two instances`, async () => {
        const key = freshKey();
        await poison(redisKeysFor(key).result);
        const [one, two] = [instance(), instance()];
        const work = singleUseRefresh(100);
        expectAllGotTheResult(await Promise.allSettled(Array.from({ length: 20 }, (_, index) => (index % 2 ? one : two).run(key, work))));
        expect(work).toHaveBeenCalledTimes(1);
        expect(await redis.inspector.type(redisKeysFor(key).result)).toBe('string');
      });
    }

    it('(c) a bad key of one user is not an outage: an unrelated refresh right after is still shared by both instances', async () => {
      const events: unknown[] = [];
      const connections = [redis.connect(undefined, (event) => events.push(event)), redis.connect()];
      const [one, two] = connections.map((connection) =>
        createSharedSingleFlight<Tokens>(connection, {
          namespace: 'test:refresh',
          password: PASSWORD,
          lockMs: 1_000,
          reuseMs: 2_000,
          waitMs: 1_500,
          parse: parseTokens,
        }),
      );
      const poisoned = freshKey();
      await redis.inspector.hSet(redisKeysFor(poisoned).lock, 'field', 'value');
      await redis.inspector.set(redisKeysFor(poisoned).result, 'not a seal');
      await one?.run(poisoned, singleUseRefresh(0));
      await connections[0]?.attempt((client) => client.lPush(redisKeysFor(poisoned).result, 'wrong type for LPUSH'));

      const work = singleUseRefresh(100);
      const key = freshKey();
      expectAllGotTheResult(await Promise.allSettled(Array.from({ length: 20 }, (_, index) => (index % 2 ? one : two)!.run(key, work))));
      expect(work).toHaveBeenCalledTimes(1);
      expect(events.filter((event) => (event as { status: string }).status === 'unavailable')).toEqual([]);
    });

    it('(b) one caller meeting a poisoned result (unreadable, or of the wrong type) reports it once, and does the work without a pause', async () => {
      for (const poison of [
        (key: string) => redis.inspector.set(key, 'not a seal', { PX: 10_000 }),
        (key: string) => redis.inspector.hSet(key, 'field', 'value'),
      ]) {
        const key = freshKey();
        await poison(redisKeysFor(key).result);
        const onFallback = vi.fn();
        const work = singleUseRefresh(0);
        // Nobody holds the lock: the caller claims it again at once, it does not pause as for a busy lock (an hour here).
        const flight = instance(undefined, { onFallback, pollMs: 3_600_000 });
        expect((await flight.run(key, work)).accessToken).toBe('ACCESS-PLAINTEXT-MARKER');
        expect(onFallback.mock.calls).toEqual([['unreadable_result']]);
        expect(work).toHaveBeenCalledTimes(1);
      }
    });

    it('(d) a lock without an expiry, or with a longer one than any owner sets, is stale: taken at once, and left with an expiry', async () => {
      for (const stuck of [{}, { PX: 60_000 }]) {
        const key = freshKey();
        await redis.inspector.set(redisKeysFor(key).lock, 'stuck-owner', stuck);
        const work = vi.fn(async () => {
          const ttl = await redis.inspector.pTTL(redisKeysFor(key).lock);
          return { accessToken: `lock ttl ${ttl > 0 && ttl <= 1_000 ? 'bounded' : ttl}`, refreshToken: 'r' };
        });
        const { value, ms } = await timed(() => instance().run(key, work));
        expect(value.accessToken).toBe('lock ttl bounded');
        // Not the wait for the lock to lapse (waitMs, 1.5 s here): at once, with room for a loaded machine.
        expect(ms).toBeLessThan(500);
      }
    });
  });
});

describe('createSharedSingleFlight, its waits at their bounds', () => {
  /** Work that publishes a result as a sibling instance would (sealed, under the key's result key), then is refused as already used. */
  const refusedAfterSiblingPublished = (key: string) =>
    vi.fn(async (): Promise<Tokens> => {
      const sibling = await sealData({ accessToken: 'SIBLING', refreshToken: 'SIBLING' }, { password: PASSWORD, ttl: 3 });
      await redis.inspector.set(redisKeysFor(key).result, sibling, { PX: 2_000 });
      throw new Error('invalid_grant');
    });

  it('never answers a failure with a sibling’s result unless alreadyDone says the work was already done', async () => {
    const key = freshKey();
    const flight = instance(undefined, { alreadyDone: undefined, siblingWaitMs: 1_000 });
    await expect(flight.run(key, refusedAfterSiblingPublished(key))).rejects.toThrow('invalid_grant');
  });

  it('waits for a sibling only while siblingWaitMs has not passed (0: not at all)', async () => {
    const key = freshKey();
    // A clock that stands still: the wait ends at once, or never.
    const flight = instance(undefined, { siblingWaitMs: 0, now: () => 1_000 });
    await expect(flight.run(key, refusedAfterSiblingPublished(key))).rejects.toThrow('invalid_grant');
  });

  it('stops waiting for a held lock once waitMs has passed (the deadline itself included), and does the work', async () => {
    const key = freshKey();
    await redis.inspector.set(redisKeysFor(key).lock, 'slow-owner', { PX: 1_000 });
    const connection = redis.connect();
    let claims = 0;
    const counted: typeof connection = { ...connection, attempt: (operation) => ((claims += 1), connection.attempt(operation)) };
    const onFallback = vi.fn();
    // The deadline (0 + waitMs 0) is read, then reached at the first look: one claim, then the work.
    const times = [0, 0];
    const flight = createSharedSingleFlight<Tokens>(counted, {
      namespace: 'test:refresh',
      password: PASSWORD,
      lockMs: 1_000,
      reuseMs: 2_000,
      waitMs: 0,
      parse: parseTokens,
      onFallback,
      now: () => times.shift() ?? 1,
    });
    expect((await flight.run(key, singleUseRefresh(0))).accessToken).toBe('ACCESS-PLAINTEXT-MARKER');
    expect(claims).toBe(1);
    expect(onFallback.mock.calls).toEqual([['wait_timeout']]);
  });

  it('looks at a held lock once per pollMs at most while it waits', async () => {
    const key = freshKey();
    await redis.inspector.set(redisKeysFor(key).lock, 'slow-owner', { PX: 1_000 });
    const connection = redis.connect();
    let claims = 0;
    const counted: typeof connection = { ...connection, attempt: (operation) => ((claims += 1), connection.attempt(operation)) };
    const flight = createSharedSingleFlight<Tokens>(counted, {
      namespace: 'test:refresh',
      password: PASSWORD,
      lockMs: 1_000,
      reuseMs: 2_000,
      waitMs: 300,
      pollMs: 50,
      parse: parseTokens,
    });
    await flight.run(key, singleUseRefresh(0));
    // Each look but the last is followed by a 50 ms sleep, and the last comes once 300 ms have passed: 7 looks at most.
    expect(claims).toBeLessThanOrEqual(7);
  });
});
