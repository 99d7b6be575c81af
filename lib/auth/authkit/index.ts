/**
 * The adapter: everything in lib/auth/ that exists because of authkit-nextjs
 * 4.3.2 or the WorkOS SDK, and the only folder that imports @workos-inc/*,
 * iron-session and jose (eslint.config.mjs). The rest of lib/auth/ reads as if
 * authkit did it right. One file per behaviour, each opening with what authkit
 * does, what we need instead, and when to delete it; each pinned by a test that
 * fails, naming the file, when an upgrade changes what it relies on.
 *
 * | file                     | delete when authkit-nextjs …                                                   |
 * | client.ts                | accepts SDK options (timeout, retries) or an SDK instance                      |
 * | refresh-single-flight.ts | refreshes each refresh token once, however many requests race (across instances) |
 * | session-chunks.ts        | stores a session larger than one cookie itself                                 |
 * | verifier-cookies.ts      | keeps a small PKCE verifier cookie and prunes old ones                         |
 * | cookie-attributes.ts     | takes cookie attributes and names per request (origin, Secure, __Host-) from the app |
 * | session-header.ts        | authenticates what its proxy forwards to the render                            |
 * | proxy-session.ts         | treats an unreadable cookie as signed out and binds the token to the user      |
 * | verified-sessions.ts     | caches its own verification (or it costs nothing: bench peers (o) vs (m))      |
 * | seal.ts (memo)           | hands the render the session it has already unsealed                           |
 * | callback-error-log.ts    | no longer logs (with its stack) a callback failure it hands to onError         |
 * | workos-api.ts            | — the app's verbs over the SDK: stays, reshaping vendor answers into ours      |
 *
 * This file wraps authkit's server functions so that every call goes through
 * the bounded client, and the cookies they write get the deployment's
 * attributes (and a new or deleted session, its stored form: chunks); and it
 * reads authkit's refresh errors for session/read.ts (did the session end?).
 */
import * as authkitNextjs from '@workos-inc/authkit-nextjs';
import { parseCookie } from 'cookie';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getAuthConfig, type AuthConfig } from '../config/env';
import { requestOrigin } from '../config/origin';
import { authErrorUrl, newReferenceId } from '../errors/codes';
import { logAuthEvent } from '../errors/log';
import { authCookieScope } from '../session/cookies';
import type { SignInEvent } from '../session/types';
import { withoutAuthkitErrorDump } from './callback-error-log';
import { throughBoundedClient } from './client';
import { normaliseAuthCookieJar } from './cookie-attributes';
import { toAuthUser } from './session-header';
import { storeSessionInCookieJar, type RewriteOutcome } from './session-chunks';

/**
 * After authkit set or deleted cookies through next/headers (route handlers,
 * server actions): a new or deleted session in its stored form (chunks when it
 * needs them, every other form expired), then every auth cookie written here
 * with the deployment's attributes.
 */
export async function storeAuthCookiesOfThisRequest(config: AuthConfig = getAuthConfig()): Promise<RewriteOutcome> {
  const requestHeaders = await headers();
  const scope = authCookieScope(config, requestOrigin(requestHeaders, config));
  const jar = await cookies();
  const sent = parseCookie(requestHeaders.get('cookie') ?? '');
  const stored = storeSessionInCookieJar(jar, sent, { cookieName: config.cookie.name, scope });
  await normaliseAuthCookieJar(jar, sent, config, scope);
  return stored;
}

/**
 * An authkit function that sets or deletes cookies through next/headers, through
 * the bounded client, then {@link storeAuthCookiesOfThisRequest}. In `finally`,
 * as signOut and switchToOrganization end by throwing Next's redirect. A
 * session too large to store ends at the error page (session_too_large)
 * instead of a cookie the browser would drop.
 */
function withStoredAuthCookies<Fn extends (...args: never[]) => Promise<unknown>>(fn: Fn): Fn {
  const bounded = throughBoundedClient(fn);
  return (async (...args: Parameters<Fn>) => {
    try {
      return await bounded(...args);
    } finally {
      const stored = await storeAuthCookiesOfThisRequest();
      if (stored.tooLarge) {
        const reference = newReferenceId();
        logAuthEvent({ event: 'session_too_large', userId: undefined, bytes: stored.bytes, reference, during: 'refresh' });
        // Throws Next's redirect: the error page replaces whatever fn was about to do.
        redirect(authErrorUrl('session_too_large', reference, requestOrigin(await headers(), getAuthConfig())).toString());
      }
    }
  }) as Fn;
}

const boundedHandleAuth = throughBoundedClient(authkitNextjs.handleAuth);
/** authkit's callback handler, through the bounded client; onError logs each failure, authkit's own dump is dropped (callback-error-log.ts). */
export const handleAuth = (options: authkitNextjs.HandleAuthOptions) => withoutAuthkitErrorDump(boundedHandleAuth(options));
export const handleAuthkitProxy = authkitNextjs.handleAuthkitProxy;
export const getSignInUrl = withStoredAuthCookies(authkitNextjs.getSignInUrl);
export const getSignUpUrl = withStoredAuthCookies(authkitNextjs.getSignUpUrl);
export const withAuth = throughBoundedClient(authkitNextjs.withAuth);
export const signOut = withStoredAuthCookies(authkitNextjs.signOut);
export const refreshSession = withStoredAuthCookies(authkitNextjs.refreshSession);
export const switchToOrganization = withStoredAuthCookies(authkitNextjs.switchToOrganization);
export const CallbackError = authkitNextjs.CallbackError;

/**
 * Whether refreshSession() (or switchToOrganization(), which calls it) failed
 * because WorkOS refused the refresh token itself (invalid_grant: the session
 * was ended, or the token already used), the one failure after which the
 * session is over. authkit wraps what the SDK threw in a TokenRefreshError.
 */
export function refreshTokenRefused(error: unknown): boolean {
  return error instanceof authkitNextjs.TokenRefreshError && (error.cause as { error?: unknown } | undefined)?.error === 'invalid_grant';
}

/** Deletes the session of this request in every stored form (one cookie, or chunks), with the deployment's attributes. */
export async function deleteSession(): Promise<void> {
  (await cookies()).delete(getAuthConfig().cookie.name);
  await storeAuthCookiesOfThisRequest();
}

/** What the callback's hooks receive, from what authkit's handleAuth() passes to onSuccess. */
export function toSignInEvent(data: authkitNextjs.HandleAuthSuccessData): SignInEvent {
  const tokens = data.oauthTokens;
  return {
    user: toAuthUser(data.user),
    organizationId: data.organizationId,
    authenticationMethod: data.authenticationMethod,
    impersonator: data.impersonator,
    state: data.state,
    oauthTokens: tokens && {
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresAt: tokens.expiresAt,
      scopes: tokens.scopes,
    },
  };
}
