/**
 * Phase 4 — what the proxy does on every matched request, as a pipeline:
 *
 * 0. Requests outside the app's pages reach the proxy only because they may be
 *    server actions (see proxy.ts): those are refused, the rest pass untouched.
 *    A server action posted from another origin is refused (403).
 * 1. {@link withJoinedSession}: the request as the app should see it, the
 *    session cookie joined from its chunks.
 * 2. checkSession() (authkit/proxy-session.ts): authkit verifies the access
 *    token (JWKS) and refreshes it when due → signed in, signed out or rejected.
 * 3. {@link storeSession}: a rejected session is deleted in every form; a
 *    refreshed one is written as the browser keeps it (one cookie, or chunks).
 * 4. {@link decide}: forward to the render (with the proxy's proof), send to
 *    sign-in (path + query kept), answer 401 JSON on /api/*, or the error page.
 *    Deny by default: every path but the public ones (route-access.ts) needs a session.
 *
 * A single cookie this process accepted less than a minute ago, whose token is
 * not yet due for refresh, skips steps 1–3 (authkit/verified-sessions.ts).
 */
import { NextRequest, NextResponse } from 'next/server';
import { contentSecurityPolicy, NONCE_HEADER } from '../../security/headers';
import { createNonce } from '../../security/random';
import { handleAuthkitProxy } from '../authkit';
import { normaliseAuthSetCookies } from '../authkit/cookie-attributes';
import { checkSession, recallSession, type SessionCheck } from '../authkit/proxy-session';
import { chunkNames, joinChunks, rewriteSessionSetCookies } from '../authkit/session-chunks';
import { addProxyProof, AUTHKIT_SESSION_HEADER, forwardWithAuthkitHeaders, stripForwardedAuthHeaders } from '../authkit/session-header';
import { pruneVerifierCookies } from '../authkit/verifier-cookies';
import { getAuthConfig, type AuthConfig } from '../config/env';
import { loopbackAliasTarget, redirectUriFor, requestOrigin } from '../config/origin';
import { authErrorUrl, newReferenceId } from '../errors/codes';
import { logAuthEvent } from '../errors/log';
import {
  applyPrivateCacheHeaders,
  authCookieScope,
  expiredAuthCookie,
  parseSetCookie,
  replaceSetCookies,
  serializeSetCookie,
  type AuthCookieScope,
} from './cookies';
import { API_UNAUTHORIZED_BODY, isApiPath, isPagePath, isPossibleServerAction, isPublicPath, signInPath } from './route-access';

/** The body of the 403 for a server action posted outside the app's pages. */
export const SERVER_ACTION_REFUSED = 'Server actions are only accepted on pages.';

interface ProxyContext {
  config: AuthConfig;
  origin: string;
  scope: AuthCookieScope;
  /** Path + query as the user asked for it: the return path after sign-in. */
  returnTo: string;
  /** This request came on a loopback alias of the configured origin (config/origin.ts). */
  onAlias?: boolean;
}

export async function authProxy(incoming: NextRequest): Promise<NextResponse> {
  if (!isPagePath(incoming.nextUrl.pathname)) return outsideThePages(incoming);
  const config = getAuthConfig();
  const nonce = createNonce();
  const csp = contentSecurityPolicy({ nonce, workosOrigin: config.api.origin, isDevelopment: config.isDevelopment });
  const forwarded = forwardedRequestHeaders(incoming, csp, nonce);
  // The request's own origin when it is on the allow-list (config/origin.ts).
  const origin = requestOrigin(incoming, config);
  // 127.0.0.1 or [::1] for a localhost redirect URI (not allowed itself): sign-in must start on the configured origin.
  const onAlias = loopbackAliasTarget(incoming.headers, config) !== undefined;
  const context = { config, origin, onAlias, scope: authCookieScope(config, origin), returnTo: returnPathOf(incoming.nextUrl) };
  let response: NextResponse;
  if (isCrossOriginAction(incoming, origin)) {
    response = plainText(403, 'Cross-origin server action refused.');
  } else {
    response = forwardRemembered(incoming, forwarded, context) ?? (await authenticate(incoming, forwarded, context));
    await normaliseAuthSetCookies(response.headers, config, context.scope);
    pruneVerifierCookies(incoming.cookies.getAll(), response.headers, context.scope);
  }
  response.headers.set('content-security-policy', csp);
  applyPrivateCacheHeaders(response.headers);
  return response;
}

/** Steady state: a single session cookie this process accepted moments ago, forwarded without a request copy. */
function forwardRemembered(incoming: NextRequest, forwarded: Headers, { config, returnTo }: ProxyContext): NextResponse | undefined {
  const remembered = recallSession(incoming.cookies.get(config.cookie.name)?.value, config.cookiePassword, incoming.url);
  if (!remembered) return undefined;
  addProxyProof(forwarded, remembered, returnTo, config.cookiePassword);
  return forwardWithAuthkitHeaders(forwarded, remembered);
}

