/**
 * Phase 4 — the session as pages see it.
 *
 * The proxy has already verified the access token against WorkOS' JWKS (and
 * refreshed it when due) before any page renders; this module turns that
 * session into one typed object plus the helpers pages use. Pages never decode
 * tokens themselves.
 */
import 'server-only';

import { headers } from 'next/headers';
import { revalidatePath } from 'next/cache';
import { forbidden, redirect } from 'next/navigation';
import { cache } from 'react';
import { AUTHKIT_SESSION_HEADER, getTokenClaims, refreshSession, type AccessToken, type Impersonator, type User } from '../authkit/client';
import { deepFreeze } from '../../deep-freeze';
import { getAuthConfig } from '../config/env';
import { PROXY_PROOF_HEADER, RETURN_TO_HEADER, verifyProxyProof, type ForwardedAuth } from './proof';
import { sanitizeReturnTo } from '../authorization/return-to';
import { unsealDataCached } from '../authkit/seal';

export interface AppSession {
  user: User;
  sessionId: string;
  organizationId: string | undefined;
  role: string | undefined;
  roles: string[];
  permissions: string[];
  entitlements: string[];
  featureFlags: string[];
  impersonator: Impersonator | undefined;
  /** How this session was signed in (Password, MagicAuth, SSO, GoogleOAuth, …). */
  authenticationMethod: string | undefined;
  accessTokenExpiresAt: Date | undefined;
}

// The proxy forwards the sealed session to the render in these request headers
// (authkit-nextjs' own channel, the same one its withAuth() reads). We unseal it
// once per request here instead of calling withAuth() and unsealing a second
// time for the fields withAuth() leaves out (the authentication method): each
// unseal is a PBKDF2 + HMAC + AES round through Web Crypto, about 0.8 ms on a
// 2-core VM, and the layout reads the session on every page. The unseal is
// memoised per seal (lib/auth/unseal-cache.ts): the proxy forwards the same
// cookie on every request, and authkit has already unsealed it there
// (docs/performance.md).

interface ForwardedSession {
  accessToken?: unknown;
  user?: User;
  impersonator?: Impersonator;
  authenticationMethod?: unknown;
}

/**
 * What the proxy forwarded for this request, or null when it did not go through
 * the proxy (a path outside its matcher, where a client can send authkit's
 * headers itself): only values with the proxy's proof count.
 */
const getForwardedAuth = cache(async (): Promise<ForwardedAuth | null> => {
  const requestHeaders = await headers();
  return verifyProxyProof(
    requestHeaders.get(PROXY_PROOF_HEADER),
    { seal: requestHeaders.get(AUTHKIT_SESSION_HEADER), returnTo: requestHeaders.get(RETURN_TO_HEADER) },
    getAuthConfig().cookiePassword,
  );
});

// The unseal memo hands out one frozen object per seal, so the access token in
// it is decoded once per seal too, not on every render.
type TokenClaims = Awaited<ReturnType<typeof getTokenClaims<AccessToken>>>;
const claimsOfSession = new WeakMap<ForwardedSession, TokenClaims>();

async function accessTokenClaims(session: ForwardedSession, accessToken: string): Promise<TokenClaims> {
  let claims = claimsOfSession.get(session);
  if (!claims) {
    claims = deepFreeze(await getTokenClaims<AccessToken>(accessToken));
    claimsOfSession.set(session, claims);
  }
  return claims;
}

/** The signed-in session, or null. Cached for the duration of one request. */
export const getSession = cache(async (): Promise<AppSession | null> => {
  const sealed = (await getForwardedAuth())?.seal;
  if (!sealed) return null;
  const session = await unsealDataCached<ForwardedSession>(sealed, { password: getAuthConfig().cookiePassword });
  if (!session.user || typeof session.accessToken !== 'string') return null;

  const claims = await accessTokenClaims(session, session.accessToken);
  // Same binding as withAuth(): the sealed user must be the token's subject.
  if (!claims.sub || claims.sub !== session.user.id) return null;
  // The proxy refreshes a token before it expires; an expired one is never a session.
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= Date.now()) return null;
  return {
    user: session.user,
    sessionId: claims.sid ?? '',
    organizationId: claims.org_id,
    role: claims.role,
    roles: claims.roles ?? (claims.role ? [claims.role] : []),
    permissions: claims.permissions ?? [],
    entitlements: claims.entitlements ?? [],
    featureFlags: claims.feature_flags ?? [],
    impersonator: session.impersonator,
    authenticationMethod: typeof session.authenticationMethod === 'string' ? session.authenticationMethod : undefined,
    accessTokenExpiresAt: new Date(claims.exp * 1000),
  };
});

export function hasPermission(session: AppSession, permission: string): boolean {
  return session.permissions.includes(permission);
}

export function hasEntitlement(session: AppSession, entitlement: string): boolean {
  return session.entitlements.includes(entitlement);
}

export function hasFeatureFlag(session: AppSession, flag: string): boolean {
  return session.featureFlags.includes(flag);
}

/** The URL that starts sign-in and comes back to `returnTo`. */
export function signInPath(returnTo: string): string {
  return `/auth/sign-in?${new URLSearchParams({ returnTo }).toString()}`;
}

/**
 * The page this request is for (path + query, as the proxy saw it), to come back
 * to after sign-in; the default return path when the proxy did not see it, or
 * when it is not a safe same-origin path (return-to.ts).
 */
export async function currentReturnPath(): Promise<string> {
  return sanitizeReturnTo((await getForwardedAuth())?.returnTo);
}

/**
 * The session, or a redirect to sign-in that comes back to this page. The proxy
 * already redirects signed-out visitors of every non-public route; this covers
 * a session the proxy accepted but the render rejects (sealed user ≠ token
 * subject, expired token) and renders the proxy never saw.
 */
export async function requireSession(): Promise<AppSession> {
  const session = await getSession();
  if (!session) redirect(signInPath(await currentReturnPath()));
  return session;
}

/** The session if it holds `permission`; otherwise the 403 page (app/forbidden.tsx). */
export async function requirePermission(permission: string): Promise<AppSession> {
  const session = await requireSession();
  if (!hasPermission(session, permission)) forbidden();
  return session;
}

/** For a server action: trades the refresh token for a new access token now, instead of at expiry, then shows this page again. */
export async function refreshSessionNow(): Promise<never> {
  await requireSession();
  const page = await currentReturnPath();
  await refreshSession({ ensureSignedIn: true });
  revalidatePath(new URL(page, 'http://return-path.invalid').pathname);
  redirect(page);
}
