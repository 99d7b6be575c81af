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
    set: (cookie: { name: string; value: string }) => {
      request.set.push(cookie);
      request.jar.set(cookie.name, cookie.value);
    },
    // As Next's store does: the cookie stays listed, emptied.
    delete: (name: string) => request.jar.set(name, ''),
  }),
}));

let storeAuthCookiesOfThisRequest: typeof import('./index').storeAuthCookiesOfThisRequest;
let deleteSession: typeof import('./index').deleteSession;
let refreshTokenRefused: typeof import('./index').refreshTokenRefused;
let TokenRefreshError: typeof import('@workos-inc/authkit-nextjs').TokenRefreshError;

beforeAll(async () => {
  for (const [name, value] of Object.entries(TEST_ENV)) vi.stubEnv(name, value);
  // Imported here, not in a test: module-level code runs outside the tests.
  ({ storeAuthCookiesOfThisRequest, deleteSession, refreshTokenRefused } = await import('./index'));
  ({ TokenRefreshError } = await import('@workos-inc/authkit-nextjs'));
});
afterAll(() => vi.unstubAllEnvs());
beforeEach(() => {
  request.headers = new Headers({ host: 'app.example.com' });
  request.jar.clear();
  request.set.length = 0;
});

describe('storeAuthCookiesOfThisRequest', () => {
  it('leaves a session cookie the request sent unchanged alone', async () => {
    request.headers.set('cookie', 'wos-session=sealed-a; other=1');
    request.jar.set('wos-session', 'sealed-a');
    expect(await storeAuthCookiesOfThisRequest()).toEqual({ tooLarge: false });
    expect(request.set).toEqual([]);
  });

  it('writes a session authkit saved during the request with the session attributes', async () => {
    request.jar.set('wos-session', 'sealed-b');
    expect(await storeAuthCookiesOfThisRequest()).toEqual({ tooLarge: false });
    expect(request.set[0]).toEqual(expect.objectContaining({ name: 'wos-session', value: 'sealed-b', httpOnly: true, path: '/' }));
  });
});

describe('deleteSession', () => {
  it('deletes the session in every form the request sent it in (the cookie and each chunk), under the browser’s names', async () => {
    request.headers.set('cookie', 'wos-session.0=a; wos-session.1=b; other=1');
    request.jar.set('wos-session.0', 'a');
    request.jar.set('wos-session.1', 'b');
    request.jar.set('other', '1');
    await deleteSession();
    // What the response ends up setting, per name (the last write wins): each form expired, under __Host- (TEST_ENV is
    // https without a Domain) and under authkit's own name, so the browser keeps neither.
    const last = new Map(request.set.map((cookie) => [cookie.name, cookie]));
    const expired = { value: '', path: '/', expires: new Date(0), secure: true, httpOnly: true, sameSite: 'lax' };
    expect([...last.keys()].sort()).toEqual([
      '__Host-wos-session',
      '__Host-wos-session.0',
      '__Host-wos-session.1',
      'wos-session',
      'wos-session.0',
      'wos-session.1',
    ]);
    for (const cookie of last.values()) expect(cookie).toMatchObject(expired);
  });
});

describe('refreshTokenRefused', () => {
  it('is true only for authkit’s refresh failure caused by invalid_grant (the session is over)', () => {
    expect(refreshTokenRefused(new TokenRefreshError('refresh failed', { error: 'invalid_grant' }))).toBe(true);
    expect(refreshTokenRefused(new TokenRefreshError('refresh failed', { error: 'invalid_client' }))).toBe(false);
    expect(refreshTokenRefused(new TokenRefreshError('refresh failed', new Error('fetch failed')))).toBe(false);
    expect(refreshTokenRefused(new TokenRefreshError('refresh failed'))).toBe(false);
    expect(refreshTokenRefused(Object.assign(new Error('refresh failed'), { cause: { error: 'invalid_grant' } }))).toBe(false);
  });
});
