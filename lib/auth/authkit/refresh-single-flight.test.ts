import { describe, expect, it, vi } from 'vitest';
import { freePort } from '../../../test/free-port';
import { BOUND_MARGIN, TEST_REDIS_TIMEOUTS, withRedisServer } from '../../../test/redis-server-for-tests';
import { createSharedSingleFlight } from './shared-single-flight';
import { WORKOS_REQUEST_TIMEOUT_MS } from './client';
import {
  REFRESH_RESULT_REUSE_MS,
  RefreshResponseError,
  SHARED_REFRESH_LOCK_MS,
  SHARED_REFRESH_WAIT_MS,
  assertUsableRefresh,
  singleFlightRefresh,
  type RefreshFunction,
  type SharedRefreshFlight,
} from './refresh-single-flight';

type Result = Awaited<ReturnType<RefreshFunction>>;

function jwt(claims: object): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256' })}.${part(claims)}.sig`;
}

function result(userId: string, n: number): Result {
  return {
    user: { id: userId } as Result['user'],
    accessToken: jwt({ sub: userId, n }),
    refreshToken: `refresh-${n}`,
  } as Result;
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const options = (refreshToken: string, organizationId?: string) => ({ clientId: 'client_x', refreshToken, organizationId });

describe('singleFlightRefresh', () => {
  it('shares one call between concurrent refreshes of the same token', async () => {
    const pending = deferred<Result>();
    const refresh = vi.fn<RefreshFunction>(() => pending.promise);
    const single = singleFlightRefresh(refresh);
    const calls = Array.from({ length: 5 }, () => single(options('r1')));
    pending.resolve(result('user_1', 1));
    const answers = await Promise.all(calls);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(new Set(answers.map((answer) => answer.accessToken)).size).toBe(1);
  });

  it('reuses a fresh result for late requests for 10 s, then calls again', async () => {
    let now = 1_000_000;
    let n = 0;
    const refresh = vi.fn<RefreshFunction>(async () => result('user_1', ++n));
    const single = singleFlightRefresh(refresh, { now: () => now });
    const first = await single(options('r1'));
    now += 9_999;
    expect(await single(options('r1'))).toBe(first);
    expect(refresh).toHaveBeenCalledTimes(1);
    now += 1;
    await single(options('r1'));
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('keeps different tokens and different organizations apart', async () => {
    let n = 0;
    const refresh = vi.fn<RefreshFunction>(async () => result('user_1', ++n));
    const single = singleFlightRefresh(refresh);
    await Promise.all([single(options('r1')), single(options('r2')), single(options('r1', 'org_a'))]);
    expect(refresh).toHaveBeenCalledTimes(3);
  });

  it('shares a failure only while in flight, never caches it', async () => {
    const pending = deferred<Result>();
    const refresh = vi.fn<RefreshFunction>().mockReturnValueOnce(pending.promise).mockResolvedValueOnce(result('user_1', 2));
    const single = singleFlightRefresh(refresh);
    const both = Promise.allSettled([single(options('r1')), single(options('r1'))]);
    pending.reject(Object.assign(new Error('boom'), { status: 503 }));
    expect((await both).map((settled) => settled.status)).toEqual(['rejected', 'rejected']);
    expect(refresh).toHaveBeenCalledTimes(1);
    await expect(single(options('r1'))).resolves.toMatchObject({ refreshToken: 'refresh-2' });
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('refuses unusable answers and does not reuse them', async () => {
    const refresh = vi.fn<RefreshFunction>(async () => ({ ...result('user_1', 1), accessToken: '' }) as Result);
    const single = singleFlightRefresh(refresh);
    await expect(single(options('r1'))).rejects.toBeInstanceOf(RefreshResponseError);
    await expect(single(options('r1'))).rejects.toBeInstanceOf(RefreshResponseError);
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('stays bounded under a flood of distinct tokens: 1,000 results are kept, the 1,001st pushes out the oldest', async () => {
    const flood = async (tokens: number) => {
      const refresh = vi.fn<RefreshFunction>(async () => result('user_1', 1));
      const single = singleFlightRefresh(refresh);
      for (let i = 0; i < tokens; i += 1) await single(options(`r${i}`));
      await single(options('r0'));
      return refresh.mock.calls.length;
    };
    // 1,000 tokens: the first one's result is still there.
    expect(await flood(1_000)).toBe(1_000);
    // One more: it was forgotten, so asking again calls through.
    expect(await flood(1_001)).toBe(1_002);
  });

  it('answers the requests waiting on a refresh that the flood pushed out', async () => {
    const pending = deferred<Result>();
    const refresh = vi.fn<RefreshFunction>(async () => result('user_1', 1)).mockReturnValueOnce(pending.promise);
    const single = singleFlightRefresh(refresh);
    const waiting = single(options('r-pending'));
    for (let i = 0; i < 1_000; i += 1) await single(options(`r${i}`));
    pending.resolve(result('user_1', 2));
    await expect(waiting).resolves.toMatchObject({ refreshToken: 'refresh-2' });
  });
});

describe('singleFlightRefresh across copies of this module (Next bundles the proxy and the pages separately)', () => {
  it('shares one call between the proxy’s copy and a server action’s copy in the same process', async () => {
    vi.resetModules();
    const proxyCopy = await import('./refresh-single-flight');
    vi.resetModules();
    const actionCopy = await import('./refresh-single-flight');
    expect(actionCopy.singleFlightRefresh).not.toBe(proxyCopy.singleFlightRefresh);
    const pending = deferred<Result>();
    const refresh = vi.fn(() => pending.promise);
    const options = { clientId: 'client_1', refreshToken: 'refresh-cross-bundle' };
    const fromProxy = proxyCopy.singleFlightRefresh(refresh, { processWide: true })(options);
    const fromAction = actionCopy.singleFlightRefresh(refresh, { processWide: true })(options);
    pending.resolve(result('user_1', 1));
    expect(await fromAction).toBe(await fromProxy);
    expect(refresh).toHaveBeenCalledTimes(1);
  });
});

describe('assertUsableRefresh', () => {
  it('accepts an answer whose token is about the user returned', () => {
    const answer = result('user_1', 1);
    expect(assertUsableRefresh(answer)).toBe(answer);
  });

  it('treats missing tokens as a bad gateway (transient: the cookie is kept)', () => {
    for (const broken of [{ accessToken: undefined }, { refreshToken: '' }, { accessToken: 42 }]) {
      const error = (() => {
        try {
          assertUsableRefresh({ ...result('user_1', 1), ...broken } as unknown as Result);
        } catch (caught) {
          return caught;
        }
      })();
      expect(error).toBeInstanceOf(RefreshResponseError);
      expect((error as RefreshResponseError).status).toBe(502);
    }
  });

  it('says what is wrong: tokens missing (a refresh token that is not a string counts), or the user', () => {
    expect(() => assertUsableRefresh({ ...result('user_1', 1), refreshToken: 42 } as unknown as Result)).toThrow(
      'refresh response is missing tokens',
    );
    expect(() => assertUsableRefresh({ ...result('user_1', 1), user: { id: 'user_2' } } as unknown as Result)).toThrow(
      'refresh response user does not match its access token',
    );
  });

  it('treats a token for someone else, or an undecodable token, as terminal', () => {
    for (const broken of [
      { accessToken: jwt({ sub: 'user_2' }) },
      { accessToken: 'not-a-jwt' },
      { accessToken: 'a.%%%.c' },
      { user: undefined },
    ]) {
      expect(() => assertUsableRefresh({ ...result('user_1', 1), ...broken } as unknown as Result)).toThrow(
        expect.objectContaining({ name: 'RefreshResponseError', status: undefined }),
      );
    }
  });
});

describe('singleFlightRefresh shared through Redis (two instances)', () => {
  const PASSWORD = 'refresh-single-flight-test-password-0123456789';
  const redis = withRedisServer();

  /** What sharedRefreshFlight() builds, on a connection of the test's own. */
  function sharedFlight(url?: string): SharedRefreshFlight {
    return createSharedSingleFlight(redis.connect(url), {
      namespace: 'authkit:refresh',
      password: PASSWORD,
      lockMs: SHARED_REFRESH_LOCK_MS,
      reuseMs: REFRESH_RESULT_REUSE_MS,
      waitMs: SHARED_REFRESH_WAIT_MS,
      parse: (value) => assertUsableRefresh(value as Result),
    });
  }

  const ENDPOINT_MS = 50;

  /** WorkOS' token endpoint as both instances see it: each refresh token works once. */
  function tokenEndpoint() {
    const spent = new Set<string>();
    let n = 0;
    return vi.fn<RefreshFunction>(async (options) => {
      await new Promise((resolve) => setTimeout(resolve, ENDPOINT_MS));
      if (spent.has(options.refreshToken)) throw Object.assign(new Error('invalid_grant'), { status: 400 });
      spent.add(options.refreshToken);
      return result('user_1', ++n);
    });
  }

  it('sharedRefreshFlight: none without REDIS_URL; with it, one flight on the process connection, under authkit:refresh', async () => {
    const env = {
      WORKOS_CLIENT_ID: 'client_01TEST',
      WORKOS_API_KEY: 'sk_test_x',
      WORKOS_COOKIE_PASSWORD: PASSWORD,
      NEXT_PUBLIC_WORKOS_REDIRECT_URI: 'https://app.example.com/api/auth/callback',
    };
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    vi.stubEnv('REDIS_URL', undefined);
    vi.resetModules();
    expect((await import('./refresh-single-flight')).sharedRefreshFlight()).toBeUndefined();

    vi.stubEnv('REDIS_URL', redis.server.url);
    vi.resetModules();
    const fresh = await import('./refresh-single-flight');
    const flight = fresh.sharedRefreshFlight();
    try {
      expect(flight).toBeDefined();
      expect(fresh.sharedRefreshFlight()).toBe(flight);
      const key = `shared-${Date.now()}`;
      expect(await flight?.run(key, async () => result('user_1', 7))).toMatchObject({ refreshToken: 'refresh-7' });
      const stored = (await redis.inspector.keys('authkit:refresh:*')).filter((name) => name.endsWith(':result'));
      expect(stored.length).toBeGreaterThan(0);
      // A stored result it cannot read: it refreshes itself, and says so.
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      await redis.inspector.set(stored[0] ?? '', 'not-a-seal', { PX: 5_000 });
      const other = vi.fn(async () => result('user_1', 8));
      await flight?.run(key, other);
      expect(other).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls.map(([line]) => JSON.parse(line as string))).toEqual([
        expect.objectContaining({ event: 'shared_refresh_fallback', reason: 'unreadable_result' }),
      ]);
      warn.mockRestore();
    } finally {
      vi.unstubAllEnvs();
      const holder = globalThis as { [key: symbol]: { connection: { close(): Promise<void> } } | undefined };
      await holder[Symbol.for('authkit-starter.redis-connection')]?.connection.close();
      delete holder[Symbol.for('authkit-starter.redis-connection')];
    }
  });

  it('spends the refresh token once for 20 concurrent refreshes split across two instances', async () => {
    const endpoint = tokenEndpoint();
    const instances = [0, 1].map(() => {
      const flight = sharedFlight();
      return singleFlightRefresh(endpoint, { shared: () => flight });
    });
    const answers = await Promise.all(Array.from({ length: 20 }, (_, index) => instances[index % 2]?.(options('r-shared'))));
    expect(endpoint).toHaveBeenCalledTimes(1);
    expect(new Set(answers.map((answer) => answer?.refreshToken))).toEqual(new Set(['refresh-1']));
  });

  it('an instance that asks later, within the reuse window, gets the same rotated pair', async () => {
    const endpoint = tokenEndpoint();
    const [first, second] = [0, 1].map(() => {
      const flight = sharedFlight();
      return singleFlightRefresh(endpoint, { shared: () => flight });
    });
    const early = await first?.(options('r-late'));
    const late = await second?.(options('r-late'));
    expect(late).toEqual(early);
    expect(endpoint).toHaveBeenCalledTimes(1);
  });

  it('refreshes per process when Redis refuses connections: no exception, within the connect timeout', async () => {
    const endpoint = tokenEndpoint();
    const url = `redis://127.0.0.1:${await freePort()}`;
    const flight = sharedFlight(url);
    const single = singleFlightRefresh(endpoint, { shared: () => flight });
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: 5 }, () => single(options('r-down'))));
    expect(performance.now() - started).toBeLessThan(TEST_REDIS_TIMEOUTS.connectTimeoutMs * BOUND_MARGIN + ENDPOINT_MS);
    expect(endpoint).toHaveBeenCalledTimes(1);
    expect(new Set(answers.map((answer) => answer.refreshToken)).size).toBe(1);
  });

  it('refreshes per process when Redis stops answering (SIGSTOP): no exception, within the command timeout', async () => {
    const endpoint = tokenEndpoint();
    const flight = sharedFlight();
    const single = singleFlightRefresh(endpoint, { shared: () => flight });
    await single(options('r-warm'));
    redis.server.pause();
    const started = performance.now();
    await expect(single(options('r-paused'))).resolves.toMatchObject({ refreshToken: 'refresh-2' });
    expect(performance.now() - started).toBeLessThan(TEST_REDIS_TIMEOUTS.commandTimeoutMs * BOUND_MARGIN + ENDPOINT_MS);
  });

  it('holds the shared lock longer than a refresh may take', () => {
    expect(SHARED_REFRESH_LOCK_MS).toBeGreaterThan(WORKOS_REQUEST_TIMEOUT_MS);
    expect(SHARED_REFRESH_WAIT_MS).toBeGreaterThan(SHARED_REFRESH_LOCK_MS);
  });
});
