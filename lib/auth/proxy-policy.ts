/**
 * Phase 4 — what the proxy does on every matched request.
 *
 * 1. authkit() reads the sealed cookie, verifies the access token against the
 *    JWKS (cached), and refreshes it when it is expired or about to be.
 * 2. Protected paths without a session redirect to AuthKit, carrying the page
 *    (path + query) as the return path and setting the PKCE verifier cookie.
 * 3. Everything else passes through with the session forwarded to the render.
 *
 * A cookie this process accepted less than a minute ago, whose token is not
 * yet due for refresh, skips step 1 (lib/auth/verified-sessions.ts).
 */
import { unsealData } from 'iron-session';
import { NextRequest, type NextResponse } from 'next/server';
import { NONCE_HEADER, contentSecurityPolicy, createNonce } from '../security/headers';
import { AUTHKIT_SESSION_HEADER, authkit, getTokenClaims, handleAuthkitProxy } from './authkit';
import { getAuthConfig } from './config';
import { cookiesAreSecure } from './cookies';
import { describeError, logAuthEvent } from './log';
import { recallVerifiedSession, rememberVerifiedSession } from './verified-sessions';

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

/**
 * Every response the proxy produces is personalised (the layout renders the
 * account menu) or sets cookies (refresh, PKCE verifier): no shared cache may
 * keep it, and a private one must key it on the cookie.
 */
export function applyPrivateCacheHeaders(headers: Headers): void {
  headers.set('cache-control', 'private, no-store, max-age=0');
  const vary = new Set((headers.get('vary') ?? '').split(',').map((value) => value.trim()).filter(Boolean));
  if (![...vary].some((value) => value.toLowerCase() === 'cookie')) vary.add('Cookie');
  headers.set('vary', [...vary].join(', '));
}

/**
 * Forget the session for this request and in the browser: no sealed session is
 * forwarded to the render, any Set-Cookie authkit prepared for it is dropped,
 * and the cookie is deleted.
 */
export function dropSession(headers: Headers, { cookieName, secure }: { cookieName: string; secure: boolean }): void {
  headers.delete(AUTHKIT_SESSION_HEADER);
  const kept = headers.getSetCookie().filter((cookie) => !cookie.startsWith(`${cookieName}=`));
  headers.delete('set-cookie');
  for (const cookie of kept) headers.append('set-cookie', cookie);
  headers.append('set-cookie', `${cookieName}=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`);
}

/** The sealed user id in a session cookie, or undefined when it has none or cannot be read. */
async function sealedUserId(sealed: string | undefined, password: string): Promise<string | undefined> {
  if (!sealed) return undefined;
  try {
    const session = await unsealData<{ user?: { id?: unknown } }>(sealed, { password });
    return typeof session.user?.id === 'string' ? session.user.id : undefined;
  } catch {
    return undefined;
  }
}

/** True when authkit's response headers set a new session cookie (it refreshed the tokens). */
function refreshedSession(headers: Headers, cookieName: string): boolean {
  return headers.getSetCookie().some((cookie) => cookie.startsWith(`${cookieName}=`) && !cookie.startsWith(`${cookieName}=;`));
}

export async function authProxy(incoming: NextRequest): Promise<NextResponse> {
  const config = getAuthConfig();
  const nonce = createNonce();
  const csp = contentSecurityPolicy({ nonce, workosOrigin: config.api.origin, isDevelopment: process.env.NODE_ENV === 'development' });
  const request = withContentSecurityPolicy(incoming, csp, nonce);
  const response = await authenticate(request, config);
  response.headers.set('content-security-policy', csp);
  applyPrivateCacheHeaders(response.headers);
  return response;
}

async function authenticate(request: NextRequest, config: ReturnType<typeof getAuthConfig>): Promise<NextResponse> {
  const { redirectUri } = config;
  const cookieName = config.cookie.name;
  const incomingCookie = request.cookies.get(cookieName)?.value;
  const options = {
    // From the runtime environment, so one build serves any deployment URL.
    redirectUri,
    onSessionRefreshError: ({ error, isTransient }: { error?: unknown; isTransient: boolean }) =>
      logAuthEvent({ event: 'session_refresh_failed', transient: isTransient, reason: describeError(error) }),
  };

  // Steady state: the same cookie as a request this process accepted moments ago.
  const remembered = incomingCookie === undefined ? undefined : recallVerifiedSession(incomingCookie, config.cookiePassword, request.url);
  if (remembered) return handleAuthkitProxy(request, remembered.headers);

  let unreadable = false;
  let result: Awaited<ReturnType<typeof authkit>>;
  try {
    result = await authkit(request, options);
  } catch (error) {
    // iron-session throws on a cookie shaped like a seal but broken (`Fe26.2*…`),
    // and authkit does not catch it: every page would answer 500. Treat the
    // visitor as signed out instead, and delete the cookie below.
    if (incomingCookie === undefined) throw error;
    unreadable = true;
    request.cookies.delete(cookieName);
    result = await authkit(request, options);
  }
  const { session, headers, authorizationUrl } = result;

  let signedIn = Boolean(session.user);
  let refreshed = false;
  if (session.user && session.accessToken) {
    // authkit's proxy path does not bind the sealed user to the token subject
    // (withAuth does); check here so a forged user never reaches a protected page.
    const { sub } = await getTokenClaims(session.accessToken);
    signedIn = sub === session.user.id;
    // A refresh must never turn one user's cookie into another user's session.
    // Only checked when a refresh happened (rare), so steady-state requests pay one unseal, not two.
    refreshed = refreshedSession(headers, cookieName);
    if (signedIn && refreshed) {
      const previousUserId = await sealedUserId(incomingCookie, config.cookiePassword);
      if (previousUserId !== undefined && previousUserId !== session.user.id) signedIn = false;
    }
  }

  if (unreadable || (session.user && !signedIn)) {
    logAuthEvent({ event: 'session_rejected', reason: unreadable ? 'unreadable_cookie' : 'user_mismatch' });
    dropSession(headers, { cookieName, secure: cookiesAreSecure(config) });
  }

  if (signedIn && !unreadable && !refreshed && incomingCookie !== undefined) rememberVerifiedSession(incomingCookie, config.cookiePassword, result);

  if (!signedIn && isProtectedPath(request.nextUrl.pathname)) {
    // authkit only prepares an authorization URL when it saw no usable session;
    // for a session we rejected, start a fresh sign-in through our own route.
    const returnTo = `${request.nextUrl.pathname}${request.nextUrl.search}`;
    const redirect = authorizationUrl ?? new URL(`/auth/sign-in?${new URLSearchParams({ returnTo })}`, redirectUri);
    return handleAuthkitProxy(request, headers, { redirect });
  }
  return handleAuthkitProxy(request, headers);
}
