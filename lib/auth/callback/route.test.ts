/**
 * The callback's failure path: authkit refuses before any code exchange (no call
 * to WorkOS), and the route answers with the error page on the allowed origin.
 */
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { TEST_ENV } from '../../../test/auth-config';

/** Next's cookie store and request headers, as the route handler sees them. */
const next = vi.hoisted(() => ({ headers: new Headers(), jar: new Map<string, string>() }));
vi.mock('next/headers', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  headers: async () => next.headers,
  cookies: async () => ({
    get: (name: string) => (next.jar.has(name) ? { name, value: next.jar.get(name) } : undefined),
    getAll: () => [...next.jar].map(([name, value]) => ({ name, value })),
    set: () => undefined,
    delete: () => undefined,
  }),
}));

let callbackRoute: typeof import('./route').callbackRoute;

beforeAll(async () => {
  for (const [name, value] of Object.entries(TEST_ENV)) vi.stubEnv(name, value);
  callbackRoute = (await import('./route')).callbackRoute;
});
afterAll(() => vi.unstubAllEnvs());
beforeEach(() => {
  next.jar.clear();
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  // authkit logs each refused callback itself.
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

async function callback(query: string, { cookie, host = 'app.example.com' }: { cookie?: string; host?: string } = {}) {
  const headers: Record<string, string> = { host };
  if (cookie) headers.cookie = cookie;
  next.headers = new Headers(headers);
  for (const part of (cookie ?? '').split('; ').filter(Boolean)) {
    const [name = '', value = ''] = part.split('=');
    next.jar.set(name, value);
  }
  return callbackRoute()(new NextRequest(`https://${host}/api/auth/callback${query}`, { headers }));
}

const errorPage = (response: Response) => {
  const location = new URL(response.headers.get('location') ?? '');
  return { path: `${location.origin}${location.pathname}`, code: location.searchParams.get('code'), ref: location.searchParams.get('ref') };
};

describe('callbackRoute, refused before the code exchange', () => {
  it('no verifier cookie: 303 to the error page on this origin, missing_verifier, with a reference that is also logged', async () => {
    const response = await callback('?code=c&state=s');
    expect(response.status).toBe(303);
    const page = errorPage(response);
    expect(page).toMatchObject({ path: 'https://app.example.com/auth/error', code: 'missing_verifier' });
    expect(page.ref).toMatch(/^[a-hjkmnp-z2-9]{10}$/);
    const logged = vi.mocked(console.warn).mock.calls.map(([line]) => JSON.parse(line as string));
    expect(logged).toEqual([expect.objectContaining({ event: 'sign_in_failed', code: 'missing_verifier', reference: page.ref })]);
  });

  it('a verifier for another sign-in: invalid_state, and every verifier this browser holds expired', async () => {
    const response = await callback('?code=c&state=s', { cookie: 'wos-auth-verifier-aaaa=1.x; wos-auth-verifier-bbbb=2.y; other=1' });
    expect(errorPage(response).code).toBe('invalid_state');
    const cleared = response.headers.getSetCookie().map((line) => line.split(';')[0]);
    // authkit's own deletion of the verifier named after the returned state comes with them.
    expect(cleared).toEqual(expect.arrayContaining(['wos-auth-verifier-aaaa=', 'wos-auth-verifier-bbbb=']));
    expect(cleared.filter((cookie) => !cookie?.startsWith('wos-auth-verifier-'))).toEqual([]);
  });

  it('a host that is not on the allow-list reads as a redirect URI mismatch, and the error page stays on the configured origin', async () => {
    const response = await callback('?code=c&state=s', { host: '127.0.0.1:3000' });
    expect(errorPage(response)).toMatchObject({ path: 'https://app.example.com/auth/error', code: 'redirect_uri_mismatch' });
  });

  it('the provider’s own error (a cancel) is access_denied', async () => {
    expect(errorPage(await callback('?error=access_denied&state=s')).code).toBe('access_denied');
  });
});
