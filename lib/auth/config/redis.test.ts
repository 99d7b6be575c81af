import { afterAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../../test/free-port';
import { TEST_ENV } from '../../../test/auth-config';

afterAll(() => vi.unstubAllEnvs());

describe('redisConnection', () => {
  it('is none without REDIS_URL', async () => {
    vi.resetModules();
    for (const [name, value] of Object.entries(TEST_ENV)) vi.stubEnv(name, value);
    vi.stubEnv('REDIS_URL', undefined);
    const { redisConnection } = await import('./redis');
    expect(redisConnection()).toBeUndefined();
  });

  it('is one connection per process for the configured URL, whose outages are logged without the URL', async () => {
    vi.resetModules();
    const url = `redis://127.0.0.1:${await freePort()}`;
    for (const [name, value] of Object.entries({ ...TEST_ENV, REDIS_URL: url })) vi.stubEnv(name, value);
    const { redisConnection } = await import('./redis');
    const connection = redisConnection();
    expect(connection).toBeDefined();
    expect(redisConnection()).toBe(connection);
    // Shared by every copy of the module in the process (Next bundles the proxy and the pages apart).
    vi.resetModules();
    expect((await import('./redis')).redisConnection()).toBe(connection);

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
