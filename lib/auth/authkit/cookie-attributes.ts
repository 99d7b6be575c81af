/**
 * authkit's cookies, rewritten with the deployment's attributes and names.
 *
 * What authkit does: decides `Secure` by itself, from the redirect URI inlined
 * at build time (verifiers set in route handlers, sign-out) or from the
 * request's scheme (the session, verifiers set by the proxy), which is http
 * behind a TLS terminator that forwards no proto; ignores the origin a request
 * was made on (APP_ALLOWED_ORIGINS); deletes with `Max-Age=0`, which Next
 * drops when it re-parses the line, leaving an empty cookie in the browser; and
 * reads and writes its cookies under fixed names (WORKOS_COOKIE_NAME,
 * `wos-auth-verifier-*`), so it cannot use the `__Host-` prefix per origin.
 * What we need: every session and verifier cookie set or deleted with
 * session/cookies.ts' attributes and name for the request's origin. Every
 * response the app builds passes through {@link normaliseAuthSetCookies} (proxy,
 * callback) or {@link normaliseAuthCookieJar} (cookies set through next/headers:
 * authkit's server-side functions, wrapped in ./index.ts, and the callback);
 * every request the app reads passes the proxy, which hands authkit (and the
 * render) its cookies under its own names ({@link authCookiesOfRequest}) and
 * treats one sent twice as tossed in by another host.
 * Concerns: authkit-nextjs 4.3.2 (`getCookieOptions`, `NEXT_PUBLIC_WORKOS_REDIRECT_URI` read at build time).
 * Delete this file when authkit-nextjs takes cookie attributes and names per request (or per origin) from the app.
 */
import type { AuthConfig } from '../config/env';
import {
  authCookieAttributes,
  expiredAuthCookie,
  otherCopiesExpired,
  parseSetCookie,
  replaceSetCookies,
  serializeSetCookie,
  type AuthCookie,
  type AuthCookieScope,
  type CookieJar,
} from '../session/cookies';
import { chunkIndex, isSessionCookieName } from './session-chunks';
import { isVerifierCookie, storedVerifierValue } from './verifier-cookies';

type Cookie = { name: string; value: string };

/** Which of authkit's cookies `name` (authkit's name for it) is, if any. */
function authkitCookieKind(config: Pick<AuthConfig, 'cookie'>, name: string): 'session' | 'verifier' | undefined {
  return isSessionCookieName(config.cookie.name, name) ? 'session' : isVerifierCookie(name) ? 'verifier' : undefined;
}

/** The canonical form, under the browser's name, of a session or verifier cookie that authkit set or deleted; undefined for any other cookie. */
async function canonicalAuthCookie(
  { name, value, deletes }: { name: string; value: string; deletes: boolean },
  config: Pick<AuthConfig, 'cookie'>,
  scope: AuthCookieScope,
): Promise<AuthCookie | undefined> {
  const kind = authkitCookieKind(config, name);
  if (kind === undefined) return undefined;
  if (deletes) return expiredAuthCookie(scope.prefix + name, kind, scope);
  const stored = kind === 'verifier' ? await storedVerifierValue(value) : value;
  return { name: scope.prefix + name, value: stored, ...authCookieAttributes(kind, scope) };
}

/**
 * Rewrites the session and verifier Set-Cookie lines of a response (the proxy's,
 * the callback's) with the attributes of `scope`; other cookies are left as they are.
 */
export async function normaliseAuthSetCookies(
  responseHeaders: Headers,
  config: Pick<AuthConfig, 'cookie'>,
  scope: AuthCookieScope,
): Promise<void> {
  const rewritten = await Promise.all(
    responseHeaders.getSetCookie().map(async (line) => {
      const canonical = await canonicalAuthCookie(parseSetCookie(line), config, scope);
      return canonical ? serializeSetCookie(canonical) : line;
    }),
  );
  replaceSetCookies(responseHeaders, rewritten);
}

