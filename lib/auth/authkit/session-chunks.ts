/**
 * Session cookie chunks.
 *
 * What authkit does: seals access token + refresh token + user into one cookie,
 * whatever its size. The access token carries every permission, entitlement and
 * feature flag: 100 + 50 + 50 of them make a ~10 KB seal. Browsers silently drop
 * a cookie whose name + value passes 4096 bytes, and sign-in loops.
 * What we need: a seal that does not fit in {@link MAX_COOKIE_BYTES} is stored
 * as `<name>.0`, `<name>.1`, … and joined back into `<name>` before authkit reads
 * the request; a seal that fits stays one cookie. Whenever one form is written,
 * every cookie of the other form (and any chunk beyond the new count) is expired.
 * Written where authkit writes the session: the proxy (refresh, on raw
 * Set-Cookie lines), the callback and the server actions (Next's cookie store).
 * Concerns: authkit-nextjs 4.3.2, which has no hook for its cookie format.
 * Delete this file when authkit-nextjs stores a session larger than one cookie itself.
 */
import {
  authCookieAttributes,
  expiredAuthCookie,
  parseSetCookie,
  replaceSetCookies,
  serializeSetCookie,
  type AuthCookie,
  type AuthCookieScope,
  type CookieJar,
} from '../session/cookies';

/**
 * The app's budget for one cookie's name + `=` + value (session chunks, provider tokens): under the
 * 4096 bytes browsers keep (they drop a larger cookie without a word), with room for attributes.
 */
export const MAX_COOKIE_BYTES = 4000;

/**
 * At most this many chunks (12 000 bytes). Node refuses a request whose headers
 * pass 16 KB (431, before the app can clear anything), and a browser also sends
 * its user agent, client hints, referer and other cookies: 12 000 bytes of session
 * leaves room for them. A bigger session is refused at sign-in (session_too_large).
 */
export const MAX_SESSION_CHUNKS = 3;

function chunkName(cookieName: string, index: number): string {
  return `${cookieName}.${index}`;
}

/** The index of a chunk of `cookieName`, or undefined for any other cookie. */
export function chunkIndex(cookieName: string, name: string): number | undefined {
  if (!name.startsWith(`${cookieName}.`)) return undefined;
  const suffix = name.slice(cookieName.length + 1);
  return /^(0|[1-9]\d{0,2})$/.test(suffix) ? Number(suffix) : undefined;
}

/** The session cookie itself, or one of its chunks. */
export function isSessionCookieName(cookieName: string, name: string): boolean {
  return name === cookieName || chunkIndex(cookieName, name) !== undefined;
}

/** Names of the chunk cookies among `names`. */
export function chunkNames(cookieName: string, names: Iterable<string>): string[] {
  return [...names].filter((name) => chunkIndex(cookieName, name) !== undefined);
}

/**
 * The seal stored in chunks `<name>.0`, `<name>.1`, … (up to the first missing
 * index), or undefined when there is no chunk 0 or more chunks than allowed.
 */
export function joinChunks(cookieName: string, cookies: ReadonlyArray<{ name: string; value: string }>): string | undefined {
  const values = new Map(cookies.map(({ name, value }) => [name, value]));
  const parts: string[] = [];
  for (let part = values.get(chunkName(cookieName, 0)); part !== undefined; part = values.get(chunkName(cookieName, parts.length))) {
    parts.push(part);
  }
  if (parts.length === 0 || parts.length > MAX_SESSION_CHUNKS) return undefined;
  return parts.join('');
}

export type SessionCookieLayout = { kind: 'single' } | { kind: 'chunks'; chunks: string[] } | { kind: 'too_large'; bytes: number };

/** How a seal is stored: as it is, in chunks, or not at all. Seals are ASCII (iron's base64url), so length is bytes. */
export function layoutFor(cookieName: string, value: string): SessionCookieLayout {
  if (cookieName.length + 1 + value.length <= MAX_COOKIE_BYTES) return { kind: 'single' };
  const room = MAX_COOKIE_BYTES - (chunkName(cookieName, MAX_SESSION_CHUNKS - 1).length + 1);
  const count = Math.ceil(value.length / room);
  if (count > MAX_SESSION_CHUNKS) return { kind: 'too_large', bytes: value.length };
  return { kind: 'chunks', chunks: Array.from({ length: count }, (_, index) => value.slice(index * room, (index + 1) * room)) };
}

export type RewriteOutcome = { tooLarge: false } | { tooLarge: true; bytes: number };

/**
 * The cookies to write so that the browser holds `value` in its stored form
 * (one cookie, or chunks), given the names of the cookies it sent; an empty
 * `value` deletes every form. A seal too large even for chunks is deleted too, and reported.
 */
function storedForm(cookieName: string, value: string, sentNames: Iterable<string>, scope: AuthCookieScope) {
  const layout = layoutFor(cookieName, value);
  const chunks = layout.kind === 'chunks' ? layout.chunks : [];
  const session = (name: string, stored: string): AuthCookie =>
    stored === '' ? expiredAuthCookie(name, 'session', scope) : { name, value: stored, ...authCookieAttributes('session', scope) };
  const cookies = [
    ...chunks.map((chunk, index) => session(chunkName(cookieName, index), chunk)),
    session(cookieName, layout.kind === 'single' ? value : ''),
    // Chunks the browser holds beyond the new count (all of them when the seal is one cookie).
    ...[...sentNames].filter((name) => (chunkIndex(cookieName, name) ?? -1) >= chunks.length).map((name) => session(name, '')),
  ];
  const outcome: RewriteOutcome = layout.kind === 'too_large' ? { tooLarge: true, bytes: layout.bytes } : { tooLarge: false };
  return { cookies, outcome };
}

/**
 * The proxy's response: rewrites the Set-Cookie line that writes the session
 * cookie (authkit's refresh, or its deletion) into the stored form.
 */
export function rewriteSessionSetCookies(
  headers: Headers,
  { cookieName, requestCookieNames, scope }: { cookieName: string; requestCookieNames: Iterable<string>; scope: AuthCookieScope },
): RewriteOutcome {
  const lines = headers.getSetCookie();
  const sessionLine = lines.find((line) => parseSetCookie(line).name === cookieName);
  if (sessionLine === undefined) return { tooLarge: false };
  const { cookies, outcome } = storedForm(cookieName, parseSetCookie(sessionLine).value, requestCookieNames, scope);
  replaceSetCookies(headers, [...lines.filter((line) => line !== sessionLine), ...cookies.map(serializeSetCookie)]);
  return outcome;
}

/**
 * Route handlers and server actions: when the session cookie in Next's cookie
 * store is not the one the request sent (authkit saved a session, or deleted
 * it), writes it in its stored form; `sent` is the request's Cookie header.
 */
export function storeSessionInCookieJar(
  jar: CookieJar,
  sent: Record<string, string | undefined>,
  { cookieName, scope }: { cookieName: string; scope: AuthCookieScope },
): RewriteOutcome {
  const cookies = jar.getAll();
  const value = cookies.find((cookie) => cookie.name === cookieName)?.value;
  if (value === undefined || value === sent[cookieName]) return { tooLarge: false };
  const names = cookies.map(({ name }) => name);
  const stored = storedForm(cookieName, value, names, scope);
  for (const cookie of stored.cookies) jar.set(cookie);
  return stored.outcome;
}
