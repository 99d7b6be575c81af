import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { TEST_ENV } from '../../test/auth-config';
import { freePort } from '../../test/free-port';

const PROCESS_KEY = Symbol.for('authkit-starter.redis-connection');
const holder = globalThis as { [PROCESS_KEY]?: { url: string; connection: { close(): Promise<void> } } };

/** A fresh copy of the module (it reads the configuration once), imported outside the tests. */
let startup: typeof import('./startup');
beforeAll(async () => {
  vi.resetModules();
  startup = await import('./startup');
  // What startServer imports when it runs, loaded here too: module-level code runs outside the tests.
  await import('./config/redis.ts');
  await import('./session/revoked-sessions.ts');
});

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
    for (const [name, value] of Object.entries({ ...TEST_ENV, REDIS_URL: url })) vi.stubEnv(name, value);
    await startup.startServer();
    expect(holder[PROCESS_KEY]?.url).toBe(url);
  });
});
