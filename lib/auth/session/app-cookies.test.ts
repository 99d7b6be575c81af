/**
 * readSealedAppCookie: the one reader of the app's own sealed cookies (issue
 * #30, defect 2). Whatever the browser sends, it never throws: only a seal made
 * with the cookie password that fits the schema reads; anything else reads as
 * absent and is expired, with the app-cookie attributes, where the response can
 * still set cookies.
 */
import fc from 'fast-check';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { TEST_ENV } from '../../../test/auth-config';
import { sealWithCookiePassword } from '../authkit/seal';
import { getAuthConfig } from '../config/env';
import {
  authCookieScope,
  deleteAppCookie,
  expiredAuthCookie,
  readSealedAppCookie,
  serializeSetCookie,
  setAppCookie,
  unreadableAppCookiesExpired,
  type AuthCookie,
} from './cookies';

/** The request's cookies; `readonly` as in a page render, where Next refuses to set one. */
const jar = vi.hoisted(() => ({ values: new Map<string, string>(), set: [] as unknown[], readonly: false }));

vi.mock('next/headers', () => ({
  cookies: async () => ({
    get: (name: string) => (jar.values.has(name) ? { name, value: jar.values.get(name) } : undefined),
    set: (cookie: AuthCookie) => {
      if (jar.readonly) throw new Error('Cookies can only be modified in a Server Action or Route Handler.');
      jar.set.push(cookie);
    },
  }),
  headers: async () => new Headers({ host: 'app.example.com' }),
}));

const NAME = 'sign-in-context';
const schema = z.object({ userId: z.string(), startedFrom: z.string() });
const record = { userId: 'user_01JREADER', startedFrom: '/pricing' };
let real: string;
let expired: AuthCookie;
/** The name the browser keeps it under: `__Host-app-` on this https origin without a cookie domain. */
let stored: string;

beforeAll(async () => {
  for (const [name, value] of Object.entries(TEST_ENV)) vi.stubEnv(name, value);
  real = await sealWithCookiePassword(record);
  const scope = authCookieScope(getAuthConfig());
  stored = `${scope.prefix}app-${NAME}`;
  expired = expiredAuthCookie(stored, 'app', scope);
});

beforeEach(() => {
  jar.values.clear();
  jar.set.length = 0;
  jar.readonly = false;
});

afterEach(() => {
  vi.useRealTimers();
});

/** What the reader makes of `value` as the cookie, and whether it expired the cookie. */
async function read(value: string) {
  jar.values.set(stored, value);
  jar.set.length = 0;
  const result = await readSealedAppCookie(NAME, schema);
  return { result, expired: jar.set.length > 0 };
}

