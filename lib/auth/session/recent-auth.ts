/**
 * Step-up: how recently the user proved who they are, for actions that must not ride on an old
 * sign-in (signing out other sessions, creating an API key…). The session's `auth_time` (its last
 * interactive sign-in; refreshes keep it) must be at most `maxAge` seconds old, checked on the
 * server from the session the proxy verified. Fails closed: a session without `auth_time` is stale.
 * The rule is authkit's checkRecentAuth()'s (its useRecentAuth() shows the same in the browser,
 * presentation only); recent-auth.test.ts pins the two together.
 *
 * When stale, the user signs in again through `/auth/sign-in?maxAge=…`: authkit's getSignInUrl({ maxAge })
 * sends OIDC `max_age`, so WorkOS asks for credentials unless its own sign-in is recent enough,
 * and the callback brings them back to the same page with a fresh `auth_time`.
 */
import { redirect } from 'next/navigation';
import { currentReturnPath, getSession, requireSession } from './read';
import type { AppSession } from './types';

/** This app's window for sensitive actions: a sign-in at most 10 minutes old (an action may ask for another). */
export const STEP_UP_MAX_AGE_SECONDS = 10 * 60;

export interface RecentAuth {
  /** True when the last sign-in is older than `maxAge`, or unknown. */
  isStale: boolean;
  authenticatedAt: Date | undefined;
}

/** Pure: authkit's rule (fail closed, inclusive boundary, a sign-in in the future counts as recent: clock skew). */
export function evaluateRecentAuth(authenticatedAt: Date | undefined, maxAgeSeconds: number, now = Date.now()): RecentAuth {
  if (!authenticatedAt || !Number.isFinite(authenticatedAt.getTime())) return { isStale: true, authenticatedAt: undefined };
  const ageSeconds = Math.floor(now / 1000) - Math.floor(authenticatedAt.getTime() / 1000);
  return { isStale: ageSeconds > maxAgeSeconds, authenticatedAt };
}

/** For a server action or page: is this request's sign-in at most `maxAge` seconds old? Signed out: stale. */
export async function checkRecentAuth({ maxAge }: { maxAge: number }): Promise<RecentAuth> {
  return evaluateRecentAuth((await getSession())?.authenticatedAt, maxAge);
}

/** Where a user signs in again for a step-up, then comes back to `returnTo`. */
export function reauthenticationPath(returnTo: string, maxAge: number): string {
  return `/auth/sign-in?${new URLSearchParams({ returnTo, maxAge: String(maxAge) })}`;
}

/**
 * For a sensitive server action: the session when its sign-in is at most `maxAge` seconds old;
 * otherwise a redirect to sign in again (`max_age`), back to this page, where the action can be
 * done again. Signed out: the usual sign-in.
 */
export async function requireRecentAuth({ maxAge }: { maxAge: number }): Promise<AppSession> {
  const session = await requireSession();
  if (evaluateRecentAuth(session.authenticatedAt, maxAge).isStale) redirect(reauthenticationPath(await currentReturnPath(), maxAge));
  return session;
}
