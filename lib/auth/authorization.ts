/**
 * Phase 1 — the authorization request: GET /auth/sign-in and /auth/sign-up
 * (the "initiate login URI" to register in the WorkOS dashboard).
 *
 * Turns `?returnTo&loginHint&organizationId` into an AuthKit URL. authkit-nextjs
 * does the protocol work: PKCE (S256), a random nonce, and the sealed `state`
 * that carries the verifier, return path and any custom state, mirrored in an
 * HttpOnly verifier cookie so the callback can detect CSRF. This module decides
 * what we are willing to put in it.
 */
import { cookies } from 'next/headers';
import { NextResponse, type NextRequest } from 'next/server';
import { getSignInUrl, getSignUpUrl, withAuth } from './authkit';
import { getAuthConfig } from './config';
import { expiredVerifierCookie, isVerifierCookie } from './cookies';
import { DEFAULT_RETURN_TO, sanitizeReturnTo } from './return-to';

export type Intent = 'sign-in' | 'sign-up';

export interface AuthorizationRequest {
  intent: Intent;
  /** Same-origin path to land on after the callback. */
  returnTo: string;
  loginHint: string | undefined;
  organizationId: string | undefined;
}

/** Sign-ins that may be pending at once (tabs); authkit's proxy path uses the same cap. */
export const MAX_PENDING_SIGN_INS = 5;

const MAX_EMAIL_LENGTH = 254;
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;
const ORGANIZATION_ID = /^org_[A-Za-z0-9]{1,64}$/;

function parseLoginHint(value: string | null): string | undefined {
  if (!value || value.length > MAX_EMAIL_LENGTH || !EMAIL.test(value)) return undefined;
  return value;
}

function parseOrganizationId(value: string | null): string | undefined {
  return value && ORGANIZATION_ID.test(value) ? value : undefined;
}

/**
 * Pure: reads and validates the query of /auth/sign-in or /auth/sign-up.
 * Invalid optional values are dropped (the sign-in still works); an unsafe
 * returnTo falls back to the dashboard.
 */
export function parseAuthorizationRequest(intent: Intent, searchParams: URLSearchParams): AuthorizationRequest {
  return {
    intent,
    returnTo: sanitizeReturnTo(searchParams.get('returnTo'), DEFAULT_RETURN_TO),
    loginHint: parseLoginHint(searchParams.get('loginHint')),
    organizationId: parseOrganizationId(searchParams.get('organizationId')),
  };
}

/** Builds the AuthKit URL and sets the PKCE verifier cookie (must run in a route handler or server action). */
export async function createAuthorizationUrl(request: AuthorizationRequest, customState?: string): Promise<string> {
  const { redirectUri } = getAuthConfig();
  const options = {
    redirectUri,
    returnTo: request.returnTo,
    loginHint: request.loginHint,
    organizationId: request.organizationId,
    state: customState,
  };
  return request.intent === 'sign-up' ? getSignUpUrl(options) : getSignInUrl(options);
}

/**
 * Each visit to /auth/sign-in adds a ~600-byte verifier cookie that lives 10
 * minutes, and authkit's getSignInUrl never prunes them. Twenty clicks would
 * push every request to this origin past the server's header limit (431) until
 * they expire. At the cap, the old ones go before the new one is set.
 */
async function prunePendingSignIns(request: NextRequest): Promise<void> {
  const pending = request.cookies.getAll().filter(({ name }) => isVerifierCookie(name));
  if (pending.length < MAX_PENDING_SIGN_INS) return;
  const jar = await cookies();
  const expired = expiredVerifierCookie(getAuthConfig());
  for (const { name } of pending) jar.set({ name, ...expired });
}

export interface AuthorizationRouteOptions {
  /**
   * The app's own state to carry through AuthKit and get back in the callback's
   * onSuccess (e.g. lib/features/sign-in-context). A string, sealed by authkit.
   */
  customState?: (request: NextRequest, intent: Intent) => string | undefined;
}

/** The GET handler for app/auth/sign-in/route.ts and app/auth/sign-up/route.ts. */
export function authorizationRoute(intent: Intent, { customState }: AuthorizationRouteOptions = {}) {
  return async function GET(request: NextRequest): Promise<Response> {
    const appOrigin = new URL(getAuthConfig().redirectUri).origin;
    const authorization = parseAuthorizationRequest(intent, request.nextUrl.searchParams);

    // Already signed in: go where they were heading instead of a second sign-in.
    const { user } = await withAuth();
    if (user) return NextResponse.redirect(new URL(authorization.returnTo, appOrigin), 303);

    await prunePendingSignIns(request);
    return NextResponse.redirect(await createAuthorizationUrl(authorization, customState?.(request, intent)), 303);
  };
}
