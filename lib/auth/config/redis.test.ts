import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../../test/free-port';
import { TEST_ENV } from '../../../test/auth-config';
import { withRedisServer } from '../../../test/redis-server-for-tests';

/** Two fresh copies of the module (each reads the configuration once, on first use), imported outside the tests. */
let withoutRedis: typeof import('./redis');
let withRedis: typeof import('./redis');
let anotherCopy: typeof import('./redis');
let withServer: typeof import('./redis');

beforeAll(async () => {
  vi.resetModules();
  withoutRedis = await import('./redis');
  vi.resetModules();
  withRedis = await import('./redis');
  vi.resetModules();
  anotherCopy = await import('./redis');
  vi.resetModules();
  withServer = await import('./redis');
});
afterAll(() => vi.unstubAllEnvs());

describe('redisConnection', () => {
  it('is none without REDIS_URL', () => {
    for (const [name, value] of Object.entries(TEST_ENV)) vi.stubEnv(name, value);
    vi.stubEnv('REDIS_URL', undefined);
    expect(withoutRedis.redisConnection()).toBeUndefined();
  });

  it('is one connection per process for the configured URL, whose outages are logged without the URL', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    for (const [name, value] of Object.entries({ ...TEST_ENV, REDIS_URL: url })) vi.stubEnv(name, value);
    const connection = withRedis.redisConnection();
    expect(connection).toBeDefined();
    expect(withRedis.redisConnection()).toBe(connection);
    // Shared by every copy of the module in the process (Next bundles the proxy and the pages apart).
    expect(anotherCopy.redisConnection()).toBe(connection);

    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    // Nothing listens there: refused at once, and Redis is skipped from then on.
    expect(await connection?.attempt(async (client) => client.ping())).toEqual({ ok: false });
    expect(warn.mock.calls.map(([line]) => JSON.parse(line as string))).toEqual([
      expect.objectContaining({ event: 'shared_store_unavailable', reason: expect.stringMatching(/^\w+/) }),
    ]);
    expect(String(warn.mock.calls[0]?.[0])).not.toContain(url);
    warn.mockRestore();
    await connection?.close();
  });
});

describe('redisConnection against a real redis-server', () => {
  const redis = withRedisServer();

  it('logs a command the server refused as a failed command, with the reply’s code only (never the key)', async () => {
    for (const [name, value] of Object.entries({ ...TEST_ENV, REDIS_URL: redis.server.url })) vi.stubEnv(name, value);
    const connection = withServer.redisConnection();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(await connection?.attempt((client) => client.set('key-named-secret', 'a string'))).toEqual({ ok: true, value: 'OK' });
      expect(await connection?.attempt((client) => client.lPush('key-named-secret', 'x'))).toEqual({ ok: false });
      // A reply that does not start with a code names none (the words after it could be a key's).
      const script = "return redis.error_reply('failed on key-named-SECRET')";
      expect(await connection?.attempt((client) => client.eval(script))).toEqual({ ok: false });
      expect(warn.mock.calls.map(([line]) => JSON.parse(line as string))).toEqual([
        expect.objectContaining({ event: 'shared_store_command_failed', reason: 'SimpleError reply=WRONGTYPE' }),
        expect.objectContaining({ event: 'shared_store_command_failed', reason: 'SimpleError' }),
      ]);
    } finally {
      warn.mockRestore();
      await connection?.close();
    }
  });
});
