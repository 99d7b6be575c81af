/**
 * Phase 1 — the authorization request.
 *
 * Turns `/auth/sign-in?returnTo&loginHint&organizationId` into an AuthKit URL.
 * authkit-nextjs does the protocol work: PKCE (S256), a random nonce, and the
 * sealed `state` that carries the verifier, return path and our custom state,
 * mirrored in an HttpOnly verifier cookie so the callback can detect CSRF.
 * This module decides what we are willing to put in it.
 */
import { getSignInUrl, getSignUpUrl } from '@workos-inc/authkit-nextjs';
import { getAuthConfig } from './config';
import { createCustomState, serializeCustomState, type CustomState } from './custom-state';
import { DEFAULT_RETURN_TO, sanitizeReturnTo } from './return-to';

export type Intent = CustomState['intent'];

export interface AuthorizationRequest {
  intent: Intent;
  /** Same-origin path to land on after the callback. */
  returnTo: string;
  loginHint: string | undefined;
  organizationId: string | undefined;
  /** Same-origin path of the page the person started from (for the custom state). */
  startedFrom: string;
}

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

/** The path of a same-origin Referer, if there is one. */
function startedFromReferer(referer: string | null, appOrigin: string): string {
  if (!referer) return '/';
  try {
    const url = new URL(referer);
    return url.origin === appOrigin ? sanitizeReturnTo(`${url.pathname}${url.search}`, '/') : '/';
  } catch {
    return '/';
  }
}

/**
 * Pure: reads and validates the query of /auth/sign-in or /auth/sign-up.
 * Invalid optional values are dropped (the sign-in still works); an unsafe
 * returnTo falls back to the dashboard.
 */
export function parseAuthorizationRequest(
  intent: Intent,
  searchParams: URLSearchParams,
  { referer, appOrigin }: { referer: string | null; appOrigin: string },
): AuthorizationRequest {
  return {
    intent,
    returnTo: sanitizeReturnTo(searchParams.get('returnTo'), DEFAULT_RETURN_TO),
    loginHint: parseLoginHint(searchParams.get('loginHint')),
    organizationId: parseOrganizationId(searchParams.get('organizationId')),
    startedFrom: startedFromReferer(referer, appOrigin),
  };
}

/** Builds the AuthKit URL and sets the PKCE verifier cookie (must run in a route handler or server action). */
export async function createAuthorizationUrl(request: AuthorizationRequest): Promise<string> {
  const { redirectUri } = getAuthConfig();
  const options = {
    redirectUri,
    returnTo: request.returnTo,
    loginHint: request.loginHint,
    organizationId: request.organizationId,
    state: serializeCustomState(createCustomState({ startedFrom: request.startedFrom, intent: request.intent })),
  };
  return request.intent === 'sign-up' ? getSignUpUrl(options) : getSignInUrl(options);
}
