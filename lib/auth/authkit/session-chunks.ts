/**
 * A session too big for one cookie, kept in numbered chunks.
 *
 * authkit seals access token + refresh token + user into one cookie, and the
 * access token carries every permission, entitlement and feature flag: 100 + 50
 * + 50 of them make a ~10 KB seal. Browsers silently drop a cookie whose name +
 * value passes 4096 bytes, and sign-in loops. So a seal that does not fit in
 * {@link MAX_COOKIE_BYTES} is stored as `<name>.0`, `<name>.1`, … and joined
 * back into `<name>` before authkit reads the request; a seal that fits stays
 * one cookie, exactly as authkit sets it. Whenever one form is written, every
 * cookie of the other form (and any chunk beyond the new count) is expired.
 *
 * Pure string functions, no Next imports: the proxy uses them on raw headers,
 * and session-cookie-store.ts on Next's cookie store (callback, server actions).
 * Written here because authkit has no hook for its cookie format, and a generic
 * chunking package would still need this glue around authkit's Set-Cookie lines.
 */

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

/** `Expires` in the past: Next drops `Max-Age=0` when it re-parses Set-Cookie lines, so this is what deletes. */
export const EXPIRED = 'Thu, 01 Jan 1970 00:00:00 GMT';

export function chunkName(cookieName: string, index: number): string {
  return `${cookieName}.${index}`;
}

/** The index of a chunk of `cookieName`, or undefined for any other cookie. */
export function chunkIndex(cookieName: string, name: string): number | undefined {
  if (!name.startsWith(`${cookieName}.`)) return undefined;
  const suffix = name.slice(cookieName.length + 1);
  return /^(0|[1-9]\d{0,2})$/.test(suffix) ? Number(suffix) : undefined;
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
  const values = new Map<number, string>();
  for (const { name, value } of cookies) {
    const index = chunkIndex(cookieName, name);
    if (index !== undefined) values.set(index, value);
  }
  const parts: string[] = [];
  for (let index = 0; values.has(index); index += 1) parts.push(values.get(index) ?? '');
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

/** A Set-Cookie line's attributes (everything after name=value), with any Max-Age/Expires replaced by a past Expires. */
function expiredAttributes(attributes: string[]): string[] {
  return [...attributes.filter((attribute) => !/^(max-age|expires)=/i.test(attribute)), `Expires=${EXPIRED}`];
}

function parseSetCookie(line: string): { name: string; value: string; attributes: string[] } {
  const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
  const separator = pair.indexOf('=');
  return { name: pair.slice(0, separator), value: pair.slice(separator + 1), attributes: attributes.filter(Boolean) };
}

export type RewriteOutcome = { tooLarge: false } | { tooLarge: true; bytes: number };

/**
 * Rewrites the Set-Cookie lines in `headers` that write the session cookie
 * (authkit's refresh, or its deletion) into the stored form: one cookie that
 * fits, or chunks with the same attributes. Every chunk the browser sent that
 * the new form does not overwrite is expired. A seal too large even for chunks
 * is replaced by deletions of every form, and reported.
 */
export function rewriteSessionSetCookies(
  headers: Headers,
  { cookieName, requestCookieNames }: { cookieName: string; requestCookieNames: Iterable<string> },
): RewriteOutcome {
  const lines = headers.getSetCookie();
  if (!lines.some((line) => line.startsWith(`${cookieName}=`))) return { tooLarge: false };
  const sentChunks = chunkNames(cookieName, requestCookieNames);
  const rewritten: string[] = [];
  let outcome: RewriteOutcome = { tooLarge: false };
  for (const line of lines) {
    if (!line.startsWith(`${cookieName}=`)) {
      rewritten.push(line);
      continue;
    }
    const { value, attributes } = parseSetCookie(line);
    const expire = (name: string) => [name, '=; ', expiredAttributes(attributes).join('; ')].join('');
    const layout = value === '' ? ({ kind: 'single' } as const) : layoutFor(cookieName, value);
    if (layout.kind === 'single') {
      rewritten.push(line, ...sentChunks.map(expire));
    } else if (layout.kind === 'chunks') {
      const written = layout.chunks.map((chunk, index) => chunkName(cookieName, index));
      rewritten.push(
        ...layout.chunks.map((chunk, index) => [`${chunkName(cookieName, index)}=${chunk}`, ...attributes].join('; ')),
        expire(cookieName),
        ...sentChunks.filter((name) => !written.includes(name)).map(expire),
      );
    } else {
      outcome = { tooLarge: true, bytes: layout.bytes };
      rewritten.push(expire(cookieName), ...sentChunks.map(expire));
    }
  }
  headers.delete('set-cookie');
  for (const line of rewritten) headers.append('set-cookie', line);
  return outcome;
}
