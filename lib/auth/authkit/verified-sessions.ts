/**
 * A bounded in-process memo of sessions the proxy has already verified.
 *
 * What authkit does: unseals and RS256-verifies the same cookie on every request.
 * What we need: its answer for that exact cookie reused for up to a minute.
 * Delete this file when authkit-nextjs caches its own verification (or it costs
 * nothing in `npm run bench`: compare peers (o) and (m)).
 *
 * On every signed-in request authkit unseals the session cookie (iron: PBKDF2 +
 * HMAC + AES) and verifies the access token's RS256 signature against the JWKS:
 * most of what authentication costs per request (docs/performance.md). A
 * browser sends the same cookie on every request until the token is refreshed,
 * so the proxy remembers authkit's answer for that exact cookie and, while it
 * may, answers the next request with it instead of unsealing and verifying again.
 *
 * Why a hit is as good as authkit's own answer (docs/security.md, "Verified-session memo"):
 * - The key is the whole sealed cookie (its HMAC included) and the cookie
 *   password. Only an answer authkit gave for these exact bytes, that our proxy
 *   then accepted (token subject = sealed user), with no refresh and no cookie
 *   change, is stored. A forged, altered or different cookie is another key and
 *   goes through authkit, as before. A new password misses.
 * - An entry lives at most 60 s, and never into the token's refresh window
 *   (authkit's rule: the last 60 s of the token, 30 s for tokens living ≤ 5 min),
 *   so it is gone before authkit would refresh or the token would expire: every
 *   refresh, expiry and invalid_grant still happens in authkit, on time.
 * - A hit changes nothing about revocation: authkit does not check sessions with
 *   WorkOS per request either, and jose keeps a fetched key set for 10 minutes,
 *   so a removed signing key is noticed no sooner without the memo.
 * - Bounded: at most MAX_ENTRIES; the least recently used goes first.
 * - No request can change what another reads: the stored session is a deeply
 *   frozen copy (a write throws), and every hit gets its own headers.
 * - Only x-url depends on the request in authkit's answer for a valid,
 *   unexpiring token; it is set from the request on every hit.
 *   lib/auth/verified-sessions.test.ts pins that against authkit itself.
 */
import 'server-only';

import { decodeJwt } from 'jose';
import { boundedCache, ttlFor } from '../../cache-sizes';
import { deepFreeze } from '../../deep-freeze';
import type { authkit } from '@workos-inc/authkit-nextjs';
import { AUTHKIT_SESSION_HEADER } from './session-header';

type AuthkitResult = Awaited<ReturnType<typeof authkit>>;

/** An entry is never kept longer than this. */
export const MAX_AGE_MS = 60_000;
export const MAX_ENTRIES = 2_000;
/** The one request-dependent header in authkit's answer for a valid token. */
const URL_HEADER = 'x-url';

interface Entry {
  /** A deeply frozen copy of the session object authkit returned (plain data: user, token, claims). */
  session: AuthkitResult['session'];
  headers: [string, string][];
}

const entries = boundedCache<Entry>('verified-sessions', { max: MAX_ENTRIES });

const keyOf = (cookie: string, password: string) => `${password}\u0000${cookie}`;

/**
 * When authkit would start refreshing this token (ms since epoch): `exp` minus
 * its default buffer, and a second earlier as a margin (it compares whole seconds).
 */
export function refreshWindowStart(accessToken: string): number | undefined {
  try {
    const { exp, iat } = decodeJwt(accessToken);
    if (typeof exp !== 'number') return undefined;
    const bufferSeconds = exp - (iat ?? exp) <= 300 ? 30 : 60;
    return (exp - bufferSeconds - 1) * 1000;
  } catch {
    return undefined;
  }
}

/** authkit's answer for this exact cookie, if the proxy accepted it less than a minute ago and the token is not due for refresh. */
export function recallVerifiedSession(cookie: string, password: string, requestUrl: string): AuthkitResult | undefined {
  const entry = entries.get(keyOf(cookie, password));
  if (!entry) return undefined;
  const headers = new Headers(entry.headers);
  headers.set(URL_HEADER, requestUrl);
  return { session: entry.session, headers };
}

/**
 * Remember authkit's answer for `cookie`. Call only once the proxy has accepted
 * the session. Anything but "valid token, served as is" is not stored: no user,
 * a refresh (a new cookie) or any Set-Cookie, a forwarded session that is not
 * this cookie, a token without `exp`, or one already in its refresh window.
 */
export function rememberVerifiedSession(cookie: string, password: string, result: AuthkitResult): void {
  const { session, headers } = result;
  if (!session.user || !session.accessToken || result.authorizationUrl) return;
  if (headers.getSetCookie().length > 0 || headers.get(AUTHKIT_SESSION_HEADER) !== cookie) return;
  const windowStart = refreshWindowStart(session.accessToken);
  if (windowStart === undefined) return;
  const ttl = ttlFor(Math.min(MAX_AGE_MS, windowStart - Date.now()));
  if (ttl <= 0) return;
  entries.set(
    keyOf(cookie, password),
    {
      session: deepFreeze(JSON.parse(JSON.stringify(session)) as AuthkitResult['session']),
      headers: [...headers],
    },
    { ttl },
  );
}

export function verifiedSessionCount(): number {
  return entries.size;
}

/** For tests. */
export function forgetVerifiedSessions(): void {
  entries.clear();
}
