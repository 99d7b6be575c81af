/**
 * Phase 4 — what the proxy does on every matched request.
 *
 * 0. Requests outside the app's pages reach the proxy only because they may be
 *    server actions (see proxy.ts): those are refused, the rest pass untouched.
 * 1. authkit() reads the sealed cookie, verifies the access token against the
 *    JWKS (cached), and refreshes it when it is expired or about to be.
 * 2. Deny by default: without a session, every path but the public ones
 *    (lib/auth/route-access.ts) redirects to AuthKit, carrying the page (path +
 *    query) as the return path; API routes answer 401 JSON instead.
 * 3. Everything else passes through with the session forwarded to the render,
 *    with proof that this proxy forwarded it (lib/auth/proxy-proof.ts).
 *
 * A cookie this process accepted less than a minute ago, whose token is not
 * yet due for refresh, skips step 1 — authkit's unseal and RS256 check, and
 * the request copy authkit needs to run (lib/auth/verified-sessions.ts).
 */
import { unsealData } from 'iron-session';
import { NextRequest, NextResponse } from 'next/server';
import { NONCE_HEADER, contentSecurityPolicy } from '../../security/headers';
import { createNonce } from '../../security/random';
import { AUTHKIT_SESSION_HEADER, authkit, forwardWithAuthkitHeaders, getTokenClaims, handleAuthkitProxy } from '../authkit/client';
import { getAuthConfig, type AuthConfig } from '../config/env';
import {
  authCookieScope,
  expiredAuthCookie,
  normaliseAuthSetCookies,
  pruneVerifierCookies,
  serializeSetCookie,
  type AuthCookieScope,
} from './cookies';
import { authErrorUrl, newReferenceId } from '../errors/codes';
import { describeError, logAuthEvent } from '../errors/log';
import { redirectUriFor, requestOrigin } from '../config/origin';
import { PROXY_PROOF_HEADER, RETURN_TO_HEADER, createProxyProof, stripForwardedAuthHeaders } from './proof';
import { API_UNAUTHORIZED_BODY, isApiPath, isPagePath, isPossibleServerAction, isPublicPath } from './route-access';
import { chunkNames, joinChunks, rewriteSessionSetCookies } from '../authkit/session-chunks';
import { recallVerifiedSession, rememberVerifiedSession } from '../authkit/verified-sessions';

/** The body of the 403 for a server action posted outside the app's pages. */
export const SERVER_ACTION_REFUSED = 'Server actions are only accepted on pages.';

/**
 * The request headers as the app should see them: without client-sent auth
 * headers, with our nonce and CSP (Next reads the CSP request header to put the
 * nonce on its own scripts). Any client-sent values of these are overwritten.
 */
function forwardedRequestHeaders(request: NextRequest, csp: string, nonce: string): Headers {
  const headers = new Headers(request.headers);
  stripForwardedAuthHeaders(headers);
  headers.set(NONCE_HEADER, nonce);
  headers.set('content-security-policy', csp);
  return headers;
}

/**
 * Every response the proxy produces is personalised (the layout renders the
 * account menu) or sets cookies (refresh, PKCE verifier): no shared cache may
 * keep it, and a private one must key it on the cookie.
 */
export function applyPrivateCacheHeaders(headers: Headers): void {
  headers.set('cache-control', 'private, no-store, max-age=0');
  const vary = new Set(
    (headers.get('vary') ?? '')
      .split(',')
      .map((value) => value.trim())
      .filter(Boolean),
  );
  if (![...vary].some((value) => value.toLowerCase() === 'cookie')) vary.add('Cookie');
  headers.set('vary', [...vary].join(', '));
}

/**
 * Forget the session for this request and in the browser: no sealed session is
 * forwarded to the render, any Set-Cookie authkit prepared for it is dropped,
 * and the cookie is deleted with the attributes it was set with (lib/auth/cookies.ts).
 */
export function dropSession(headers: Headers, { cookieName, scope }: { cookieName: string; scope: AuthCookieScope }): void {
  headers.delete(AUTHKIT_SESSION_HEADER);
  const kept = headers.getSetCookie().filter((cookie) => !cookie.startsWith(`${cookieName}=`));
  headers.delete('set-cookie');
  for (const cookie of kept) headers.append('set-cookie', cookie);
  headers.append('set-cookie', serializeSetCookie(expiredAuthCookie(cookieName, 'session', scope)));
}

/**
 * Every auth cookie on the proxy's response gets the attributes of the origin
 * the request was made on (Secure, Domain…, lib/auth/cookies.ts), and verifier
 * cookies beyond the cap are expired.
 */
