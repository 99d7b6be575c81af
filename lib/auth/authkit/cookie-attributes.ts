/**
 * authkit's cookies, rewritten with the deployment's attributes.
 *
 * What authkit does: decides `Secure` by itself, from the redirect URI inlined
 * at build time (verifiers set in route handlers, sign-out) or from the
 * request's scheme (the session, verifiers set by the proxy), which is http
 * behind a TLS terminator that forwards no proto; ignores the origin a request
 * was made on (APP_ALLOWED_ORIGINS); and deletes with `Max-Age=0`, which Next
 * drops when it re-parses the line, leaving an empty cookie in the browser.
 * What we need: every session and verifier cookie set or deleted with
 * session/cookies.ts' attributes for the request's origin. Every response the
 * app builds passes through {@link normaliseAuthSetCookies} (proxy, callback)
 * or {@link normaliseAuthCookieJar} (cookies set through next/headers:
 * authkit's server-side functions, wrapped in ./index.ts, and the callback).
 * Concerns: authkit-nextjs 4.3.2 (`getCookieOptions`, `NEXT_PUBLIC_WORKOS_REDIRECT_URI` read at build time).
 * Delete this file when authkit-nextjs takes cookie attributes per request (or per origin) from the app.
 */
import type { AuthConfig } from '../config/env';
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
import { isSessionCookieName } from './session-chunks';
import { isVerifierCookie, storedVerifierValue } from './verifier-cookies';

/** The canonical form of a session or verifier cookie that authkit set or deleted; undefined for any other cookie. */
async function canonicalAuthCookie(
  { name, value, deletes }: { name: string; value: string; deletes: boolean },
  config: Pick<AuthConfig, 'cookie'>,
  scope: AuthCookieScope,
): Promise<AuthCookie | undefined> {
  const kind = isSessionCookieName(config.cookie.name, name) ? 'session' : isVerifierCookie(name) ? 'verifier' : undefined;
  if (kind === undefined) return undefined;
  if (deletes) return expiredAuthCookie(name, kind, scope);
  const stored = kind === 'verifier' ? await storedVerifierValue(value) : value;
  return { name, value: stored, ...authCookieAttributes(kind, scope) };
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
 * differs from the request's was written here, and is written again with the
 * attributes of `scope`.
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
    if (canonical) jar.set(canonical);
  }
}
