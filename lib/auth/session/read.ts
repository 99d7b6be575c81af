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
import { forbidden, redirect } from 'next/navigation';
import { cache } from 'react';
import { refreshSession } from '../authkit';
import { forwardedAuth, readForwardedSession } from '../authkit/session-header';
import { sanitizeReturnTo } from '../authorization/return-to';
import { getAuthConfig } from '../config/env';
import { isSessionRevoked } from './revoked-sessions';
import { signInPath } from './route-access';
import type { AppSession } from './types';

/** What the proxy forwarded for this request, with its proof; null for a render the proxy never saw. */
const getForwardedAuth = cache(async () => forwardedAuth(await headers(), getAuthConfig().cookiePassword));

/** The signed-in session, or null (also for a session this app signed out). Cached for the duration of one request. */
export const getSession = cache(async (): Promise<AppSession | null> => {
  const seal = (await getForwardedAuth())?.seal;
  const session = seal ? await readForwardedSession(seal, getAuthConfig().cookiePassword) : null;
  return session && !isSessionRevoked(session.sessionId) ? session : null;
});

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

/** For a server action: trades the refresh token for a new access token now, instead of at expiry, then shows this page again. */
export async function refreshSessionNow(): Promise<never> {
  await requireSession();
  const page = await currentReturnPath();
  await refreshSession({ ensureSignedIn: true });
  revalidatePath(new URL(page, 'http://return-path.invalid').pathname);
  redirect(page);
}