async function settleAuthCookies(request: NextRequest, response: NextResponse, config: AuthConfig, scope: AuthCookieScope): Promise<void> {
  await normaliseAuthSetCookies(response.headers, config, scope);
  // Only verifier cookies are pruned: the browser's own are what counts.
  pruneVerifierCookies(request.cookies.getAll(), response.headers, scope);
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

/**
 * A server action (Next-Action header, or the multipart form post of one before hydration)
 * sent from another origin than the one this request is served on (`appOrigin`, from
 * lib/auth/origin.ts), judged by Origin or, without it, the Referer. Next refuses these
 * itself, but with a 500 (and throws on an Origin that is not a URL); the proxy answers 403
 * first. With neither header it is not a browser's cross-site request: left to Next, as Next does.
 */
export function isCrossOriginAction(request: NextRequest, appOrigin: string): boolean {
  if (!isPossibleServerAction(request) || isApiPath(request.nextUrl.pathname)) return false;
  const origin = request.headers.get('origin');
  if (origin !== null) return origin !== appOrigin;
  const referer = request.headers.get('referer');
  if (referer === null) return false;
  return !URL.canParse(referer) || new URL(referer).origin !== appOrigin;
}

/**
 * A request outside the app's pages (a static file, Next's build output, the
 * callback) that reached the proxy through its server-action matchers. Next
 * would run the action in a 404 render the proxy never saw, so it is refused
 * before any action code runs; anything else passes without auth headers.
 */
function outsideThePages(request: NextRequest): NextResponse {
  if (isPossibleServerAction(request)) {
    logAuthEvent({ event: 'server_action_refused', reason: 'outside_proxied_pages' });
    return new NextResponse(SERVER_ACTION_REFUSED, {
      status: 403,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'private, no-store, max-age=0' },
    });
  }
  const headers = new Headers(request.headers);
  stripForwardedAuthHeaders(headers);
  return NextResponse.next({ request: { headers } });
}

