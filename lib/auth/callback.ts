/**
 * Phase 3 — the callback: authkit-nextjs exchanges the code (with the PKCE
 * verifier from the sealed state) and seals the session cookie; this module
 * adds what the app needs around it: a log line, the features' success hooks,
 * and a friendly error page for every failure.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { handleAuth, type HandleAuthSuccessData } from './authkit';
import { getAuthConfig } from './config';
import { expiredVerifierCookie, isVerifierCookie } from './cookies';
import { classifyCallbackError, newReferenceId } from './errors';
import { describeError, logAuthEvent } from './log';
import { DEFAULT_RETURN_TO } from './return-to';

export const AUTH_ERROR_PATH = '/auth/error';

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

export async function onAuthError({ error, request }: { error?: unknown; request: NextRequest }): Promise<Response> {
  const config = getAuthConfig();
  const { redirectUri } = config;
  const url = request.nextUrl ?? new URL(request.url);
  const verifierCookies = (request.cookies?.getAll() ?? []).map(({ name }) => name).filter(isVerifierCookie);
  const code = classifyCallbackError({ error, url, redirectUri, hasVerifierCookie: verifierCookies.length > 0 });
  const reference = newReferenceId();

  logAuthEvent({ event: 'sign_in_failed', code, reference, reason: describeError(error) });

  // Built on the configured origin, not the Host header, so a spoofed Host can't
  // turn the error redirect into an open redirect.
  const target = new URL(AUTH_ERROR_PATH, redirectUri);
  target.searchParams.set('code', code);
  target.searchParams.set('ref', reference);
  const response = NextResponse.redirect(target, 303);
  // authkit deletes only the cookie named after the URL's state, so a missing or
  // tampered state would leave this browser's verifier behind. A failed callback
  // ends every sign-in in progress here: the person is told to start again.
  const expired = expiredVerifierCookie(config);
  for (const name of verifierCookies) response.cookies.set({ name, ...expired });
  return response;
}

export interface CallbackOptions {
  /** Run in order after a successful sign-in (the session cookie is already set). */
  onSignIn?: readonly SignInHook[];
}

/** The GET handler for app/api/auth/callback/route.ts. */
export function callbackRoute({ onSignIn = [] }: CallbackOptions = {}): (request: NextRequest) => Promise<Response> {
  let handler: ReturnType<typeof handleAuth> | undefined;
  return (request) => {
    handler ??= handleAuth({
      // Redirect back to the configured origin rather than trusting the Host header.
      baseURL: new URL(getAuthConfig().redirectUri).origin,
      returnPathname: DEFAULT_RETURN_TO,
      onSuccess: (data) => onAuthSuccess(data, onSignIn),
      onError: onAuthError,
    });
    return handler(request);
  };
}
