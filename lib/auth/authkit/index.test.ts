import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { TEST_ENV } from '../../../test/auth-config';

/** The request's headers and Next's cookie store, as a route handler or server action sees them. */
const request = vi.hoisted(() => ({
  headers: new Headers(),
  jar: new Map<string, string>(),
  set: [] as Array<{ name: string; value: string }>,
}));
vi.mock('next/headers', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  headers: async () => request.headers,
  cookies: async () => ({
    getAll: () => [...request.jar].map(([name, value]) => ({ name, value })),
    set: (cookie: { name: string; value: string }) => request.set.push(cookie),
  }),
}));

beforeAll(() => {
  for (const [name, value] of Object.entries(TEST_ENV)) vi.stubEnv(name, value);
});
afterAll(() => vi.unstubAllEnvs());
beforeEach(() => {
  request.headers = new Headers({ host: 'app.example.com' });
  request.jar.clear();
  request.set.length = 0;
});

describe('storeAuthCookiesOfThisRequest', () => {
  it('leaves a session cookie the request sent unchanged alone', async () => {
    const { storeAuthCookiesOfThisRequest } = await import('./index');
    request.headers.set('cookie', 'wos-session=sealed-a; other=1');
    request.jar.set('wos-session', 'sealed-a');
    expect(await storeAuthCookiesOfThisRequest()).toEqual({ tooLarge: false });
    expect(request.set).toEqual([]);
  });

  it('writes a session authkit saved during the request with the session attributes', async () => {
    const { storeAuthCookiesOfThisRequest } = await import('./index');
    request.jar.set('wos-session', 'sealed-b');
    expect(await storeAuthCookiesOfThisRequest()).toEqual({ tooLarge: false });
    expect(request.set[0]).toEqual(expect.objectContaining({ name: 'wos-session', value: 'sealed-b', httpOnly: true, path: '/' }));
  });
});
