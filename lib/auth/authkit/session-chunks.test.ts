import { describe, expect, it } from 'vitest';
import { EPOCH, httpsScope } from '../../../test/auth-config';
import { expiredAuthCookie, type AuthCookie } from '../session/cookies';
import {
  MAX_COOKIE_BYTES,
  MAX_SESSION_CHUNKS,
  chunkIndex,
  joinChunks,
  layoutFor,
  rewriteSessionSetCookies,
  storeSessionInCookieJar,
} from './session-chunks';

const NAME = 'wos-session';
const ATTRIBUTES = 'Path=/; HttpOnly; SameSite=Lax; Max-Age=34560000';
const EXPIRED = 'Thu, 01 Jan 1970 00:00:00 GMT';
const seal = (length: number) => `Fe26.2*1*${'a'.repeat(length - 9)}`;

function setCookies(...lines: string[]): Headers {
  const headers = new Headers();
  for (const line of lines) headers.append('set-cookie', line);
  return headers;
}

describe('layoutFor', () => {
  // The numbers below are written out, so that they do not follow the constants if those change.
  it('works to a budget of 4000 bytes per cookie and 3 chunks', () => {
    expect(MAX_COOKIE_BYTES).toBe(4000);
    expect(MAX_SESSION_CHUNKS).toBe(3);
  });

  it('keeps a seal that fits as one cookie (name + "=" + value up to 4000 bytes), and chunks one byte more', () => {
    expect(`${NAME}=${seal(3988)}`).toHaveLength(4000);
    expect(layoutFor(NAME, seal(3988))).toEqual({ kind: 'single' });
    expect(layoutFor(NAME, seal(3989))).toMatchObject({ kind: 'chunks' });
  });

  it('splits a bigger seal into chunks of at most 4000 bytes with their names, that join back to it', () => {
    const value = seal(3989);
    const layout = layoutFor(NAME, value);
    expect(layout.kind).toBe('chunks');
    if (layout.kind !== 'chunks') return;
    // Every chunk gets the room of the longest chunk name (`wos-session.2=`, 14 bytes): 3986 bytes.
    expect(layout.chunks.map((chunk) => chunk.length)).toEqual([3986, 3]);
    expect(layout.chunks.map((chunk, index) => `${NAME}.${index}=${chunk}`.length)).toEqual([4000, 17]);
    expect(
      joinChunks(
        NAME,
        layout.chunks.map((chunk, index) => ({ name: `${NAME}.${index}`, value: chunk })),
      ),
    ).toBe(value);
  });

  it('uses at most 3 chunks (11,958 bytes of seal), and reports anything bigger as too large', () => {
    const largest = seal(3 * 3986);
    expect(layoutFor(NAME, largest)).toEqual({
      kind: 'chunks',
      chunks: [largest.slice(0, 3986), largest.slice(3986, 7972), largest.slice(7972)],
    });
    expect(layoutFor(NAME, `${largest}x`)).toEqual({ kind: 'too_large', bytes: 11959 });
  });
});

describe('joinChunks', () => {
  it('joins from .0 up to the first missing index, in index order whatever the cookie order', () => {
    expect(
      joinChunks(NAME, [
        { name: `${NAME}.1`, value: 'b' },
        { name: 'other', value: 'x' },
        { name: `${NAME}.0`, value: 'a' },
        { name: `${NAME}.3`, value: 'stale' },
      ]),
    ).toBe('ab');
  });

  it('is undefined without chunk 0, or with more chunks than allowed', () => {
    expect(joinChunks(NAME, [{ name: `${NAME}.1`, value: 'b' }])).toBeUndefined();
    expect(joinChunks(NAME, [])).toBeUndefined();
    expect(
      joinChunks(
        NAME,
        Array.from({ length: 3 }, (_, index) => ({ name: `${NAME}.${index}`, value: `${index}` })),
      ),
    ).toBe('012');
    expect(
      joinChunks(
        NAME,
        Array.from({ length: 4 }, (_, index) => ({ name: `${NAME}.${index}`, value: 'x' })),
      ),
    ).toBeUndefined();
  });

  it.each([[`${NAME}.01`], [`${NAME}.-1`], [`${NAME}.x`], [`${NAME}.`], [`${NAME}x.0`], [`${NAME}_1`], [`${NAME}.1000`], [`${NAME}.1x`]])(
    '%j is not a chunk',
    (name) => {
      expect(chunkIndex(NAME, name)).toBeUndefined();
    },
  );

  it.each([
    [`${NAME}.0`, 0],
    [`${NAME}.7`, 7],
    [`${NAME}.12`, 12],
    [`${NAME}.999`, 999],
  ])('%j is chunk %d', (name, index) => {
    expect(chunkIndex(NAME, name)).toBe(index);
  });
});

