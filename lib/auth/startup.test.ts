import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TEST_ENV } from '../../test/auth-config';
import { freePort } from '../../test/free-port';

const PROCESS_KEY = Symbol.for('authkit-starter.redis-connection');
const holder = globalThis as { [PROCESS_KEY]?: { url: string; connection: { close(): Promise<void> } } };

/** A fresh copy of the module, so the configuration is read from this test's environment. */
async function startServer(env: Record<string, string | undefined>) {
  for (const [name, value] of Object.entries({ ...TEST_ENV, ...env })) vi.stubEnv(name, value);
  vi.resetModules();
  await (await import('./startup')).startServer();
}

beforeEach(() => {
  // Nothing listens on the test's Redis URL: the connection logs that it is unavailable.
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(async () => {
  await holder[PROCESS_KEY]?.connection.close();
  delete holder[PROCESS_KEY];
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('startServer', () => {
  it('checks the configuration and opens the Redis connection up front, so the first request does not wait for it', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    await startServer({ REDIS_URL: url });
    expect(holder[PROCESS_KEY]?.url).toBe(url);
  });

  it('opens nothing without REDIS_URL', async () => {
    await startServer({ REDIS_URL: undefined });
    expect(holder[PROCESS_KEY]).toBeUndefined();
  });
});
