/**
 * Phase 4 — what the proxy does on every matched request, as a pipeline:
 *
 * 0. Requests outside the app's pages reach the proxy only because they may be
 *    server actions, carry a nonce header, or are the callback (see proxy.ts):
 *    actions are refused, the rest pass with only their headers cleaned up.
 *    A server action not provably posted from this origin is refused (403).
 * 1. {@link withJoinedSession}: the request as the app should see it, its auth
 *    cookies under authkit's names (a tossed one signs it out), the session
 *    cookie joined from its chunks.
 * 2. checkSession() (authkit/proxy-session.ts): authkit verifies the access
 *    token (JWKS) and refreshes it when due → signed in, signed out or rejected;
 *    a session this app signed out (./revoked-sessions.ts) is rejected too.
 * 3. {@link storeSession}: a rejected session is deleted in every form; a
 *    refreshed one is written as the browser keeps it (one cookie, or chunks).
 * 4. {@link decide}: forward to the render (with the proxy's proof), send to
 *    sign-in (path + query kept), answer 401 JSON on /api/*, or the error page.
 *    Deny by default: every path but the public ones (route-access.ts) needs a session.
 * 5. Every response expires verifier cookies no longer needed, copies of auth
 *    cookies tossed in by other hosts, and app cookies that do not unseal.
 *
 * A single cookie this process accepted less than a minute ago, whose token is
 * not yet due for refresh and whose session is not revoked, skips steps 1–3
 * (authkit/verified-sessions.ts).
 */
import { NextRequest, NextResponse } from 'next/server';
import { contentSecurityPolicy, NONCE_HEADER, RENDER_NONCE_HEADERS } from '../../security/headers';
import { createNonce } from '../../security/random';
import { handleAuthkitProxy } from '../authkit';
import { authCookiesOfRequest, normaliseAuthSetCookies, tossedCopiesExpired, type SentAuthCookies } from '../authkit/cookie-attributes';
import { checkSession, recallSession, type SessionCheck } from '../authkit/proxy-session';
import { chunkNames, joinChunks, rewriteSessionSetCookies } from '../authkit/session-chunks';
import { addProxyProof, AUTHKIT_SESSION_HEADER, forwardWithAuthkitHeaders, stripForwardedAuthHeaders } from '../authkit/session-header';
import { pruneVerifierCookies } from '../authkit/verifier-cookies';
import { getAuthConfig, type AuthConfig } from '../config/env';
import { loopbackAliasTarget, redirectUriFor, requestOrigin } from '../config/origin';
import { authErrorUrl, newReferenceId } from '../errors/codes';
import { logAuthEvent, type AuthEvent } from '../errors/log';
import {
  applyPrivateCacheHeaders,
  authCookieScope,
  expiredAuthCookie,
  parseSetCookie,
  replaceSetCookies,
  serializeSetCookie,
  unreadableAppCookiesExpired,
  type AuthCookieScope,
} from './cookies';
import { isSessionRevoked } from './revoked-sessions';
import {
  API_UNAUTHORIZED_BODY,
  isApiPath,
  isBearerApiPath,
  isPagePath,
  isPossibleServerAction,
  isPublicPath,
  signInPath,
} from './route-access';

/** The body of the 403 for a server action posted outside the app's pages. */
export const SERVER_ACTION_REFUSED = 'Server actions are only accepted on pages.';

interface ProxyContext {
  config: AuthConfig;
  origin: string;
  scope: AuthCookieScope;
  /** The request's auth cookies, under authkit's names (authkit/cookie-attributes.ts). */
  sent: SentAuthCookies;
  /** Path + query as the user asked for it: the return path after sign-in. */
  returnTo: string;
  /** This request came on a loopback alias of the configured origin (config/origin.ts). */
  onAlias?: boolean;
}

export async function authProxy(incoming: NextRequest): Promise<NextResponse> {
  if (!isPagePath(incoming.nextUrl.pathname)) return outsideThePages(incoming);
  if (isBearerApiPath(incoming.nextUrl.pathname)) return bearerOnly(incoming);
  const config = getAuthConfig();
  // The request's own origin when it is on the allow-list (config/origin.ts).
  const origin = requestOrigin(incoming, config);
  const scope = authCookieScope(config, origin);
  const sent = authCookiesOfRequest(incoming.headers.get('cookie') ?? '', config, scope);
  const nonce = createNonce();
  const csp = contentSecurityPolicy({ nonce, workosOrigin: config.api.origin, isDevelopment: config.isDevelopment });
  const forwarded = forwardedRequestHeaders(incoming, sent.header);
  forwarded.set(NONCE_HEADER, nonce);
  forwarded.set('content-security-policy', csp);
  // 127.0.0.1 or [::1] for a localhost redirect URI (not allowed itself): sign-in must start on the configured origin.
  const onAlias = loopbackAliasTarget(incoming.headers, config) !== undefined;
  const context = { config, origin, onAlias, scope, sent, returnTo: returnPathOf(incoming.nextUrl) };
  const refusal = refusedActionReason(incoming, origin);
  let response: NextResponse;
  if (refusal) {
    response = refuseServerAction(refusal, 'Cross-origin server action refused.');
  } else {
    response = forwardRemembered(incoming, forwarded, context) ?? (await authenticate(incoming, forwarded, context));
    pruneVerifierCookies(sent.cookies, response.headers, scope);
    await normaliseAuthSetCookies(response.headers, config, scope);
    for (const line of tossedCopiesExpired(sent, scope, isPossibleServerAction(incoming))) response.headers.append('set-cookie', line);
    for (const line of await unreadableAppCookiesExpired(incoming.cookies.getAll(), scope, config.cookiePassword)) {
      response.headers.append('set-cookie', line);
    }
  }
  response.headers.set('content-security-policy', csp);
  applyPrivateCacheHeaders(response.headers);
  return response;
}

