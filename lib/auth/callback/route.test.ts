/**
 * The callback's failure paths. Sent back with the identity provider's own `error`
 * (a cancel, a misconfigured SSO connection): the person is told on the error page,
 * and the server logs one line with the provider's code, never a stack trace.
 * Refused by authkit before any code exchange (no verifier, another sign-in's
 * state, a host off the allow-list): the error page on the allowed origin, with
 * a reference that is also logged.
 */
import { NextRequest } from 'next/server';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { useAuthkitAgainstMock } from '../../../test/authkit-against-mock';
import { lightVerifierValue } from '../authkit/verifier-cookies';

/** Next's request headers and cookie store, as the route handler reads them after authkit. */
const next = vi.hoisted(() => ({ headers: new Headers(), jar: new Map<string, string>() }));
vi.mock('next/headers', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  headers: async () => next.headers,
  cookies: async () => ({
    get: (name: string) => (next.jar.has(name) ? { name, value: next.jar.get(name) } : undefined),
    getAll: () => [...next.jar].map(([name, value]) => ({ name, value })),
    set: (nameOrCookie: string | { name: string; value: string }, value?: string) => {
      const cookie = typeof nameOrCookie === 'string' ? { name: nameOrCookie, value: value ?? '' } : nameOrCookie;
      next.jar.set(cookie.name, cookie.value);
    },
    delete: () => undefined,
  }),
}));

const { running, signInAt } = useAuthkitAgainstMock();
let callback: (request: NextRequest) => Promise<Response>;
let routes: typeof import('./route');
let getSignInUrl: typeof import('../authkit').getSignInUrl;

beforeAll(async () => {
  routes = await import('./route');
  callback = routes.callbackRoute();
  ({ getSignInUrl } = await import('../authkit'));
});
afterEach(() => vi.restoreAllMocks());

describe('the callback, sent back with the provider’s error', () => {
  it.each([
    ['access_denied', 'access_denied'],
    ['sso_connection_misconfigured', 'sso_failed'],
  ])('error=%s: the %s page, one log line with the provider’s code, no stack', async (providerError, code) => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const response = await callback(
      new NextRequest(`http://localhost:3000/api/auth/callback?error=${providerError}&error_description=Nope&state=abc`, {
        headers: { cookie: 'wos-auth-verifier-1=x' },
      }),
    );
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(new RegExp(`^http://localhost:3000/auth/error\\?code=${code}&ref=[a-z0-9]{10}$`));
    expect(response.headers.get('cache-control')).toContain('no-store');
    expect(error).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledTimes(1);
    const line = String(warn.mock.calls[0]![0]);
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toMatchObject({ event: 'sign_in_failed', code, providerError, reason: 'returned with an error' });
  });
});

describe('the callback, sent back with a provider’s error, on the host the browser used', () => {
  it('reads the error on that host too, and logs at most 64 characters of it', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const long = `e${'x'.repeat(79)}`;
    const response = await callback(
      new NextRequest(`http://localhost:3000/api/auth/callback?error=${long}&state=abc`, { headers: { host: 'localhost:3000' } }),
    );
    expect(response.status).toBe(303);
    expect(new URL(response.headers.get('location') ?? '').searchParams.get('code')).toBe('sso_failed');
    expect(JSON.parse(String(warn.mock.calls[0]![0]))).toMatchObject({
      providerError: long.slice(0, 64),
      reason: 'returned with an error',
    });
  });
});

describe('the callback, refused by authkit before the code exchange', () => {
  // The mock's redirect URI (test/authkit-against-mock.ts).
  const origin = 'http://localhost:3000';
  const errorPage = (response: Response) => {
    const location = new URL(response.headers.get('location') ?? '');
    return {
      path: `${location.origin}${location.pathname}`,
      code: location.searchParams.get('code'),
      ref: location.searchParams.get('ref'),
    };
  };
  const refused = async (query: string, { cookie, host = new URL(origin).host }: { cookie?: string; host?: string } = {}) => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const headers: Record<string, string> = { host, ...(cookie ? { cookie } : {}) };
    next.headers = new Headers(headers);
    next.jar = new Map(
      (cookie ?? '')
        .split('; ')
        .filter(Boolean)
        .map((part) => part.split('=') as [string, string]),
    );
    const response = await callback(new NextRequest(`${origin}/api/auth/callback${query}`, { headers }));
    return { response, logged: warn.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>) };
  };

  it('no verifier cookie: 303 to the missing_verifier page on this origin, with a reference that is also logged', async () => {
    const { response, logged } = await refused('?code=c&state=s');
    expect(response.status).toBe(303);
    const page = errorPage(response);
    expect(page).toMatchObject({ path: `${origin}/auth/error`, code: 'missing_verifier' });
    expect(page.ref).toMatch(/^[a-hjkmnp-z2-9]{10}$/);
    expect(logged).toEqual([
      expect.objectContaining({
        event: 'sign_in_failed',
        code: 'missing_verifier',
        reference: page.ref,
        reason: 'CallbackError code=missing_pkce_cookie',
      }),
    ]);
    expect(logged[0]).not.toHaveProperty('providerError');
  });

  it('verifiers of other sign-ins only: invalid_state, and those sign-ins go on (no verifier expired)', async () => {
    const others = `wos-auth-verifier-aaaa=${await lightVerifierValue('other-1')}; wos-auth-verifier-bbbb=${await lightVerifierValue('other-2')}`;
    const { response } = await refused('?code=c&state=s', { cookie: others });
    expect(errorPage(response).code).toBe('invalid_state');
    // Only authkit's deletion of the verifier named after the returned state (a hash of it), which this browser does not hold.
    const cleared = response.headers.getSetCookie().map((line) => line.split(';')[0]);
    expect(cleared).toEqual([expect.stringMatching(/^wos-auth-verifier-[0-9a-f]{8}=$/)]);
  });

  it('a host that is not on the allow-list reads as a redirect URI mismatch, and the error page stays on the configured origin', async () => {
    const { response } = await refused('?code=c&state=s', { host: '127.0.0.1:3000' });
    expect(errorPage(response)).toMatchObject({ path: `${origin}/auth/error`, code: 'redirect_uri_mismatch' });
  });
});