async function authenticate(incoming: NextRequest, forwarded: Headers, context: ProxyContext): Promise<NextResponse> {
  const { config, origin } = context;
  const request = withJoinedSession(incoming, forwarded, config.cookie.name);
  const check = await checkSession(request, {
    cookieName: config.cookie.name,
    cookiePassword: config.cookiePassword,
    redirectUri: redirectUriFor(origin),
  });
  const stored = storeSession(
    check,
    incoming.cookies.getAll().map((cookie) => cookie.name),
    context,
  );
  const decision = decide(check, stored, request.nextUrl.pathname);
  switch (decision.action) {
    case 'forward':
      // `request` is the proxy's own copy: its headers are the ones forwarded.
      addProxyProof(request.headers, check.headers, context.returnTo, config.cookiePassword);
      return handleAuthkitProxy(request, check.headers);
    case 'unauthorized':
      return unauthorizedApiResponse(request, check.headers);
    case 'sign-in': {
      // authkit prepares an authorization URL only when it saw no usable session; for one we rejected, start afresh.
      // On a loopback alias, through our /auth/sign-in, which moves to the configured origin: the verifier cookie must be set there.
      const prepared = check.state === 'signed-in' || context.onAlias ? undefined : check.authorizationUrl;
      const redirect = prepared ?? new URL(signInPath(context.returnTo), origin);
      return handleAuthkitProxy(request, check.headers, { redirect });
    }
    case 'session-too-large':
      return handleAuthkitProxy(request, check.headers, { redirect: authErrorUrl('session_too_large', decision.reference, origin) });
  }
}

/**
 * Step 1. The request copy authkit reads and the render gets: the forwarded
 * headers, and a session stored in chunks joined back into the one cookie
 * authkit reads (the chunks stay, so sign-out can expire them). A non-empty
 * session cookie of authkit's own name wins over chunks; an empty one is a
 * deletion Next kept as a session cookie (it drops Max-Age=0), not a session.
 */
export function withJoinedSession(incoming: NextRequest, forwarded: Headers, cookieName: string): NextRequest {
  const request = new NextRequest(incoming, { headers: forwarded });
  if (request.cookies.get(cookieName)?.value) return request;
  const joined = joinChunks(cookieName, request.cookies.getAll());
  if (joined !== undefined) request.cookies.set(cookieName, joined);
  return request;
}

export type StoredSession = { fits: true } | { fits: false; reference: string };

/**
 * Step 3. Writes the outcome into the response's cookies: a rejected session is
 * forgotten (nothing forwarded, authkit's Set-Cookie for it dropped, every form
 * deleted); a refreshed one is written as the browser keeps it. A refreshed
 * session too large even for chunks is deleted and reported.
 */
export function storeSession(check: SessionCheck, sentCookieNames: string[], { config, scope }: ProxyContext): StoredSession {
  const cookieName = config.cookie.name;
  if (check.state === 'rejected') {
    logAuthEvent({ event: 'session_rejected', reason: check.reason });
    check.headers.delete(AUTHKIT_SESSION_HEADER);
    const expired = [cookieName, ...chunkNames(cookieName, sentCookieNames)].map((name) => expiredAuthCookie(name, 'session', scope));
    const kept = check.headers.getSetCookie().filter((line) => parseSetCookie(line).name !== cookieName);
    replaceSetCookies(check.headers, [...kept, ...expired.map(serializeSetCookie)]);
    return { fits: true };
  }
  const stored = rewriteSessionSetCookies(check.headers, { cookieName, requestCookieNames: sentCookieNames, scope });
  if (!stored.tooLarge) return { fits: true };
  check.headers.delete(AUTHKIT_SESSION_HEADER);
  const reference = newReferenceId();
  const userId = check.state === 'signed-in' ? check.userId : undefined;
  logAuthEvent({ event: 'session_too_large', userId, bytes: stored.bytes, reference, during: 'refresh' });
  return { fits: false, reference };
}

export type ProxyDecision =
  { action: 'forward' } | { action: 'sign-in' } | { action: 'unauthorized' } | { action: 'session-too-large'; reference: string };

/** Step 4. What the response is, from the session's outcome and the path (pure). */
export function decide(check: SessionCheck, stored: StoredSession, pathname: string): ProxyDecision {
  const signedIn = check.state === 'signed-in' && stored.fits;
  if (signedIn || (stored.fits && isPublicPath(pathname))) return { action: 'forward' };
  if (isApiPath(pathname)) return { action: 'unauthorized' };
  return stored.fits ? { action: 'sign-in' } : { action: 'session-too-large', reference: stored.reference };
}

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
 * A server action (Next-Action header, or the multipart form post of one before hydration)
 * sent from another origin than the one this request is served on (`appOrigin`, from
 * config/origin.ts), judged by Origin or, without it, the Referer. Next refuses these
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

function plainText(status: number, body: string): NextResponse {
  return new NextResponse(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
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
    const response = plainText(403, SERVER_ACTION_REFUSED);
    applyPrivateCacheHeaders(response.headers);
    return response;
  }
  const headers = new Headers(request.headers);
  stripForwardedAuthHeaders(headers);
  return NextResponse.next({ request: { headers } });
}

/** The page as the user asked for it (path + query), without Next's internal `_rsc` cache-buster. */
export function returnPathOf(url: URL): string {
  if (!url.searchParams.has('_rsc')) return `${url.pathname}${url.search}`;
  const search = new URLSearchParams(url.search);
  search.delete('_rsc');
  return `${url.pathname}${search.size > 0 ? `?${search}` : ''}`;
}

/** An API route without a session: 401 JSON, keeping the cookie changes authkit made (a deleted session), never a sign-in flow. */
function unauthorizedApiResponse(request: NextRequest, authkitHeaders: Headers): NextResponse {
  // handleAuthkitProxy without a redirect drops authkit's pending PKCE cookie; keep only what it leaves.
  const passThrough = handleAuthkitProxy(request, authkitHeaders);
  const response = NextResponse.json(API_UNAUTHORIZED_BODY, { status: 401 });
  for (const cookie of passThrough.headers.getSetCookie()) response.headers.append('set-cookie', cookie);
  return response;
}
