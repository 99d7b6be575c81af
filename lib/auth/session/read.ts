/**
 * Phase 4 — the session as pages, route handlers and server actions see it.
 *
 * The proxy has already verified the access token against WorkOS' JWKS (and
 * refreshed it when due) before any page renders, and forwarded it with its
 * proof (authkit/session-header.ts); this module turns that into one typed
 * object plus the helpers pages use. Pages never decode tokens themselves.
 */
import 'server-only';

import { revalidatePath } from 'next/cache';
import { headers } from 'next/headers';
import { forbidden, redirect, unstable_rethrow } from 'next/navigation';
import { cache } from 'react';
import { deleteSession, refreshSession, refreshTokenRefused, switchToOrganization } from '../authkit';
import { forwardedAuth, readForwardedAccessToken, readForwardedSession } from '../authkit/session-header';
import { sanitizeReturnTo } from '../authorization/return-to';
import { getAuthConfig } from '../config/env';
import { newReferenceId } from '../errors/codes';
import { describeError, logAuthEvent } from '../errors/log';
import { isSessionRevoked } from './revoked-sessions';
import { signInPath } from './route-access';
import type { AppSession, ClientAuth } from './types';

/** What the proxy forwarded for this request, with its proof; null for a render the proxy never saw. */
const getForwardedAuth = cache(async () => forwardedAuth(await headers(), getAuthConfig().cookiePassword));

/** The signed-in session, or null (also for a session this app signed out). Cached for the duration of one request. */
export const getSession = cache(async (): Promise<AppSession | null> => {
  const seal = (await getForwardedAuth())?.seal;
  const session = seal ? await readForwardedSession(seal, getAuthConfig().cookiePassword) : null;
  return session && !isSessionRevoked(session.sessionId) ? session : null;
});

/**
 * The access token of this request's session, or null: for the server actions that hand it to the
 * browser (authkit's useAccessToken, authkit/client-actions.ts). Pages never need it.
 */
export const getAccessToken = cache(async (): Promise<string | null> => {
  const seal = (await getForwardedAuth())?.seal;
  if (!seal || !(await getSession())) return null;
  return readForwardedAccessToken(seal, getAuthConfig().cookiePassword);
});

/** What the browser may know about a session (no token, expiry or sign-in method): authkit's AuthKitProvider's initialAuth. */
export function toClientAuth(session: AppSession | null): ClientAuth {
  if (!session) return { user: null };
  const { user, sessionId, organizationId, role, roles, permissions, entitlements, featureFlags, impersonator } = session;
  return { user, sessionId, organizationId, role, roles, permissions, entitlements, featureFlags, impersonator };
}

export function hasPermission(session: AppSession, permission: string): boolean {
  return session.permissions.includes(permission);
}

/**
 * The page this request is for (path + query, as the proxy saw it), to come back
 * to after sign-in; the default return path when the proxy did not see it, or
 * when it is not a safe same-origin path.
 */
export async function currentReturnPath(): Promise<string> {
  return sanitizeReturnTo((await getForwardedAuth())?.returnTo);
}

/**
 * The session, or a redirect to sign-in that comes back to this page. The proxy
 * already redirects signed-out visitors of every non-public route; this covers
 * a session the proxy accepted but the render rejects (sealed user ≠ token
 * subject, expired token) and renders the proxy never saw.
 */
export async function requireSession(): Promise<AppSession> {
  const session = await getSession();
  if (!session) redirect(signInPath(await currentReturnPath()));
  return session;
}

/** The session if it holds `permission`; otherwise the 403 page (app/forbidden.tsx). */
export async function requirePermission(permission: string): Promise<AppSession> {
  const session = await requireSession();
  if (!hasPermission(session, permission)) forbidden();
  return session;
}

/** `page` with `?<notice>=failed&ref=<reference>`; without either when there is no reference (a success after a failure). */
function withNotice(page: string, notice: string, reference?: string): string {
  const target = new URL(page, 'http://return-path.invalid');
  target.searchParams.delete(notice);
  target.searchParams.delete('ref');
  if (reference) {
    target.searchParams.set(notice, 'failed');
    target.searchParams.set('ref', reference);
  }
  return `${target.pathname}${target.search}`;
}

export type RefreshOutcome<T> = { ok: true; value: T } | { ok: false; ended: boolean; reference: string };

/**
 * The one way a server action refreshes the session at WorkOS (the page
 * actions below and the client components' actions, authkit/client-actions.ts;
 * the proxy's refresh is authkit's own, authkit/proxy-session.ts), so that
 * WorkOS failing is never a 500. One log line with a reference id; a refresh
 * token WorkOS refused (invalid_grant: the session was ended) deletes the
 * session (`ended`); anything else (429, 5xx, a dropped connection, a timeout,
 * an unusable answer) keeps it.
 */
export async function refreshForAction<T>(refresh: () => Promise<T>): Promise<RefreshOutcome<T>> {
  try {
    return { ok: true, value: await refresh() };
  } catch (error) {
    unstable_rethrow(error); // Next's redirect: switchToOrganization ends with one
    const reference = newReferenceId();
    const ended = refreshTokenRefused(error);
    logAuthEvent({ event: 'session_refresh_failed', transient: !ended, reason: describeError(error), reference });
    if (ended) await deleteSession();
    return { ok: false, ended, reference };
  }
}

/** {@link refreshForAction}, then: an ended session goes to sign-in; a failure back to `page` with `?<notice>=failed&ref=<reference>`. */
async function refreshAtWorkOS(refresh: () => Promise<unknown>, page: string, notice: string): Promise<void> {
  const outcome = await refreshForAction(refresh);
  if (outcome.ok) return;
  if (outcome.ended) redirect(signInPath(withNotice(page, notice)));
  redirect(withNotice(page, notice, outcome.reference));
}

/** For a server action: trades the refresh token for a new access token now, instead of at expiry, then shows this page again. */
export async function refreshSessionNow(): Promise<never> {
  await requireSession();
  const page = await currentReturnPath();
  await refreshAtWorkOS(() => refreshSession({ ensureSignedIn: true }), page, 'refresh');
  revalidatePath(new URL(page, 'http://return-path.invalid').pathname);
  redirect(withNotice(page, 'refresh'));
}

/** For a server action: the session in another of the user's organizations, then `returnTo` (`?<notice>=failed` there if WorkOS cannot). */
export async function switchOrganization(organizationId: string, returnTo: string, notice: string): Promise<void> {
  await refreshAtWorkOS(() => switchToOrganization(organizationId, { returnTo }), returnTo, notice);
}
