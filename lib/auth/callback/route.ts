/**
 * Phase 3 — the callback: authkit-nextjs exchanges the code (with the PKCE
 * verifier from the sealed state) and seals the session cookie; this module
 * adds what the app needs around it: a log line, the features' sign-in hooks,
 * and a friendly error page for every failure.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { handleAuth, storeAuthCookiesOfThisRequest, toSignInEvent } from '../authkit';
import { normaliseAuthSetCookies } from '../authkit/cookie-attributes';
import { isVerifierCookie, restoreVerifierForState, verifierOfStateExpired } from '../authkit/verifier-cookies';
import { DEFAULT_RETURN_TO } from '../authorization/return-to';
import { getAuthConfig } from '../config/env';
import { claimedHost, redirectUriFor, requestOrigin } from '../config/origin';
import { authErrorUrl, newReferenceId } from '../errors/codes';
import { describeError, logAuthEvent, runHooks } from '../errors/log';
import { applyPrivateCacheHeaders, authCookieScope } from '../session/cookies';
import type { SignInEvent } from '../session/types';
import { classifyCallbackError } from './classify';

/** Runs after the session is sealed, before the redirect (e.g. lib/features/*). */
export type SignInHook = (event: SignInEvent) => Promise<void>;

async function onAuthSuccess(event: SignInEvent, hooks: readonly SignInHook[] = []): Promise<void> {
  logAuthEvent({
    event: 'sign_in',
    userId: event.user.id,
    method: event.authenticationMethod,
    organizationId: event.organizationId,
    impersonatedBy: event.impersonator?.email,
  });
  // A feature's failure (a token store that is down, say) must not cost the person their sign-in: the session is sealed.
  await runHooks(hooks, event, (hook, reason) => ({ event: 'sign_in_hook_failed', hook, userId: event.user.id, reason }));
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

async function onAuthError({ error, request }: { error?: unknown; request: NextRequest }): Promise<Response> {
  const config = getAuthConfig();
  const origin = requestOrigin(request, config);
  const url = callbackUrlAsRequested(request, origin);
  const requestCookies = request.cookies?.getAll() ?? [];
  const hasVerifierCookie = requestCookies.some(({ name }) => isVerifierCookie(name));
  const code = classifyCallbackError({ error, url, redirectUri: redirectUriFor(origin), hasVerifierCookie });
  const reference = newReferenceId();
  // The identity provider's own code when it sent the person back with one (cancelled, a misconfigured SSO connection).
  const providerError = url.searchParams.get('error')?.slice(0, 64) ?? undefined;
  const reason = providerError === undefined ? describeError(error) : 'returned with an error';
  logAuthEvent({ event: 'sign_in_failed', code, reference, reason, providerError });
  // Built on an allowed origin (config/origin.ts), never a bare Host header,
  // so a spoofed Host can't turn the error redirect into an open redirect.
  // authkit then expires the verifier its state names, and only that one: other tabs' sign-ins go on.
  return NextResponse.redirect(authErrorUrl(code, reference, origin), 303);
}

export interface CallbackOptions {
  /** Run in order after a successful sign-in (the session cookie is already set). */
  onSignIn?: readonly SignInHook[];
}

/**
 * After a successful exchange the session may not fit in the browser's cookies
 * even in chunks: the person is not signed in, and is told why instead of
 * looping back to sign-in. authkit's response is replaced, keeping its
 * Set-Cookie lines (the used verifier's deletion).
 */
function sessionTooLargeResponse(
  authkitResponse: Response,
  { userId, bytes }: { userId: string | undefined; bytes: number },
  origin: string,
): Response {
  const reference = newReferenceId();
  logAuthEvent({ event: 'session_too_large', userId, bytes, reference, during: 'sign_in' });
  const response = NextResponse.redirect(authErrorUrl('session_too_large', reference, origin), 303);
  for (const cookie of authkitResponse.headers.getSetCookie()) response.headers.append('set-cookie', cookie);
  applyPrivateCacheHeaders(response.headers);
  return response;
}

/** The GET handler for app/api/auth/callback/route.ts. */
export function callbackRoute({ onSignIn = [] }: CallbackOptions = {}): (request: NextRequest) => Promise<Response> {
  return async (request) => {
    // Sent back with the provider's `error` (a cancel, an SSO failure): no code to exchange, so answered
    // here, before authkit, with the provider's code in the log line.
    const config = getAuthConfig();
    const origin = requestOrigin(request, config);
    if (request.nextUrl.searchParams.has('error')) {
      const response = await onAuthError({ request });
      const state = request.nextUrl.searchParams.get('state');
      for (const line of await verifierOfStateExpired(request.cookies.getAll(), state)) response.headers.append('set-cookie', line);
      await normaliseAuthSetCookies(response.headers, config, authCookieScope(config, origin));
      applyPrivateCacheHeaders(response.headers);
      return response;
    }
    let signedIn: SignInEvent | undefined;
    // One handler per request: authkit takes a fixed baseURL (where it redirects
    // after sign-in), and here it is the request's allowed origin, never a bare
    // Host header; and `signedIn` belongs to this request.
    const handler = handleAuth({
      baseURL: origin,
      returnPathname: DEFAULT_RETURN_TO,
      onSuccess: async (data) => {
        signedIn = toSignInEvent(data);
      },
      onError: onAuthError,
    });
    // The browser keeps only a digest of the state (authkit/verifier-cookies.ts); authkit compares the state itself.
    await restoreVerifierForState(request.cookies, request.nextUrl.searchParams.get('state'));
    const response = await handler(request);
    // authkit's verifier deletion (Max-Age=0, which Next drops), and the session it set in the form the browser keeps.
    await normaliseAuthSetCookies(response.headers, config, authCookieScope(config, origin));
    const stored = await storeAuthCookiesOfThisRequest(config);
    if (stored.tooLarge) return sessionTooLargeResponse(response, { userId: signedIn?.user.id, bytes: stored.bytes }, origin);
    if (signedIn) await onAuthSuccess(signedIn, onSignIn);
    return response;
  };
}
