import { NextRequest } from 'next/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { TEST_ENV } from '../../../test/auth-config';
import { lightVerifierValue } from '../authkit/verifier-cookies';
import { authorizationRoute, parseAuthorizationRequest, type AuthorizationRequest } from './route';

/** authkit's side of the route: who is signed in, and the AuthKit URLs it was asked for. */
const authkit = vi.hoisted(() => ({
  user: undefined as { id: string; email: string } | undefined,
  organizationId: undefined as string | undefined,
  asked: [] as Array<[string, unknown]>,
}));
vi.mock('../authkit', () => ({
  withAuth: async () => ({ user: authkit.user, organizationId: authkit.organizationId }),
  getSignInUrl: async (options: unknown) => {
    authkit.asked.push(['sign-in', options]);
    return 'https://authkit.example/sign-in';
  },
  getSignUpUrl: async (options: unknown) => {
    authkit.asked.push(['sign-up', options]);
    return 'https://authkit.example/sign-up';
  },
}));
/** The cookies the route sets through Next's cookie store (the verifiers it expires). */
const jar = vi.hoisted(() => ({ set: [] as Array<{ name: string; value: string }> }));
vi.mock('next/headers', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  cookies: async () => ({ set: (cookie: { name: string; value: string }) => jar.set.push(cookie) }),
}));

function parse(query: Record<string, string> | string = {}): AuthorizationRequest {
  return parseAuthorizationRequest('sign-in', new URLSearchParams(query));
}

describe('parseAuthorizationRequest', () => {
  it('reads a full, valid request', () => {
    const request = parseAuthorizationRequest(
      'sign-up',
      new URLSearchParams({ returnTo: '/dashboard/admin?tab=users', loginHint: 'ada@example.com', organizationId: 'org_01ABC' }),
    );
    expect(request).toEqual({
      intent: 'sign-up',
      returnTo: '/dashboard/admin?tab=users',
      loginHint: 'ada@example.com',
      organizationId: 'org_01ABC',
      maxAge: undefined,
    });
  });

  it('applies defaults to an empty query', () => {
    expect(parse()).toEqual({
      intent: 'sign-in',
      returnTo: '/dashboard',
      loginHint: undefined,
      organizationId: undefined,
      maxAge: undefined,
    });
  });

  describe('maxAge (step-up)', () => {
    it.each([
      ['0', 0],
      ['600', 600],
      ['31622400', 31_622_400],
    ])('keeps %j seconds', (maxAge, seconds) => {
      expect(parse({ maxAge }).maxAge).toBe(seconds);
    });

    it.each([['-1'], ['1.5'], ['5m'], ['0600'], [' 600'], ['31622401'], ['999999999'], ['']])('drops %j', (maxAge) => {
      expect(parse({ maxAge }).maxAge).toBeUndefined();
    });
  });

  describe('returnTo', () => {
    it('keeps a same-origin path', () => {
      expect(parse({ returnTo: '/dashboard/settings?tab=1' }).returnTo).toBe('/dashboard/settings?tab=1');
    });

    it.each([
      ['https://evil.example'],
      ['//evil.example'],
      ['/\\evil.example'],
      ['/%2F%2Fevil.example'],
      ['javascript:alert(1)'],
      ['/auth/sign-in'],
      [''],
    ])('falls back to /dashboard for %j', (returnTo) => {
      expect(parse({ returnTo }).returnTo).toBe('/dashboard');
    });

    it('sees the decoded value, so a query-encoded // is still caught', () => {
      expect(parse('returnTo=%2F%2Fevil.example').returnTo).toBe('/dashboard');
    });
  });

  describe('loginHint', () => {
    it.each([['ada@example.com'], ['ada.lovelace+work@mail.example.co.uk']])('keeps the email %j', (loginHint) => {
      expect(parse({ loginHint }).loginHint).toBe(loginHint);
    });

    it.each([
      ['not an email', 'ada'],
      ['no dot in the domain', 'ada@example'],
      ['two @', 'ada@@example.com'],
      ['a space', 'ada lovelace@example.com'],
      ['angle brackets', '<ada@example.com>'],
      ['a CRLF', 'ada@example.com\r\nBcc: x@example.com'],
      ['empty', ''],
    ])('drops %s', (_label, loginHint) => {
      expect(parse({ loginHint }).loginHint).toBeUndefined();
    });

    it('keeps 254 characters and drops 255', () => {
      const at254 = `${'a'.repeat(254 - '@example.com'.length)}@example.com`;
      expect(at254).toHaveLength(254);
      expect(parse({ loginHint: at254 }).loginHint).toBe(at254);
      expect(parse({ loginHint: `a${at254}` }).loginHint).toBeUndefined();
    });
  });

  describe('organizationId', () => {
    it('keeps a WorkOS organization id', () => {
      expect(parse({ organizationId: 'org_01ABC' }).organizationId).toBe('org_01ABC');
    });

    it.each([
      ['path traversal', 'org_../x'],
      ['a bare word', 'evil'],
      ['an empty suffix', 'org_'],
      ['a slash', 'org_01ABC/users'],
      ['upper-case prefix', 'ORG_01ABC'],
      ['a trailing newline', 'org_01ABC\n'],
      ['65 characters after the prefix', `org_${'A'.repeat(65)}`],
    ])('drops %s', (_label, organizationId) => {
      expect(parse({ organizationId }).organizationId).toBeUndefined();
    });
  });
});

