/**
 * Demo feature: the user's active WorkOS sessions (one per browser or device
 * signed in), and "sign out of other sessions" (./actions.ts).
 *
 * Listing is one WorkOS call per user, cached in memory for a minute like the
 * memberships, so the dashboard does not hit WorkOS on every render. The cache
 * is dropped whenever this app changes the list itself: a sign-in or sign-out
 * of that user (hooks wired in app/api/auth/callback/route.ts and
 * app/actions.ts) and a revocation. Changes made elsewhere (another instance,
 * expiry, the WorkOS dashboard) show within the minute.
 *
 * Revoking a session ends it at WorkOS (its refresh token stops working) and
 * adds it to the app's revocation list, so that browser is refused at its next
 * request, on every instance, although the access token it holds is still valid.
 */
import 'server-only';

import Bowser from 'bowser';
import {
  addRevokedSession,
  listUserSessions,
  logAuthEvent,
  revokedUntil,
  revokeSession,
  type AppSession,
  type UserSession,
} from '@/lib/auth';
import { perUserCache } from '../per-user-cache';

/** One signed-in browser or device, as WorkOS describes it. */
export interface ActiveSession {
  id: string;
  /** The User-Agent the session was created from, as WorkOS recorded it. */
  userAgent: string | null;
  /** The browser and system that User-Agent names ("Chrome on Linux"). */
  device: string;
  ipAddress: string | null;
  /** WorkOS' name for how it was signed in (`password`, `sso`, `oauth`, …). */
  authMethod: string;
  createdAt: Date;
  /** WorkOS' `updated_at`: the session's last change, e.g. its last token refresh. */
  lastActiveAt: Date;
  /** This browser's session. */
  current: boolean;
}

const CACHE_TTL_MS = 60_000;
const MAX_CACHED_USERS = 1_000;
/** WorkOS' page size limit; more sessions than this for one user are not shown (nor revoked in one go). */

const cache = perUserCache<UserSession[]>({
  name: 'active-sessions',
  ttlMs: CACHE_TTL_MS,
  maxUsers: MAX_CACHED_USERS,
  processWideKey: Symbol.for('authkit-starter.active-sessions'),
});

/** The user's active sessions at WorkOS, checked. Throws when WorkOS fails or answers oddly. */
async function fetchActiveSessions(userId: string): Promise<UserSession[]> {
  // WorkOS lists active sessions; a stray expired/revoked one is not something to show or revoke.
  return (await listUserSessions(userId)).filter((session) => session.status === 'active' && session.userId === userId);
}

/** Active sessions for the dashboard: this browser's first, then the most recently active. */
export async function listActiveSessions(session: Pick<AppSession, 'user' | 'sessionId'>): Promise<ActiveSession[]> {
  const userId = session.user.id;
  const listed = await cache.read(userId, () => fetchActiveSessions(userId));
  return listed
    .map(({ id, userAgent, ipAddress, authMethod, createdAt, updatedAt }) => ({
      id,
      userAgent,
      device: deviceName(userAgent),
      ipAddress,
      authMethod,
      createdAt,
      lastActiveAt: updatedAt,
      current: id === session.sessionId,
    }))
    .sort((a, b) => Number(b.current) - Number(a.current) || b.lastActiveAt.getTime() - a.lastActiveAt.getTime());
}

/** "Chrome on Linux", as far as bowser can tell from the User-Agent. */
export function deviceName(userAgent: string | null): string {
  // bowser throws on an empty User-Agent.
  const { browser, os } = userAgent ? Bowser.parse(userAgent) : { browser: {}, os: {} };
  return [browser.name, os.name].filter(Boolean).join(' on ') || 'Unknown device';
}

export function forgetCachedSessions(userId: string): void {
  cache.forget(userId);
}

/** Sign-in and sign-out hook: a session of this user starts or ends, so the cached list is stale. */
export async function forgetSessionsOf(signedInOrOut: Pick<AppSession, 'user'> | null): Promise<void> {
  if (signedInOrOut) forgetCachedSessions(signedInOrOut.user.id);
}

/**
 * Revokes every active session of this user except `session` itself, from a
 * fresh list (not the cache: a session that started a moment ago must go too).
 * Throws when the list cannot be read, and refuses an impersonated session; a
 * revocation that fails is counted.
 */
export async function revokeOtherSessions(
  session: Pick<AppSession, 'user' | 'sessionId'> &
    Partial<Pick<AppSession, 'impersonator' | 'accessTokenIssuedAt' | 'accessTokenExpiresAt'>>,
): Promise<{ revoked: number; failed: number }> {
  // Without our own session id every session would look like "another": refuse rather than sign this browser out too.
  if (!session.sessionId) throw new Error('the current session has no id');
  // Support staff looking through a user's eyes must not sign that user out of their own devices.
  if (session.impersonator) throw new Error('not while impersonating');
  const userId = session.user.id;
  forgetCachedSessions(userId);
  const others = (await fetchActiveSessions(userId)).filter((listed) => listed.id !== session.sessionId);
  // Ended at WorkOS, then refused here at once (the revocation list) for as long as one of its tokens may be valid.
  const until = revokedUntil(session);
  const results = await Promise.allSettled(others.map(({ id }) => revokeSession(id).then(() => addRevokedSession(id, until))));
  forgetCachedSessions(userId);
  const outcome = {
    revoked: results.filter((result) => result.status === 'fulfilled').length,
    failed: results.filter((result) => result.status === 'rejected').length,
  };
  logAuthEvent({ event: 'other_sessions_revoked', userId, sessionId: session.sessionId, ...outcome });
  return outcome;
}
