/**
 * Phase 4 — the session as pages see it.
 *
 * The proxy has already verified the access token against WorkOS' JWKS (and
 * refreshed it when due) before any page renders; this module turns that
 * session into one typed object plus the helpers pages use. Pages never decode
 * tokens themselves.
 */
import 'server-only';

import { getTokenClaims, withAuth, type Impersonator } from '@workos-inc/authkit-nextjs';
import type { User } from '@workos-inc/node';
import { unsealData } from 'iron-session';
import { headers } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import { cache } from 'react';
import { getAuthConfig } from './config';

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

// The proxy forwards the sealed session to the render in this request header
// (authkit-nextjs' own channel); authkit's withAuth() reads it too but does not
// return the authentication method, so we unseal that one field ourselves.
const SESSION_HEADER = 'x-workos-session';

async function authenticationMethodOf(): Promise<string | undefined> {
  const sealed = (await headers()).get(SESSION_HEADER);
  if (!sealed) return undefined;
  const session = await unsealData<{ authenticationMethod?: unknown }>(sealed, { password: getAuthConfig().cookiePassword });
  return typeof session.authenticationMethod === 'string' ? session.authenticationMethod : undefined;
}

/** The signed-in session, or null. Cached for the duration of one request. */
export const getSession = cache(async (): Promise<AppSession | null> => {
  let auth: Awaited<ReturnType<typeof withAuth>>;
  try {
    auth = await withAuth();
  } catch {
    // Outside the proxy matcher (static-looking 404s): render as signed out.
    return null;
  }
  if (!auth.user) return null;

  const { exp } = await getTokenClaims(auth.accessToken);
  return {
    user: auth.user,
    sessionId: auth.sessionId,
    organizationId: auth.organizationId,
    role: auth.role,
    roles: auth.roles ?? (auth.role ? [auth.role] : []),
    permissions: auth.permissions ?? [],
    entitlements: auth.entitlements ?? [],
    featureFlags: auth.featureFlags ?? [],
    impersonator: auth.impersonator,
    authenticationMethod: await authenticationMethodOf(),
    accessTokenExpiresAt: typeof exp === 'number' ? new Date(exp * 1000) : undefined,
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
 * The session, or a redirect to sign-in. The proxy already redirects signed-out
 * visitors of protected routes; this covers a session the proxy accepted but
 * withAuth() rejects (sealed user ≠ token subject).
 */
export async function requireSession(returnTo: string): Promise<AppSession> {
  const session = await getSession();
  if (!session) redirect(signInPath(returnTo));
  return session;
}

/** The session if it holds `permission`; otherwise the 403 page (app/forbidden.tsx). */
export async function requirePermission(permission: string, returnTo: string): Promise<AppSession> {
  const session = await requireSession(returnTo);
  if (!hasPermission(session, permission)) forbidden();
  return session;
}
