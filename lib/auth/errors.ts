/**
 * Phase 3 — what can go wrong at the callback, as stable codes.
 *
 * Every failure is classified into one code; the error page shows the fixed
 * copy for that code and never anything taken from the request. Codes are part
 * of the URL contract (`/auth/error?code=…`), so treat them as public API.
 */
import { CallbackError } from '@workos-inc/authkit-nextjs';
import { AuthConfigError } from './config';

export const AUTH_ERROR_CODES = [
  'access_denied',
  'sso_failed',
  'missing_params',
  'invalid_state',
  'missing_verifier',
  'redirect_uri_mismatch',
  'invalid_code',
  'workos_unavailable',
  'configuration_error',
  'unexpected',
] as const;

export type AuthErrorCode = (typeof AUTH_ERROR_CODES)[number];

export interface AuthErrorCopy {
  title: string;
  description: string;
  /** What the person can do next. */
  nextStep: string;
  action: { label: string; href: string };
}

const TRY_AGAIN = { label: 'Try signing in again', href: '/auth/sign-in' } as const;
const HOME = { label: 'Back to the home page', href: '/' } as const;

export const AUTH_ERROR_COPY: Record<AuthErrorCode, AuthErrorCopy> = {
  access_denied: {
    title: 'Sign-in was cancelled',
    description: 'You cancelled signing in, or access was not granted, so you are not signed in.',
    nextStep: 'You can start again whenever you are ready.',
    action: TRY_AGAIN,
  },
  sso_failed: {
    title: 'Your identity provider could not sign you in',
    description: 'Single sign-on or the sign-in provider reported a problem and did not complete the sign-in.',
    nextStep: 'Try again. If it keeps failing, ask your organization’s administrator to check the SSO connection.',
    action: TRY_AGAIN,
  },
  missing_params: {
    title: 'This sign-in link is incomplete',
    description: 'The page you arrived from did not include everything needed to finish signing in.',
    nextStep: 'Start signing in again from this site rather than from a saved or shared link.',
    action: TRY_AGAIN,
  },
  invalid_state: {
    title: 'We could not verify this sign-in',
    description:
      'The sign-in response did not match the request this browser started, so it was rejected to protect your account.',
    nextStep: 'Start signing in again from this site. Don’t use sign-in links that someone else sent you.',
    action: TRY_AGAIN,
  },
  missing_verifier: {
    title: 'Your sign-in session expired',
    description:
      'This browser has no record of starting this sign-in. It may have taken more than 10 minutes, cookies may be blocked, or the sign-in was started in another browser.',
    nextStep: 'Start signing in again in this browser, and make sure cookies are allowed for this site.',
    action: TRY_AGAIN,
  },
  redirect_uri_mismatch: {
    title: 'This app’s sign-in address is misconfigured',
    description:
      'The sign-in finished at an address that does not match the redirect URI this app is configured with, so the sign-in could not be verified.',
    nextStep:
      'Open the app at the address in NEXT_PUBLIC_WORKOS_REDIRECT_URI (e.g. localhost rather than 127.0.0.1), and make sure the same URI is listed under Redirects in the WorkOS dashboard.',
    action: HOME,
  },
  invalid_code: {
    title: 'This sign-in link has already been used or has expired',
    description: 'Each sign-in can be completed once, within a few minutes.',
    nextStep: 'Start signing in again to get a fresh link.',
    action: TRY_AGAIN,
  },
  workos_unavailable: {
    title: 'Sign-in is temporarily unavailable',
    description: 'We could not reach the sign-in service in time. Nothing was changed on your account.',
    nextStep: 'Wait a moment and try again.',
    action: TRY_AGAIN,
  },
  configuration_error: {
    title: 'Sign-in is not set up correctly',
    description: 'The sign-in service rejected this app’s credentials.',
    nextStep: 'If you run this app, check WORKOS_CLIENT_ID and WORKOS_API_KEY against the WorkOS dashboard.',
    action: HOME,
  },
  unexpected: {
    title: 'Something went wrong while signing you in',
    description: 'The sign-in could not be completed because of an unexpected error.',
    nextStep: 'Try again. If it keeps happening, contact support and quote the reference below.',
    action: TRY_AGAIN,
  },
};