export async function authProxy(incoming: NextRequest): Promise<NextResponse> {
  if (!isPagePath(incoming.nextUrl.pathname)) return outsideThePages(incoming);
  const config = getAuthConfig();
  const nonce = createNonce();
  const csp = contentSecurityPolicy({ nonce, workosOrigin: config.api.origin, isDevelopment: process.env.NODE_ENV === 'development' });
  const forwarded = forwardedRequestHeaders(incoming, csp, nonce);
  // The request's own origin when it is on the allow-list (lib/auth/origin.ts).
  const origin = requestOrigin(incoming, config);
  const scope = authCookieScope(config, origin);
  let response: NextResponse;
  if (isCrossOriginAction(incoming, origin)) {
    response = new NextResponse('Cross-origin server action refused.', {
      status: 403,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  } else {
    response =
      forwardRemembered(incoming, forwarded, config) ??
      (await authenticate(new NextRequest(incoming, { headers: forwarded }), config, origin, scope));
    await settleAuthCookies(incoming, response, config, scope);
  }
  response.headers.set('content-security-policy', csp);
  applyPrivateCacheHeaders(response.headers);
  return response;
}

/**
 * Steady state: the session cookie is exactly one this process accepted less
 * than a minute ago (lib/auth/verified-sessions.ts). authkit's remembered answer
 * is forwarded to the render with the return path and proof, as authenticate()
 * would forward it, without the request copy authkit needs to run. A session in
 * chunks takes the full path (its joined cookie is forwarded there).
 */
function forwardRemembered(incoming: NextRequest, forwarded: Headers, config: AuthConfig): NextResponse | undefined {
  const cookie = incoming.cookies.get(config.cookie.name)?.value;
  const remembered = cookie ? recallVerifiedSession(cookie, config.cookiePassword, incoming.url) : undefined;
  if (!remembered) return undefined;
  addProxyProof(forwarded, remembered.headers, { returnTo: returnPathOf(incoming.nextUrl), cookiePassword: config.cookiePassword });
  return forwardWithAuthkitHeaders(forwarded, remembered.headers);
}

async function authenticate(request: NextRequest, config: AuthConfig, origin: string, scope: AuthCookieScope): Promise<NextResponse> {
  const cookieName = config.cookie.name;
  const sentCookieNames = request.cookies.getAll().map((cookie) => cookie.name);
  joinSessionChunks(request, cookieName);
  const incomingCookie = request.cookies.get(cookieName)?.value;
  const options = {
    // From the runtime environment and the request's allowed origin, so one build serves any deployment URL.
    redirectUri: redirectUriFor(origin),
    onSessionRefreshError: ({ error, isTransient }: { error?: unknown; isTransient: boolean }) =>
      logAuthEvent({ event: 'session_refresh_failed', transient: isTransient, reason: describeError(error) }),
  };

  // A session in chunks, joined above, that this process accepted moments ago
  // (a single cookie was already looked up in forwardRemembered): it stands in
  // for authkit's unseal + RS256 check; everything after still runs.
  const remembered = incomingCookie === undefined ? undefined : recallVerifiedSession(incomingCookie, config.cookiePassword, request.url);

  let unreadable = false;
  let result: Awaited<ReturnType<typeof authkit>>;
  try {
    result = remembered ?? (await authkit(request, options));
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
  // A remembered session passed these checks when it was stored, for these exact bytes.
  if (session.user && session.accessToken && !remembered) {
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

  let tooLarge = false;
  if (unreadable || (session.user && !signedIn)) {
    logAuthEvent({ event: 'session_rejected', reason: unreadable ? 'unreadable_cookie' : 'user_mismatch' });
    dropSession(headers, { cookieName, scope });
    expireSessionChunks(headers, cookieName, sentCookieNames, scope);
  } else {
    // A refreshed session is written in the form the browser keeps (one cookie, or chunks).
    const stored = rewriteSessionSetCookies(headers, { cookieName, requestCookieNames: sentCookieNames });
    if (stored.tooLarge) {
      tooLarge = true;
      signedIn = false;
      headers.delete(AUTHKIT_SESSION_HEADER);
      const reference = newReferenceId();
      logAuthEvent({ event: 'session_too_large', userId: session.user?.id, bytes: stored.bytes, reference, during: 'refresh' });
      if (!isApiPath(request.nextUrl.pathname))
        return handleAuthkitProxy(request, headers, { redirect: authErrorUrl('session_too_large', reference, origin) });
    }
  }

  if (signedIn && !unreadable && !refreshed && !tooLarge && !remembered && incomingCookie !== undefined) {
    rememberVerifiedSession(incomingCookie, config.cookiePassword, result);
  }

  const returnTo = returnPathOf(request.nextUrl);
  if (!signedIn && (tooLarge || !isPublicPath(request.nextUrl.pathname))) {
    if (isApiPath(request.nextUrl.pathname)) return unauthorizedApiResponse(request, headers);
    // authkit only prepares an authorization URL when it saw no usable session;
    // for a session we rejected, start a fresh sign-in through our own route.
    const redirect = authorizationUrl ?? new URL(`/auth/sign-in?${new URLSearchParams({ returnTo })}`, origin);
    return handleAuthkitProxy(request, headers, { redirect });
  }
  // `request` is the proxy's own copy: its headers are the ones forwarded.
  addProxyProof(request.headers, headers, { returnTo, cookiePassword: config.cookiePassword });
  return handleAuthkitProxy(request, headers);
}

/**
 * A session stored in chunks (session-cookie-chunks.ts) is joined back into the
 * one cookie authkit reads, in this request and in the one forwarded to the
 * render. The chunk cookies stay in the forwarded header so sign-out can expire
 * them; a non-empty session cookie of authkit's own name wins over chunks.
 */
function joinSessionChunks(request: NextRequest, cookieName: string): void {
  // An empty one is a deletion Next kept as a session cookie (it drops Max-Age=0): not a session.
  if (request.cookies.get(cookieName)?.value) return;
  const joined = joinChunks(cookieName, request.cookies.getAll());
  if (joined !== undefined) request.cookies.set(cookieName, joined);
}

/** Deletes the session's chunk cookies the browser sent, alongside dropSession's deletion of the cookie itself. */
function expireSessionChunks(headers: Headers, cookieName: string, sentCookieNames: string[], scope: AuthCookieScope): void {
  for (const name of chunkNames(cookieName, sentCookieNames))
    headers.append('set-cookie', serializeSetCookie(expiredAuthCookie(name, 'session', scope)));
}

/** The page as the user asked for it (path + query), without Next's internal `_rsc` cache-buster. */
export function returnPathOf(url: URL): string {
  if (!url.searchParams.has('_rsc')) return `${url.pathname}${url.search}`;
  const search = new URLSearchParams(url.search);
  search.delete('_rsc');
  return `${url.pathname}${search.size > 0 ? `?${search}` : ''}`;
}

/**
 * Adds to the headers forwarded to the render the return path, and a proof over
 * it and the session authkit forwards that only this proxy can make.
 */
function addProxyProof(
  forwarded: Headers,
  authkitHeaders: Headers,
  { returnTo, cookiePassword }: { returnTo: string; cookiePassword: string },
): void {
  const seal = authkitHeaders.get(AUTHKIT_SESSION_HEADER) ?? undefined;
  forwarded.set(RETURN_TO_HEADER, returnTo);
  forwarded.set(PROXY_PROOF_HEADER, createProxyProof({ seal, returnTo }, cookiePassword));
}

/** An API route without a session: 401 JSON, keeping the cookie changes authkit made (a deleted session), never a sign-in flow. */
function unauthorizedApiResponse(request: NextRequest, authkitHeaders: Headers): NextResponse {
  // handleAuthkitProxy without a redirect drops authkit's pending PKCE cookie; keep only what it leaves.
  const passThrough = handleAuthkitProxy(request, authkitHeaders);
  const response = NextResponse.json(API_UNAUTHORIZED_BODY, { status: 401 });
  for (const cookie of passThrough.headers.getSetCookie()) response.headers.append('set-cookie', cookie);
  return response;
}
