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
import { NextRequest, type NextResponse } from 'next/server';
import { NONCE_HEADER, contentSecurityPolicy, createNonce } from '../security/headers';
import { describeError, logAuthEvent } from './audit-log';
import { getAuthConfig } from './config';
import { workos } from './workos';

/** Path prefixes that need a signed-in user. Everything else is public. */
export const PROTECTED_PATH_PREFIXES = ['/dashboard'] as const;

export function isProtectedPath(pathname: string): boolean {
  return PROTECTED_PATH_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

/**
 * The request as the app should see it: with our nonce and CSP (Next reads the
 * CSP request header to put the nonce on its own scripts). Any client-sent
 * values of these headers are overwritten.
 */
function withContentSecurityPolicy(request: NextRequest, csp: string, nonce: string): NextRequest {
  const headers = new Headers(request.headers);
  headers.set(NONCE_HEADER, nonce);
  headers.set('content-security-policy', csp);
  return new NextRequest(request, { headers });
}

export async function authProxy(incoming: NextRequest): Promise<NextResponse> {
  workos();
  const config = getAuthConfig();
  const { redirectUri } = config;
  const nonce = createNonce();
  const csp = contentSecurityPolicy({ nonce, workosOrigin: config.api.origin, isDevelopment: process.env.NODE_ENV === 'development' });
  const request = withContentSecurityPolicy(incoming, csp, nonce);
  const response = await authenticate(request, redirectUri);
  response.headers.set('content-security-policy', csp);
  return response;
}

async function authenticate(request: NextRequest, redirectUri: string): Promise<NextResponse> {
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