describe('readSealedAppCookie', () => {
  it('reads a seal made with the cookie password that fits the schema, and leaves the cookie alone', async () => {
    expect(await read(real)).toEqual({ result: record, expired: false });
  });

  it('reads nothing, and sets nothing, without the cookie', async () => {
    expect(await readSealedAppCookie(NAME, schema)).toBeNull();
    expect(jar.set).toEqual([]);
  });

  it.each([
    ['garbage', async () => 'not a seal'],
    ['a forged seal (iron throws "Invalid expiration")', async () => 'Fe26.2*1*a*b*c*d*e*f'],
    ['a seal with another password', async () => sealWithCookiePassword(record, { password: 'q'.repeat(32) })],
    ['an older shape', async () => sealWithCookiePassword({ startedFrom: '/pricing' })],
    ['a sealed string', async () => sealWithCookiePassword(['not', 'an', 'object'])],
  ])('reads %s as absent, and expires the cookie with the attributes it was set with', async (_label, value) => {
    const { result } = await read(await value());
    expect(result).toBeNull();
    expect(jar.set).toEqual([expired]);
  });

  it('reads a seal past its own expiry as absent, and expires the cookie', async () => {
    const shortLived = await sealWithCookiePassword(record, { ttl: 1 });
    vi.useFakeTimers({ now: Date.now() + 5 * 60_000, toFake: ['Date'] });
    expect(await read(shortLived)).toEqual({ result: null, expired: true });
  });

  it('in a page render, where no cookie can be set, still reads an unreadable cookie as absent, without throwing', async () => {
    jar.readonly = true;
    await expect(read('Fe26.2*1*a*b*c*d*e*f')).resolves.toEqual({ result: null, expired: false });
  });

  it('never throws on random bytes, and reads them as absent', async () => {
    const bytes = fc.uint8Array({ minLength: 1, maxLength: 400 }).map((value) => Buffer.from(value).toString('latin1'));
    const sealLike = fc.array(fc.string({ maxLength: 40 }), { minLength: 1, maxLength: 9 }).map((parts) => `Fe26.2*${parts.join('*')}`);
    await fc.assert(
      fc.asyncProperty(fc.oneof(bytes, sealLike, fc.string({ minLength: 1 })), async (value) => {
        expect(await read(value)).toEqual({ result: null, expired: true });
      }),
      { numRuns: 300 },
    );
  });

  it('reads a real seal with any change as absent and expires it, or (a change iron ignores) as exactly the record', async () => {
    const mutation = fc.oneof(
      fc.record({ at: fc.nat(), char: fc.string({ minLength: 1, maxLength: 1 }) }).map(({ at, char }) => (seal: string) => {
        const index = at % seal.length;
        return seal.slice(0, index) + char + seal.slice(index + 1);
      }),
      fc.record({ at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }).map(({ at, length }) => (seal: string) => {
        const index = at % seal.length;
        return seal.slice(0, index) + seal.slice(index + length);
      }),
      fc.record({ at: fc.nat(), text: fc.string({ minLength: 1, maxLength: 20 }) }).map(({ at, text }) => (seal: string) => {
        const index = at % seal.length;
        return seal.slice(0, index) + text + seal.slice(index);
      }),
      fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => (seal: string) => {
        const parts = seal.split('*');
        const [i, j] = [a % parts.length, b % parts.length];
        [parts[i], parts[j]] = [parts[j] ?? '', parts[i] ?? ''];
        return parts.join('*');
      }),
    );
    await fc.assert(
      fc.asyncProperty(mutation, async (mutate) => {
        const value = mutate(real);
        if (value === '') return;
        const { result, expired: wasExpired } = await read(value);
        if (result === null) expect(wasExpired).toBe(true);
        else expect([result, wasExpired]).toEqual([record, false]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('unreadableAppCookiesExpired: the proxy expires what a page render cannot', () => {
  const sweep = (cookies: Array<{ name: string; value: string }>) =>
    unreadableAppCookiesExpired(cookies, authCookieScope(getAuthConfig()), getAuthConfig().cookiePassword);
  const expiryOf = (name: string) => serializeSetCookie(expiredAuthCookie(name, 'app', authCookieScope(getAuthConfig())));

  it('leaves a readable app cookie alone, and an older shape of our own seal to its reader', async () => {
    const olderShape = await sealWithCookiePassword({ startedFrom: '/pricing' });
    expect(await sweep([{ name: stored, value: real }])).toEqual([]);
    expect(await sweep([{ name: stored, value: olderShape }])).toEqual([]);
  });

  it.each([
    ['garbage', async () => 'not a seal'],
    ['a forged seal', async () => 'Fe26.2*1*a*b*c*d*e*f'],
    ['a seal with another password', async () => sealWithCookiePassword(record, { password: 'q'.repeat(32) })],
    ['a sealed empty record', async () => sealWithCookiePassword({})],
  ])('expires %s, with the attributes it was set with', async (_label, value) => {
    expect(await sweep([{ name: stored, value: await value() }])).toEqual([expiryOf(stored)]);
  });

  it('expires a seal past its own expiry', async () => {
    const shortLived = await sealWithCookiePassword(record, { ttl: 1 });
    vi.useFakeTimers({ now: Date.now() + 5 * 60_000, toFake: ['Date'] });
    expect(await sweep([{ name: stored, value: shortLived }])).toEqual([expiryOf(stored)]);
  });

  it("touches no cookie outside the app's namespace, nor a copy without this deployment's prefix", async () => {
    const others = ['wos-session', 'sign-in-context', 'theme', 'app-sign-in-context', '__Host-apps'].map((name) => ({ name, value: 'x' }));
    expect(stored).toBe('__Host-app-sign-in-context');
    expect(await sweep(others)).toEqual([]);
  });

  it('never throws on random values, and expires each', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 300 }), async (value) => {
        expect(await sweep([{ name: stored, value }])).toEqual([expiryOf(stored)]);
      }),
      { numRuns: 200 },
    );
  });
});

describe('setAppCookie and deleteAppCookie', () => {
  it('sets the cookie under the browser’s name with the app-cookie attributes and the lifetime given', async () => {
    await setAppCookie(NAME, 'value', 3_600);
    expect(jar.set).toEqual([
      { name: '__Host-app-sign-in-context', value: 'value', path: '/', secure: true, httpOnly: true, sameSite: 'lax', maxAge: 3_600 },
    ]);
  });

  it('expires the cookie when the browser sent it, and sets nothing when it did not', async () => {
    await deleteAppCookie(NAME);
    expect(jar.set).toEqual([]);
    jar.values.set(stored, 'x');
    await deleteAppCookie(NAME);
    expect(jar.set).toEqual([expired]);
    expect(expired).toMatchObject({ name: '__Host-app-sign-in-context', value: '', expires: new Date(0) });
  });
});
