/**
 * Sealing with iron (as authkit seals the session), and unsealing with a small in-process memo.
 *
 * What authkit does: unseals the session cookie in the proxy, then hands the
 * render only the sealed string (./session-header.ts), so every reader unseals
 * it again. Features seal their own cookies and Redis values the same way
 * ({@link sealWithCookiePassword}), so this is the one file that imports iron-session.
 * Delete the memo when authkit hands the render the session it has already unsealed.
 *
 * An iron-session unseal is PBKDF2 + HMAC + AES through Web Crypto, ~0.8 ms on
 * a 2-core VM, and a signed-in page used to pay it three times per request for
 * the same bytes: authkit in the proxy, `getSession()` for the forwarded
 * session, and the sign-in context's cookie (read, as every app cookie, by
 * `readSealedAppCookie`, session/cookies.ts). Only the last two are ours; they
 * now unseal a given seal once per process and reuse the result.
 *
 * Why this keeps the guarantees of a fresh unseal:
 * - The key is the whole sealed string, HMAC included, and an entry is only
 *   stored after iron verified that HMAC with our password. A hit means these
 *   exact bytes were authenticated before, so they decrypt to the same data.
 *   A forged or altered seal is a different key and is unsealed (and fails)
 *   as before. The password is part of the key, so rotating it misses.
 * - A seal's expiry (its `expiration` field, covered by the HMAC) still holds:
 *   an entry is dropped at that instant, before iron would stop accepting it
 *   (iron allows 60 s of skew). Entries also live at most MAX_AGE_MS, so a
 *   process does not keep cookies it no longer sees, and at most MAX_ENTRIES
 *   are kept, the least recently used dropped first.
 * - Results that iron-session reports as unreadable (it returns `{}` for a bad
 *   HMAC, an expired seal or an unknown password) are never stored.
 * - What it returns is deeply frozen (a write throws), the same object for
 *   every hit on one entry, so no request can change what another one reads,
 *   and no hit pays for a copy (a JSON copy of the session per request was the
 *   largest cost of ours in a signed-in render, docs/performance.md). Callers
 *   may key per-entry work on that identity (lib/auth/session/read.ts decodes the
 *   access token once per entry).
 * - Nothing about sessions being revoked changes: the proxy still decides on
 *   every request (authkit, or its verified-session memo within that memo's
 *   limits); this only skips re-deriving what that same cookie contains.
 */
import 'server-only';

import { sealData, unsealData } from 'iron-session';
import { getAuthConfig } from '../config/env';
import { boundedCache, ttlFor } from '../../cache-sizes';
import { deepFreeze } from '../../deep-freeze';

const MAX_AGE_MS = 60_000;
const MAX_ENTRIES = 1_000;

/** Deeply frozen unsealed data, by password and seal. */
const entries = boundedCache<object>('unseal-cache', { max: MAX_ENTRIES });

/** The seal's own expiry (ms since epoch), or undefined when it was sealed without one. */
export function sealExpiry(sealed: string): number | undefined {
  // iron-session: `Fe26.2*id*encSalt*encIv*data*expiration*hmacSalt*hmac~2`.
  const expiration = sealed.split('*')[5];
  return expiration && /^\d+$/.test(expiration) ? Number(expiration) : undefined;
}

/** The unsealed data, deeply frozen; `{}` when the seal does not verify (iron-session's answer). */
export async function unsealDataCached<T>(sealed: string, { password }: { password: string }): Promise<T> {
  const key = `${password}\u0000${sealed}`;
  const hit = entries.get(key);
  if (hit) return hit as T;
  // No ttl: iron's unseal ignores it; the seal's own expiration (set when it was sealed) is what expires it.
  const data = deepFreeze(await unsealData<T & object>(sealed, { password }));
  // iron-session answers {} for an unreadable seal (and for a sealed null): only an object with something in it is kept.
  if (typeof data === 'object' && Object.keys(data).length > 0) {
    const entryTtl = ttlFor(Math.min(MAX_AGE_MS, (sealExpiry(sealed) ?? Number.POSITIVE_INFINITY) - Date.now()));
    if (entryTtl > 0) entries.set(key, data, { ttl: entryTtl });
  }
  return data;
}

/** For tests. */
export function clearUnsealCache(): void {
  entries.clear();
}

/** Seals app data (a feature's cookie or Redis value) with the cookie password; `ttl` in seconds, 0 for none. */
export function sealWithCookiePassword(data: object, { ttl = 0, password = getAuthConfig().cookiePassword } = {}): Promise<string> {
  return sealData(data, { password, ttl });
}

/** The data in a seal made by {@link sealWithCookiePassword}; `{}` when it cannot be read (tampered, expired, other password). */
export function unsealWithCookiePassword(sealed: string, { ttl = 0, password = getAuthConfig().cookiePassword } = {}): Promise<unknown> {
  return unsealData(sealed, { password, ttl });
}

/** The sealed user id in a session cookie, or undefined when it has none or cannot be read. */
export async function unsealSessionUserId(sealed: string | undefined, password: string): Promise<string | undefined> {
  if (!sealed) return undefined;
  try {
    const session = await unsealData<{ user?: { id?: unknown } }>(sealed, { password });
    return typeof session.user?.id === 'string' ? session.user.id : undefined;
  } catch {
    return undefined;
  }
}