describe('authorizationRoute', () => {
  beforeAll(() => {
    for (const [name, value] of Object.entries(TEST_ENV)) vi.stubEnv(name, value);
  });
  afterAll(() => vi.unstubAllEnvs());
  beforeEach(() => {
    authkit.user = undefined;
    authkit.organizationId = undefined;
    authkit.asked.length = 0;
    jar.set.length = 0;
  });

  const get = (path: string, cookie?: string) => new NextRequest(`https://app.example.com${path}`, { headers: cookie ? { cookie } : {} });
  const QUERY = '?returnTo=%2Fprojects&loginHint=ada%40example.com&organizationId=org_123';

  it('sends a visitor to AuthKit with the validated query, the callback on this origin and the custom state', async () => {
    const customState = vi.fn(() => 'custom');
    const response = await authorizationRoute('sign-in', { customState })(get(`/auth/sign-in${QUERY}`));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('https://authkit.example/sign-in');
    expect(authkit.asked).toEqual([
      [
        'sign-in',
        {
          redirectUri: 'https://app.example.com/api/auth/callback',
          returnTo: '/projects',
          loginHint: 'ada@example.com',
          organizationId: 'org_123',
          maxAge: undefined,
          state: 'custom',
        },
      ],
    ]);
    expect(customState).toHaveBeenCalledWith(expect.any(NextRequest), 'sign-in');
  });

  it('asks for the sign-up URL on /auth/sign-up', async () => {
    const response = await authorizationRoute('sign-up')(get('/auth/sign-up'));
    expect(response.headers.get('location')).toBe('https://authkit.example/sign-up');
    expect(authkit.asked).toEqual([
      [
        'sign-up',
        {
          redirectUri: 'https://app.example.com/api/auth/callback',
          returnTo: '/dashboard',
          loginHint: undefined,
          organizationId: undefined,
          maxAge: undefined,
          state: undefined,
        },
      ],
    ]);
  });

  it('signs someone already signed in in again for a step-up (maxAge): max_age, their email and organization', async () => {
    authkit.user = { id: 'user_1', email: 'ada@example.com' };
    authkit.organizationId = 'org_01ACME';
    const response = await authorizationRoute('sign-in')(get('/auth/sign-in?returnTo=%2Fdashboard&maxAge=600'));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('https://authkit.example/sign-in');
    expect(authkit.asked).toEqual([
      [
        'sign-in',
        {
          redirectUri: 'https://app.example.com/api/auth/callback',
          returnTo: '/dashboard',
          loginHint: 'ada@example.com',
          organizationId: 'org_01ACME',
          maxAge: 600,
          state: undefined,
        },
      ],
    ]);
  });

  it('sends someone already signed in straight to the return path, without a second sign-in', async () => {
    authkit.user = { id: 'user_1', email: 'ada@example.com' };
    const response = await authorizationRoute('sign-in')(get(`/auth/sign-in${QUERY}`));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('https://app.example.com/projects');
    expect(authkit.asked).toEqual([]);
  });

  it('makes room for the verifier it is about to set: of 5 pending sign-ins the oldest is expired', async () => {
    const pending = await Promise.all(
      Array.from({ length: 5 }, async (_, index) => `wos-auth-verifier-${index}=${await lightVerifierValue(`s${index}`, 1_000 + index)}`),
    );
    await authorizationRoute('sign-in')(get('/auth/sign-in', pending.join('; ')));
    expect(jar.set).toEqual([expect.objectContaining({ name: 'wos-auth-verifier-0', value: '' })]);
  });
});
