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
 * | cookie-attributes.ts     | takes cookie attributes per request (origin, Secure) from the app              |
 * | session-header.ts        | authenticates what its proxy forwards to the render                            |
 * | proxy-session.ts         | treats an unreadable cookie as signed out and binds the token to the user      |
 * | verified-sessions.ts     | caches its own verification (or it costs nothing: bench peers (o) vs (m))      |
 * | seal.ts (memo)           | hands the render the session it has already unsealed                           |
 * | workos-api.ts            | — the app's verbs over the SDK: stays, reshaping vendor answers into ours      |
 *
 * This file wraps authkit's server functions so that every call goes through
 * the bounded client, and the cookies they write get the deployment's
 * attributes (and, for a new session, chunks).
 */
import * as authkitNextjs from '@workos-inc/authkit-nextjs';
import type { SignInEvent } from '../session/types';
import { throughBoundedClient } from './client';
import { withNormalisedAuthCookies } from './cookie-attributes';
import { toAuthUser } from './session-header';
import { withSessionCookieChunks } from './session-chunks';

export const handleAuth = throughBoundedClient(authkitNextjs.handleAuth);
export const handleAuthkitProxy = authkitNextjs.handleAuthkitProxy;
export const getSignInUrl = withNormalisedAuthCookies(throughBoundedClient(authkitNextjs.getSignInUrl));
export const getSignUpUrl = withNormalisedAuthCookies(throughBoundedClient(authkitNextjs.getSignUpUrl));
export const withAuth = throughBoundedClient(authkitNextjs.withAuth);
export const signOut = withNormalisedAuthCookies(throughBoundedClient(authkitNextjs.signOut));
export const refreshSession = withNormalisedAuthCookies(throughBoundedClient(withSessionCookieChunks(authkitNextjs.refreshSession)));
export const switchToOrganization = withNormalisedAuthCookies(
  throughBoundedClient(withSessionCookieChunks(authkitNextjs.switchToOrganization)),
);
export const CallbackError = authkitNextjs.CallbackError;

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
