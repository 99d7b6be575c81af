/**
 * Phase 1 — the authorization request: GET /auth/sign-in and /auth/sign-up
 * (the "initiate login URI" to register in the WorkOS dashboard).
 *
 * Turns `?returnTo&loginHint&organizationId&maxAge` into an AuthKit URL. authkit-nextjs
 * does the protocol work: PKCE (S256), a random nonce, and the sealed `state`
 * that carries the verifier, return path and any custom state, mirrored in an
 * HttpOnly verifier cookie so the callback can detect CSRF. This module decides
 * what we are willing to put in it.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { getSignInUrl, getSignUpUrl, withAuth } from '../authkit';
import { prunePendingSignIns } from '../authkit/verifier-cookies';
import { getAuthConfig } from '../config/env';
import { authCookieScope } from '../session/cookies';
import { loopbackAliasTarget, redirectUriFor, requestOrigin } from '../config/origin';
import { DEFAULT_RETURN_TO, sanitizeReturnTo } from './return-to';
import { checkWorkOSInDevelopment } from './workos-reachable';

export type Intent = 'sign-in' | 'sign-up';

export interface AuthorizationRequest {
  intent: Intent;
  /** Same-origin path to land on after the callback. */
  returnTo: string;
  loginHint: string | undefined;
  organizationId: string | undefined;
  /**
   * Step-up (session/recent-auth.ts): sign in again unless the last sign-in is at most this many seconds old
   * (OIDC `max_age`); a signed-in user is not sent straight back.
   */
  maxAge: number | undefined;
}

const MAX_EMAIL_LENGTH = 254;
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;
const ORGANIZATION_ID = /^org_[A-Za-z0-9]{1,64}$/;
/** Whole seconds, up to a year (OIDC `max_age`). */
const MAX_AGE = /^(0|[1-9]\d{0,7})$/;

function parseLoginHint(value: string | null): string | undefined {
  if (!value || value.length > MAX_EMAIL_LENGTH || !EMAIL.test(value)) return undefined;
  return value;
}

function parseOrganizationId(value: string | null): string | undefined {
  return value && ORGANIZATION_ID.test(value) ? value : undefined;
}

function parseMaxAge(value: string | null): number | undefined {
  return value && MAX_AGE.test(value) && Number(value) <= 366 * 24 * 3600 ? Number(value) : undefined;
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
    maxAge: parseMaxAge(searchParams.get('maxAge')),
  };
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
    const config = getAuthConfig();
    // Opened on 127.0.0.1 or [::1] for a localhost redirect URI: start on the configured origin, where the
    // callback will look for the verifier cookie. (Here, not in the proxy: Next turns a proxy's redirect
    // between loopback names into a relative one.)
    const aliasOf = loopbackAliasTarget(request.headers, config);
    if (aliasOf) return NextResponse.redirect(new URL(`${request.nextUrl.pathname}${request.nextUrl.search}`, aliasOf), 307);
    // In development, a page naming the WorkOS host when it does not answer, instead of a refused connection.
    const unreachable = await checkWorkOSInDevelopment(config, `${request.nextUrl.pathname}${request.nextUrl.search}`);
    if (unreachable) return unreachable;
    // The request's own origin when it is on the allow-list, never an arbitrary Host header.
    const appOrigin = requestOrigin(request, config);
    const authorization = parseAuthorizationRequest(intent, request.nextUrl.searchParams);

    // Already signed in: go where they were heading instead of a second sign-in, unless this is a
    // step-up (maxAge), which signs the same user in again, into the same organization.
    const { user, organizationId: currentOrganizationId } = await withAuth();
    if (user && authorization.maxAge === undefined) return NextResponse.redirect(new URL(authorization.returnTo, appOrigin), 303);

    await prunePendingSignIns(request.cookies.getAll(), authCookieScope(config, appOrigin));
    // The AuthKit URL, with the callback on this request's origin; authkit sets the PKCE verifier cookie.
    const { returnTo, maxAge } = authorization;
    const loginHint = authorization.loginHint ?? (maxAge === undefined ? undefined : user?.email);
    const organizationId = authorization.organizationId ?? (maxAge === undefined ? undefined : currentOrganizationId);
    const options = {
      redirectUri: redirectUriFor(appOrigin),
      returnTo,
      loginHint,
      organizationId,
      maxAge,
      state: customState?.(request, intent),
    };
    return NextResponse.redirect(await (intent === 'sign-up' ? getSignUpUrl(options) : getSignInUrl(options)), 303);
  };
}
