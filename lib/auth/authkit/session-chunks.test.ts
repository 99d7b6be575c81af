import { describe, expect, it } from 'vitest';
import {
  EXPIRED,
  MAX_COOKIE_BYTES,
  MAX_SESSION_CHUNKS,
  chunkIndex,
  joinChunks,
  layoutFor,
  rewriteSessionSetCookies,
} from './session-chunks';

const NAME = 'wos-session';
const ATTRIBUTES = 'Path=/; HttpOnly; SameSite=Lax; Max-Age=34560000';
const seal = (length: number) => `Fe26.2*1*${'a'.repeat(length - 9)}`;

function setCookies(...lines: string[]): Headers {
  const headers = new Headers();
  for (const line of lines) headers.append('set-cookie', line);
  return headers;
}

describe('layoutFor', () => {
  it('keeps a seal that fits as one cookie (name + "=" + value up to 4000 bytes)', () => {
    expect(layoutFor(NAME, seal(MAX_COOKIE_BYTES - NAME.length - 1))).toEqual({ kind: 'single' });
  });

  it('splits a bigger seal into chunks of at most 4000 bytes with their names, that join back to it', () => {
    const value = seal(MAX_COOKIE_BYTES - NAME.length);
    const layout = layoutFor(NAME, value);
    expect(layout.kind).toBe('chunks');
    if (layout.kind !== 'chunks') return;
    expect(layout.chunks).toHaveLength(2);
    for (const [index, chunk] of layout.chunks.entries()) expect(`${NAME}.${index}=${chunk}`.length).toBeLessThanOrEqual(MAX_COOKIE_BYTES);
    expect(
      joinChunks(
        NAME,
        layout.chunks.map((chunk, index) => ({ name: `${NAME}.${index}`, value: chunk })),
      ),
    ).toBe(value);
  });

  it(`uses at most ${MAX_SESSION_CHUNKS} chunks, and reports anything bigger as too large`, () => {
    const largest = seal(MAX_SESSION_CHUNKS * (MAX_COOKIE_BYTES - `${NAME}.0=`.length));
    expect(layoutFor(NAME, largest)).toMatchObject({ kind: 'chunks', chunks: expect.any(Array) });
    expect(layoutFor(NAME, `${largest}x`)).toEqual({ kind: 'too_large', bytes: largest.length + 1 });
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
        Array.from({ length: MAX_SESSION_CHUNKS + 1 }, (_, index) => ({ name: `${NAME}.${index}`, value: 'x' })),
      ),
    ).toBeUndefined();
  });

  it.each([[`${NAME}.01`], [`${NAME}.-1`], [`${NAME}.x`], [`${NAME}.`], [`${NAME}x.0`], [`${NAME}.1000`]])('%j is not a chunk', (name) => {
    expect(chunkIndex(NAME, name)).toBeUndefined();
  });
});

describe('rewriteSessionSetCookies', () => {
  it('leaves a session that fits as authkit wrote it, and expires chunks the browser still holds', () => {
    const headers = setCookies('wos-auth-verifier-1=v; Path=/', `${NAME}=${seal(2000)}; ${ATTRIBUTES}`);
    expect(rewriteSessionSetCookies(headers, { cookieName: NAME, requestCookieNames: [`${NAME}.0`, `${NAME}.1`, 'other'] })).toEqual({
      tooLarge: false,
    });
    expect(headers.getSetCookie()).toEqual([
      'wos-auth-verifier-1=v; Path=/',
      `${NAME}=${seal(2000)}; ${ATTRIBUTES}`,
      `${NAME}.0=; Path=/; HttpOnly; SameSite=Lax; Expires=${EXPIRED}`,
      `${NAME}.1=; Path=/; HttpOnly; SameSite=Lax; Expires=${EXPIRED}`,
    ]);
  });

  it('writes a big session as chunks with the same attributes, expires the single cookie and chunks beyond the new count', () => {
    const value = seal(5000);
    const headers = setCookies(`${NAME}=${value}; ${ATTRIBUTES}; Domain=example.com; Secure`);
    rewriteSessionSetCookies(headers, { cookieName: NAME, requestCookieNames: [`${NAME}.0`, `${NAME}.1`, `${NAME}.2`] });
    const lines = headers.getSetCookie();
    expect(lines.map((line) => line.split('=')[0])).toEqual([`${NAME}.0`, `${NAME}.1`, NAME, `${NAME}.2`]);
    expect(lines[0]).toMatch(new RegExp(`; ${ATTRIBUTES}; Domain=example.com; Secure$`));
    expect(lines[2]).toBe(`${NAME}=; Path=/; HttpOnly; SameSite=Lax; Domain=example.com; Secure; Expires=${EXPIRED}`);
    expect(lines[3]).toBe(`${NAME}.2=; Path=/; HttpOnly; SameSite=Lax; Domain=example.com; Secure; Expires=${EXPIRED}`);
    const chunks = lines.slice(0, 2).map((line) => line.slice(line.indexOf('=') + 1, line.indexOf(';')));
    expect(chunks.join('')).toBe(value);
  });

  it('a deletion of the session (authkit, after a dead refresh token) also expires every chunk', () => {
    const headers = setCookies(`${NAME}=; Expires=${EXPIRED}; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
    rewriteSessionSetCookies(headers, { cookieName: NAME, requestCookieNames: [`${NAME}.0`] });
    expect(headers.getSetCookie()).toEqual([
      `${NAME}=; Expires=${EXPIRED}; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`,
      `${NAME}.0=; Path=/; HttpOnly; SameSite=Lax; Expires=${EXPIRED}`,
    ]);
  });

  it('a session too large for chunks is replaced by deletions of every form, and reported', () => {
    const value = seal(20_000);
    const headers = setCookies(`${NAME}=${value}; ${ATTRIBUTES}`);
    expect(rewriteSessionSetCookies(headers, { cookieName: NAME, requestCookieNames: [`${NAME}.0`] })).toEqual({
      tooLarge: true,
      bytes: 20_000,
    });
    expect(headers.getSetCookie()).toEqual([
      `${NAME}=; Path=/; HttpOnly; SameSite=Lax; Expires=${EXPIRED}`,
      `${NAME}.0=; Path=/; HttpOnly; SameSite=Lax; Expires=${EXPIRED}`,
    ]);
  });

  it('touches nothing when no session cookie is written', () => {
    const headers = setCookies('wos-auth-verifier-1=v; Path=/');
    expect(rewriteSessionSetCookies(headers, { cookieName: NAME, requestCookieNames: [`${NAME}.0`] })).toEqual({ tooLarge: false });
    expect(headers.getSetCookie()).toEqual(['wos-auth-verifier-1=v; Path=/']);
  });
});
