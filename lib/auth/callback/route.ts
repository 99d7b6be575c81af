/**
 * Phase 3 — the callback: authkit-nextjs exchanges the code (with the PKCE
 * verifier from the sealed state) and seals the session cookie; this module
 * adds what the app needs around it: a log line, the features' success hooks,
 * and a friendly error page for every failure.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { handleAuth, type HandleAuthSuccessData } from '../authkit/client';
import { getAuthConfig } from '../config/env';
import {
  authCookieScope,
  expiredAuthCookie,
  isVerifierCookie,
  normaliseAuthCookiesOfThisRequest,
  normaliseAuthSetCookies,
  restoreVerifierForState,
} from '../session/cookies';
import { claimedHost, redirectUriFor, requestOrigin } from '../config/origin';
import { authErrorUrl, classifyCallbackError, newReferenceId } from '../errors/codes';
import { describeError, logAuthEvent } from '../errors/log';
import { DEFAULT_RETURN_TO } from '../authorization/return-to';
import { storeSessionCookieInChunks } from '../authkit/session-chunks-store';

/** Runs after the session is sealed, before the redirect (e.g. lib/features/*). */
export type SignInHook = (data: HandleAuthSuccessData) => Promise<void>;

export async function onAuthSuccess(data: HandleAuthSuccessData, hooks: readonly SignInHook[] = []): Promise<void> {
  logAuthEvent({
    event: 'sign_in',
    userId: data.user.id,
    method: data.authenticationMethod,
    organizationId: data.organizationId,
    impersonatedBy: data.impersonator?.email,
  });
  for (const hook of hooks) {
    // A feature's failure (a token store that is down, say) must not cost the
    // person their sign-in: the session is already sealed. Log it and go on.
    try {
      await hook(data);
    } catch (error) {
      logAuthEvent({ event: 'sign_in_hook_failed', hook: hook.name || 'anonymous', userId: data.user.id, reason: describeError(error) });
    }
  }
}

/**
 * The callback URL on the host the browser used: a host that is not on the
 * allow-list (a sign-in that left from localhost and came back to 127.0.0.1)
 * then reads as a redirect URI mismatch, not as a lost verifier.
 */
function callbackUrlAsRequested(request: NextRequest, origin: string): URL {
  const url = request.nextUrl ?? new URL(request.url);
  const host = claimedHost(request.headers);
  const onHost = host ? `${new URL(origin).protocol}//${host}` : undefined;
  return onHost && URL.canParse(onHost) ? new URL(`${url.pathname}${url.search}`, onHost) : url;
}

export async function onAuthError({ error, request }: { error?: unknown; request: NextRequest }): Promise<Response> {
  const config = getAuthConfig();
  const origin = requestOrigin(request, config);
  const url = callbackUrlAsRequested(request, origin);
  const verifierCookies = (request.cookies?.getAll() ?? []).map(({ name }) => name).filter(isVerifierCookie);
  const code = classifyCallbackError({ error, url, redirectUri: redirectUriFor(origin), hasVerifierCookie: verifierCookies.length > 0 });
  const reference = newReferenceId();

  logAuthEvent({ event: 'sign_in_failed', code, reference, reason: describeError(error) });

  // Built on an allowed origin (lib/auth/origin.ts), never a bare Host header,
  // so a spoofed Host can't turn the error redirect into an open redirect.
  const response = NextResponse.redirect(authErrorUrl(code, reference, origin), 303);
  // authkit deletes only the cookie named after the URL's state, so a missing or
  // tampered state would leave this browser's verifier behind. A failed callback
  // ends every sign-in in progress here: the person is told to start again.
  const scope = authCookieScope(config, origin);
  for (const name of verifierCookies) response.cookies.set(expiredAuthCookie(name, 'verifier', scope));
  return response;
}

export interface CallbackOptions {
  /** Run in order after a successful sign-in (the session cookie is already set). */
  onSignIn?: readonly SignInHook[];
}

/**
 * After a successful exchange the session may not fit in the browser's cookies
 * even in chunks (session-cookie-chunks.ts): the person is not signed in, and
 * is told why instead of looping back to sign-in. authkit's response is
 * replaced, keeping its Set-Cookie lines (the used verifier's deletion).
 */
function sessionTooLargeResponse(
  authkitResponse: Response,
  { userId, bytes }: { userId: string; bytes: number },
  origin: string,
): Response {
  const reference = newReferenceId();
  logAuthEvent({ event: 'session_too_large', userId, bytes, reference, during: 'sign_in' });
  const response = NextResponse.redirect(authErrorUrl('session_too_large', reference, origin), 303);
  for (const cookie of authkitResponse.headers.getSetCookie()) response.headers.append('set-cookie', cookie);
  response.headers.set('cache-control', 'private, no-store, max-age=0');
  response.headers.set('vary', 'Cookie');
  return response;
}

/** The GET handler for app/api/auth/callback/route.ts. */
export function callbackRoute({ onSignIn = [] }: CallbackOptions = {}): (request: NextRequest) => Promise<Response> {
  return async (request) => {
    const config = getAuthConfig();
    const origin = requestOrigin(request, config);
    let tooLarge: { userId: string; bytes: number } | undefined;
    // One handler per request: authkit takes a fixed baseURL (where it redirects
    // after sign-in), and here it is the request's allowed origin, never a bare
    // Host header; and `tooLarge` belongs to this request. Building one is a closure, nothing more.
    const handler = handleAuth({
      baseURL: origin,
      returnPathname: DEFAULT_RETURN_TO,
      onSuccess: async (data) => {
        // authkit has just set the session cookie; store it in the form the browser keeps.
        const stored = await storeSessionCookieInChunks();
        if (stored.tooLarge) {
          tooLarge = { userId: data.user.id, bytes: stored.bytes };
          return; // not signed in: no sign-in hooks
        }
        await onAuthSuccess(data, onSignIn);
      },
      onError: onAuthError,
    });
    // The browser keeps only a digest of the state (lib/auth/cookies.ts); authkit compares the state itself.
    await restoreVerifierForState(request.cookies, request.nextUrl.searchParams.get('state'));
    const response = await handler(request);
    // authkit's verifier deletion (Max-Age=0, which Next drops) and the session it set.
    await normaliseAuthSetCookies(response.headers, config, authCookieScope(config, origin));
    await normaliseAuthCookiesOfThisRequest(config);
    return tooLarge ? sessionTooLargeResponse(response, tooLarge, origin) : response;
  };
}
