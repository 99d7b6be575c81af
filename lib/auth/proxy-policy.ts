/**
 * Phase 4 — what the proxy does on every matched request.
 *
 * 1. authkit() reads the sealed cookie, verifies the access token against the
 *    JWKS (cached), and refreshes it when it is expired or about to be.
 * 2. Protected paths without a session redirect to AuthKit, carrying the page
 *    (path + query) as the return path and setting the PKCE verifier cookie.
 * 3. Everything else passes through with the session forwarded to the render.
 */
import { authkit, getTokenClaims, handleAuthkitProxy } from '@workos-inc/authkit-nextjs';
import type { NextRequest, NextResponse } from 'next/server';
import { describeError, logAuthEvent } from './audit-log';
import { getAuthConfig } from './config';
import { workos } from './workos';

/** Path prefixes that need a signed-in user. Everything else is public. */
export const PROTECTED_PATH_PREFIXES = ['/dashboard'] as const;

export function isProtectedPath(pathname: string): boolean {
  return PROTECTED_PATH_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

export async function authProxy(request: NextRequest): Promise<NextResponse> {
  workos();
  const { redirectUri } = getAuthConfig();

  const { session, headers, authorizationUrl } = await authkit(request, {
    // From the runtime environment, so one build serves any deployment URL.
    redirectUri,
    onSessionRefreshError: ({ error, isTransient }) =>
      logAuthEvent({ event: 'session_refresh_failed', transient: isTransient, reason: describeError(error) }),
  });

  let signedIn = Boolean(session.user);
  if (session.user && session.accessToken) {
    // authkit's proxy path does not bind the sealed user to the token subject
    // (withAuth does); check here so a forged user never reaches a protected page.
    const { sub } = await getTokenClaims(session.accessToken);
    signedIn = sub === session.user.id;
  }

  if (!signedIn && isProtectedPath(request.nextUrl.pathname) && authorizationUrl) {
    return handleAuthkitProxy(request, headers, { redirect: authorizationUrl });
  }
  return handleAuthkitProxy(request, headers);
}