/** Steady state: a single session cookie this process accepted moments ago, forwarded without a request copy. */
function forwardRemembered(incoming: NextRequest, forwarded: Headers, { config, sent, returnTo }: ProxyContext): NextResponse | undefined {
  const cookie = sent.cookies.find(({ name }) => name === config.cookie.name)?.value;
  const remembered = recallSession(cookie, config.cookiePassword, incoming.url);
  if (!remembered || isSessionRevoked(remembered.sessionId)) return undefined;
  addProxyProof(forwarded, remembered.headers, returnTo, config.cookiePassword);
  return forwardWithAuthkitHeaders(forwarded, remembered.headers);
}

async function authenticate(incoming: NextRequest, forwarded: Headers, context: ProxyContext): Promise<NextResponse> {
  const { config, origin } = context;
  const request = withJoinedSession(incoming, forwarded, config.cookie.name);
  const check: SessionCheck = context.sent.tampered
    ? { state: 'rejected', reason: 'tampered_cookie', headers: new Headers(), authorizationUrl: undefined }
    : refuseRevoked(
        await checkSession(request, {
          cookieName: config.cookie.name,
          cookiePassword: config.cookiePassword,
          redirectUri: redirectUriFor(origin),
        }),
      );
  const stored = storeSession(
    check,
    context.sent.cookies.map((cookie) => cookie.name),
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

/** Step 2, ours: a session this app signed out is refused as any rejected one (deleted in every form, signed out). */
function refuseRevoked(check: SessionCheck): SessionCheck {
  if (check.state !== 'signed-in' || !isSessionRevoked(check.sessionId)) return check;
  return { state: 'rejected', reason: 'revoked', headers: check.headers, authorizationUrl: undefined };
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
export function storeSession(
  check: SessionCheck,
  sentCookieNames: string[],
  { config, scope }: Pick<ProxyContext, 'config' | 'scope'>,
): StoredSession {
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
 * The request headers as the app should see them: without client-sent auth or
 * nonce headers (a page gets the proxy's own: Next reads the CSP request header
 * to put the nonce on its scripts), and with the cookies under authkit's names.
 */
function forwardedRequestHeaders(request: NextRequest, cookie: string): Headers {
  const headers = new Headers(request.headers);
  stripForwardedAuthHeaders(headers);
  for (const name of RENDER_NONCE_HEADERS) headers.delete(name);
  if (cookie) headers.set('cookie', cookie);
  else headers.delete('cookie');
  return headers;
}

/**
 * Why a server action (Next-Action header, or the multipart form post of one before hydration)
 * is refused, or undefined when it may run. It must prove it comes from a page of the origin this
 * request is served on (`appOrigin`, from config/origin.ts): an Origin header (browsers send one
 * with every POST; a request without it is not a browser's own post), that origin, no
 * `Sec-Fetch-Site: cross-site`, and the host Next compares the Origin with (X-Forwarded-Host, else
 * Host). Next refuses a mismatch itself, but with a 500 (and throws on an Origin that is not a URL).
 */
export function refusedActionReason(request: NextRequest, appOrigin: string): ActionRefusal | undefined {
  if (!isPossibleServerAction(request) || isApiPath(request.nextUrl.pathname)) return undefined;
  const origin = request.headers.get('origin');
  if (origin === null) return 'no_origin';
  if (request.headers.get('sec-fetch-site') === 'cross-site') return 'cross_site';
  const nextHost = request.headers.get('x-forwarded-host')?.split(',')[0]?.trim() || request.headers.get('host');
  return origin === appOrigin && new URL(origin).host === nextHost ? undefined : 'cross_origin';
}

type ActionRefusal = Extract<AuthEvent, { event: 'server_action_refused' }>['reason'];

/** The one answer to a refused server action: 403, logged, never cached. */
function refuseServerAction(reason: ActionRefusal, body: string): NextResponse {
  logAuthEvent({ event: 'server_action_refused', reason });
  const response = plainText(403, body);
  applyPrivateCacheHeaders(response.headers);
  return response;
}

function plainText(status: number, body: string): NextResponse {
  return new NextResponse(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

/**
 * A request outside the app's pages: the callback, or a static file or Next's
 * build output that reached the proxy through its server-action or nonce
 * matchers. Next would run the action in a 404 render the proxy never saw, so it
 * is refused before any action code runs; anything else passes without auth or
 * nonce headers, with the cookies under authkit's names (as every page gets them).
 */
function outsideThePages(request: NextRequest): NextResponse {
  if (isPossibleServerAction(request)) return refuseServerAction('outside_proxied_pages', SERVER_ACTION_REFUSED);
  const config = getAuthConfig();
  const scope = authCookieScope(config, requestOrigin(request, config));
  const { header } = authCookiesOfRequest(request.headers.get('cookie') ?? '', config, scope);
  return NextResponse.next({ request: { headers: forwardedRequestHeaders(request, header) } });
}

/**
 * A route that authenticates its requests with a Bearer token (route-access.ts, BEARER_API_PATHS):
 * passed on without the session, or the cookie, or any forwarded auth header; never a server action.
 */
function bearerOnly(request: NextRequest): NextResponse {
  if (isPossibleServerAction(request)) return refuseServerAction('outside_proxied_pages', SERVER_ACTION_REFUSED);
  const response = NextResponse.next({ request: { headers: forwardedRequestHeaders(request, '') } });
  applyPrivateCacheHeaders(response.headers);
  return response;
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