describe('rewriteSessionSetCookies', () => {
  const rewrite = (headers: Headers, requestCookieNames: string[]) =>
    rewriteSessionSetCookies(headers, { cookieName: NAME, requestCookieNames, scope: httpsScope });
  /** The deployment's attributes (test/auth-config.ts), as every session cookie is written. */
  const written = (name: string, value: string) =>
    new RegExp(
      `^${name.replace('.', '\\.')}=${value}; Path=/; Expires=[^;]+; Max-Age=34560000; Domain=example.com; Secure; HttpOnly; SameSite=lax$`,
    );
  const deleted = (name: string) => `${name}=; Path=/; ${EPOCH}; Domain=example.com; Secure; HttpOnly; SameSite=lax`;

  it('keeps a session that fits as one cookie, with the deployment’s attributes, and expires chunks the browser still holds', () => {
    const headers = setCookies('wos-auth-verifier-1=v; Path=/', `${NAME}=${seal(2000)}; ${ATTRIBUTES}`);
    expect(rewrite(headers, [`${NAME}.0`, `${NAME}.1`, 'other'])).toEqual({ tooLarge: false });
    const lines = headers.getSetCookie();
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('wos-auth-verifier-1=v; Path=/');
    expect(lines[1]).toMatch(written(NAME, seal(2000).replaceAll('*', '\\*')));
    expect(lines.slice(2)).toEqual([deleted(`${NAME}.0`), deleted(`${NAME}.1`)]);
  });

  it('writes a big session as chunks, expires the single cookie and chunks beyond the new count', () => {
    const value = seal(5000);
    const headers = setCookies(`${NAME}=${value}; ${ATTRIBUTES}; Domain=example.com; Secure`);
    rewrite(headers, [`${NAME}.0`, `${NAME}.1`, `${NAME}.2`]);
    const lines = headers.getSetCookie();
    expect(lines.map((line) => line.split('=')[0])).toEqual([`${NAME}.0`, `${NAME}.1`, NAME, `${NAME}.2`]);
    expect(lines[0]).toMatch(written(`${NAME}.0`, '[^;]+'));
    expect(lines[1]).toMatch(written(`${NAME}.1`, '[^;]+'));
    expect(lines.slice(2)).toEqual([deleted(NAME), deleted(`${NAME}.2`)]);
    const chunks = lines.slice(0, 2).map((line) => line.slice(line.indexOf('=') + 1, line.indexOf(';')));
    expect(chunks.join('')).toBe(value);
  });

  it('a deletion of the session (authkit, after a dead refresh token) also expires every chunk', () => {
    const headers = setCookies(`${NAME}=; Expires=${EXPIRED}; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
    rewrite(headers, [`${NAME}.0`]);
    expect(headers.getSetCookie()).toEqual([deleted(NAME), deleted(`${NAME}.0`)]);
  });

  it('a session too large for chunks is replaced by deletions of every form, and reported', () => {
    const headers = setCookies(`${NAME}=${seal(20_000)}; ${ATTRIBUTES}`);
    expect(rewrite(headers, [`${NAME}.0`])).toEqual({ tooLarge: true, bytes: 20_000 });
    expect(headers.getSetCookie()).toEqual([deleted(NAME), deleted(`${NAME}.0`)]);
  });

  it('touches nothing when no session cookie is written', () => {
    const headers = setCookies('wos-auth-verifier-1=v; Path=/');
    expect(rewrite(headers, [`${NAME}.0`])).toEqual({ tooLarge: false });
    expect(headers.getSetCookie()).toEqual(['wos-auth-verifier-1=v; Path=/']);
  });
});

describe('storeSessionInCookieJar', () => {
  function jarWith(entries: Record<string, string>) {
    const cookies = new Map(Object.entries(entries).map(([name, value]) => [name, { name, value } as { name: string; value: string }]));
    return { cookies, getAll: () => [...cookies.values()], set: (cookie: AuthCookie) => cookies.set(cookie.name, cookie) };
  }
  const store = (jar: ReturnType<typeof jarWith>, sent: Record<string, string>) =>
    storeSessionInCookieJar(jar, sent, { cookieName: NAME, scope: httpsScope });

  it('touches nothing when the session is the one the request sent, whatever other cookies the store holds', () => {
    const other = jarWith({ 'wos-auth-verifier-1': 'v', [NAME]: 'same' });
    expect(store(other, { [NAME]: 'same', 'wos-auth-verifier-1': 'v' })).toEqual({ tooLarge: false });
    expect([...other.cookies.values()]).toEqual([
      { name: 'wos-auth-verifier-1', value: 'v' },
      { name: NAME, value: 'same' },
    ]);
    const jar = jarWith({ [NAME]: 'same', [`${NAME}.0`]: 'x' });
    expect(store(jar, { [NAME]: 'same' })).toEqual({ tooLarge: false });
    expect([...jar.cookies.values()]).toEqual([
      { name: NAME, value: 'same' },
      { name: `${NAME}.0`, value: 'x' },
    ]);
  });

  it('writes a new big session as chunks with the deployment’s attributes, the single cookie expired', () => {
    const value = seal(5000);
    const jar = jarWith({ [NAME]: value });
    expect(store(jar, { [NAME]: 'old' })).toEqual({ tooLarge: false });
    expect(jar.cookies.get(NAME)).toEqual(expiredAuthCookie(NAME, 'session', httpsScope));
    expect(jar.cookies.get(`${NAME}.0`)).toMatchObject({ secure: true, domain: 'example.com', maxAge: httpsScope.sessionMaxAgeSeconds });
    expect(`${jar.cookies.get(`${NAME}.0`)?.value}${jar.cookies.get(`${NAME}.1`)?.value}`).toBe(value);
  });

  it('a deleted session (sign-out) expires every chunk the browser sent', () => {
    const jar = jarWith({ [NAME]: '', [`${NAME}.0`]: 'a', [`${NAME}.1`]: 'b', other: 'x' });
    store(jar, { [NAME]: 'ab', [`${NAME}.0`]: 'a', [`${NAME}.1`]: 'b' });
    for (const name of [NAME, `${NAME}.0`, `${NAME}.1`])
      expect(jar.cookies.get(name)).toEqual(expiredAuthCookie(name, 'session', httpsScope));
    expect(jar.cookies.get('other')).toEqual({ name: 'other', value: 'x' });
  });

  it('a new session too large even for chunks is deleted in every form, and reported', () => {
    const jar = jarWith({ [NAME]: seal(20_000), [`${NAME}.0`]: 'a' });
    expect(store(jar, {})).toEqual({ tooLarge: true, bytes: 20_000 });
    expect(jar.cookies.get(NAME)).toEqual(expiredAuthCookie(NAME, 'session', httpsScope));
    expect(jar.cookies.get(`${NAME}.0`)).toEqual(expiredAuthCookie(`${NAME}.0`, 'session', httpsScope));
  });
});