describe('the callback, after a sign-in at WorkOS', () => {
  const origin = 'http://localhost:3000';
  /** /auth/sign-in's start (authkit's URL and the verifier cookie it sets), a sign-in at the mock, and the callback it sends back to. */
  async function signedInCallback(options: { role?: string; hooks?: Array<() => Promise<void>> } = {}) {
    next.headers = new Headers({ host: 'localhost:3000' });
    next.jar = new Map();
    const authorizationUrl = await getSignInUrl({ redirectUri: `${origin}/api/auth/callback`, returnTo: '/projects?tab=2' });
    const verifier = [...next.jar].find(([name]) => name.startsWith('wos-auth-verifier-'));
    expect(verifier?.[1]).toMatch(/^[0-9a-z]{1,12}\.[A-Za-z0-9_-]{22}$/);
    const { userId, code, state } = await signInAt(authorizationUrl, options);
    const cookie = `${verifier![0]}=${verifier![1]}`;
    next.headers = new Headers({ host: 'localhost:3000', cookie });
    next.jar = new Map([verifier!]);
    const response = await routes.callbackRoute({ onSignIn: options.hooks ?? [] })(
      new NextRequest(`${origin}/api/auth/callback?${new URLSearchParams({ code, state: state ?? '' })}`, {
        headers: { host: 'localhost:3000', cookie },
      }),
    );
    return { userId, response, verifierName: verifier![0] };
  }

  it('exchanges the code, stores the session, runs the sign-in hooks with the event, logs one line, and goes to the return path', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    const hook = vi.fn(async () => undefined);
    const { userId, response } = await signedInCallback({ hooks: [hook] });
    expect(response.status).toBe(307);
    expect(response.headers.get('location')).toBe(`${origin}/projects?tab=2`);
    expect(next.jar.get('wos-session')).toMatch(/^Fe26\.2\*/);
    expect(hook.mock.calls).toEqual([
      [expect.objectContaining({ user: expect.objectContaining({ id: userId }), authenticationMethod: 'Password' })],
    ]);
    expect(info.mock.calls.map(([line]) => JSON.parse(String(line)))).toEqual([
      expect.objectContaining({ event: 'sign_in', userId, method: 'Password' }),
    ]);
  });

  it('a session too large for any cookie form: the error page instead, nothing stored, the used verifier deleted, never cached', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const permissions = Array.from({ length: 400 }, (_, index) => `callback:permission-number-${index}`);
    await running.control.createRole({ slug: 'callback-huge', permissions });
    const { userId, response, verifierName } = await signedInCallback({ role: 'callback-huge' });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(`${origin}/auth/error`);
    expect(location.searchParams.get('code')).toBe('session_too_large');
    expect(response.headers.get('cache-control')).toBe('private, no-store, max-age=0');
    expect(response.headers.getSetCookie().map((line) => line.slice(0, line.indexOf(';')))).toEqual([`${verifierName}=`]);
    expect(warn.mock.calls.map(([line]) => JSON.parse(String(line)))).toEqual([
      expect.objectContaining({ event: 'session_too_large', userId, reference: location.searchParams.get('ref'), during: 'sign_in' }),
    ]);
  });
});

describe('the callback, sent back with a provider’s error for a sign-in this browser started', () => {
  it('expires the verifier the state names, and only that one', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const cookie = `wos-auth-verifier-aaaa=${await lightVerifierValue('state-1')}; wos-auth-verifier-bbbb=${await lightVerifierValue('state-2')}`;
    const response = await callback(
      new NextRequest('http://localhost:3000/api/auth/callback?error=access_denied&state=state-1', { headers: { cookie } }),
    );
    expect(response.headers.getSetCookie()).toEqual([
      'wos-auth-verifier-aaaa=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=lax',
    ]);
  });
});