/**
 * The same for cookies set through next/headers (`cookies().set/delete`) in a
 * route handler or server action: each session or verifier cookie whose value
 * differs from the request's (`sent`, under authkit's names) was written here,
 * and is written again with the attributes and name of `scope`. Under another
 * name, authkit's own entry becomes an expiry (the browser must not keep it): a
 * second authkit function in the same request would read no session there.
 */
export async function normaliseAuthCookieJar(
  jar: CookieJar,
  sent: Record<string, string | undefined>,
  config: Pick<AuthConfig, 'cookie'>,
  scope: AuthCookieScope,
): Promise<void> {
  for (const { name, value } of jar.getAll()) {
    if (sent[name] === value) continue;
    const canonical = await canonicalAuthCookie({ name, value, deletes: value === '' }, config, scope);
    if (!canonical) continue;
    jar.set(canonical);
    if (canonical.name !== name) jar.set({ ...canonical, name, value: '', maxAge: undefined, expires: new Date(0) });
  }
}

export interface SentAuthCookies {
  /** The request's Cookie header as authkit and the render read it. */
  header: string;
  cookies: Cookie[];
  /** authkit's cookies the browser sent, under the browser's names. */
  auth: Array<{ name: string; kind: 'session' | 'verifier' }>;
  /** One of them came twice, or the session both whole and in chunks: another host tossed a cookie in. */
  tampered: boolean;
}

/**
 * The browser's Cookie header as authkit and the render read it. Under the
 * `__Host-` prefix, `__Host-<name>` of a session, chunk or verifier cookie reads
 * as `<name>`, and an unprefixed one (set by another host) is dropped. Whatever
 * the prefix, an authkit cookie sent twice under one name, or the session whole
 * and in chunks at once (each write of one form expires the other), was tossed
 * in by another host, and Next would keep one of the two, as likely the
 * attacker's: then every authkit cookie is left out (the request is signed out).
 */
export function authCookiesOfRequest(header: string, config: Pick<AuthConfig, 'cookie'>, scope: AuthCookieScope): SentAuthCookies {
  const cookies: Array<Cookie & { sentAs?: SentAuthCookies['auth'][number] }> = [];
  for (const pair of header.split(';')) {
    const at = pair.indexOf('=');
    const name = (at < 0 ? pair : pair.slice(0, at)).trim();
    const value = at < 0 ? '' : pair.slice(at + 1).trim();
    const own = name.startsWith(scope.prefix) ? name.slice(scope.prefix.length) : '';
    const kind = authkitCookieKind(config, own);
    if (kind) cookies.push({ name: own, value, sentAs: { name, kind } });
    else if (name && !authkitCookieKind(config, name)) cookies.push({ name, value });
  }
  const auth = cookies.flatMap(({ sentAs }) => (sentAs ? [sentAs] : []));
  const session = config.cookie.name;
  const tampered =
    new Set(auth.map(({ name }) => name)).size < auth.length ||
    (cookies.some(({ name, value }) => name === session && value !== '') &&
      cookies.some(({ name }) => chunkIndex(session, name) !== undefined));
  const kept = tampered ? cookies.filter(({ sentAs }) => !sentAs) : cookies;
  const rewritten = scope.prefix !== '' || tampered;
  return { header: rewritten ? kept.map(({ name, value }) => `${name}=${value}`).join('; ') : header, cookies: kept, auth, tampered };
}

/**
 * Set-Cookie lines expiring what other hosts may have tossed in: after tampering,
 * every copy of each authkit cookie the browser sent; on a server action (such as
 * sign-out, which can write only one cookie of a name), each copy with another
 * Domain than ours. With the `__Host-` prefix there are none.
 */
export function tossedCopiesExpired({ auth, tampered }: SentAuthCookies, scope: AuthCookieScope, serverAction: boolean): string[] {
  if (!tampered && !serverAction) return [];
  const unique = new Map(auth.map(({ name, kind }) => [name, kind]));
  return [...unique].flatMap(([name, kind]) =>
    [...(tampered ? [expiredAuthCookie(name, kind, scope)] : []), ...otherCopiesExpired(name, kind, scope, tampered)].map(
      serializeSetCookie,
    ),
  );
}