export function isAuthErrorCode(value: unknown): value is AuthErrorCode {
  return typeof value === 'string' && (AUTH_ERROR_CODES as readonly string[]).includes(value);
}

/** Copy for a code taken from a URL; anything unknown gets the generic copy. */
export function authErrorCopyFor(code: unknown): { code: AuthErrorCode; copy: AuthErrorCopy } {
  const known = isAuthErrorCode(code) ? code : 'unexpected';
  return { code: known, copy: AUTH_ERROR_COPY[known] };
}

// `error` values an OAuth/OIDC provider sends back to the redirect URI that
// mean the redirect URI itself is wrong (RFC 6749 §4.1.2.1 plus common variants).
const REDIRECT_URI_ERRORS = new Set(['invalid_redirect_uri', 'redirect_uri_mismatch', 'unauthorized_client']);

const TRANSIENT_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
const NETWORK_ERROR_MESSAGE = /fetch failed|failed to fetch|network|socket|ECONNRESET|ECONNREFUSED|terminated|timeout/i;

function statusOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number') {
    return error.status;
  }
  return undefined;
}

function isNetworkFailure(error: unknown, depth = 0): boolean {
  if (depth > 5 || !(error instanceof Error)) return false;
  if (NETWORK_ERROR_MESSAGE.test(error.message) && (error instanceof TypeError || error.name === 'HttpClientError')) {
    return true;
  }
  return isNetworkFailure(error.cause, depth + 1);
}

export interface CallbackFailure {
  /** What authkit-nextjs threw (or passed to onError). */
  error: unknown;
  /** The callback URL as requested. */
  url: URL;
  /** The app's configured redirect URI. */
  redirectUri: string;
}

/** Maps a callback failure to one stable code. Pure: easy to test, safe to call in onError. */
export function classifyCallbackError({ error, url, redirectUri }: CallbackFailure): AuthErrorCode {
  // AuthKit reports its own failures (cancel, SSO problems) as `?error=` with no code.
  const providerError = url.searchParams.get('error');
  if (providerError !== null) {
    if (providerError === 'access_denied') return 'access_denied';
    if (REDIRECT_URI_ERRORS.has(providerError)) return 'redirect_uri_mismatch';
    return 'sso_failed';
  }

  if (error instanceof AuthConfigError) return 'configuration_error';

  if (error instanceof CallbackError) {
    switch (error.code) {
      case 'missing_auth_params':
        return 'missing_params';
      case 'oauth_state_mismatch':
        return 'invalid_state';
      case 'missing_pkce_cookie':
        // The verifier cookie lives on the origin that started the flow. Arriving
        // on another origin (127.0.0.1 vs localhost) is a configuration mistake.
        return url.origin === new URL(redirectUri).origin ? 'missing_verifier' : 'redirect_uri_mismatch';
      case 'missing_tokens':
        return 'unexpected';
    }
  }

  // The sealed state unsealed to something that is not authkit's state shape
  // (tampered, truncated, or sealed with another password).
  if (error instanceof Error && error.name === 'ValiError') return 'invalid_state';

  const status = statusOf(error);
  if (status !== undefined) {
    if (TRANSIENT_STATUSES.has(status)) return 'workos_unavailable';
    if (status === 401 || status === 403) return 'configuration_error';
    if (status === 400 || status === 404 || status === 422) return 'invalid_code';
  }

  if (isNetworkFailure(error)) return 'workos_unavailable';
  return 'unexpected';
}

/** Short id shown on the error page and written in the matching server log line. */
export function newReferenceId(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  return Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join('');
}

const REFERENCE_ID = /^[a-hjkmnp-z2-9]{10}$/;

/** A reference id from a URL, only if it has exactly our shape (never echo arbitrary text). */
export function parseReferenceId(value: unknown): string | undefined {
  return typeof value === 'string' && REFERENCE_ID.test(value) ? value : undefined;
}
