/**
 * Phase 3 — what went wrong at the callback, as one stable code
 * (errors/copy.ts). Classifies what authkit, the WorkOS SDK or the identity
 * provider reported: foreign errors, so they are read by their shape.
 */
import { CallbackError } from '../authkit';
import { AuthConfigError } from '../config/env';
import type { AuthErrorCode } from '../errors/copy';

// `error` values an OAuth/OIDC provider sends back to the redirect URI that
// mean the redirect URI itself is wrong (RFC 6749 §4.1.2.1 plus common variants).
const REDIRECT_URI_ERRORS = new Set(['invalid_redirect_uri', 'redirect_uri_mismatch', 'unauthorized_client']);

const TRANSIENT_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

// OAuth `error` values of the token endpoint that blame the app's client
// credentials or settings. WorkOS' OpenAPI spec lists them under 400, so the
// status alone would read as a bad code.
const CLIENT_CONFIGURATION_ERRORS = new Set(['invalid_client', 'unauthorized_client', 'pkce_not_supported']);
const NETWORK_ERROR_MESSAGE = /fetch failed|failed to fetch|network|socket|ECONNRESET|ECONNREFUSED|terminated|timeout/i;

/** What a foreign error may carry: an HTTP status, an OAuth `error`, a WorkOS `code`, and the JSON body they may come in (`rawData`). */
type ErrorFields = { status?: unknown; error?: unknown; code?: unknown; rawData?: ErrorFields } | null | undefined;

function statusOf(error: unknown): number | undefined {
  const status = (error as ErrorFields)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** A string field of the error or of the JSON body it carries (`rawData`), e.g. OAuth `error` or WorkOS `code`. */
function fieldOf(error: unknown, name: 'error' | 'code'): string | undefined {
  const own = (error as ErrorFields)?.[name];
  const fromBody = (error as ErrorFields)?.rawData?.[name];
  return typeof own === 'string' ? own : typeof fromBody === 'string' ? fromBody : undefined;
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
  /**
   * Whether the request carried a verifier cookie of this app at all (for any
   * state). authkit names the cookie after the state, so a tampered state reads
   * as "no cookie"; holding one for another state means the response does not
   * match the sign-in this browser started.
   */
  hasVerifierCookie?: boolean;
}

/** Maps a callback failure to one stable code. Pure: easy to test, safe to call in onError. */
export function classifyCallbackError({ error, url, redirectUri, hasVerifierCookie = false }: CallbackFailure): AuthErrorCode {
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
        if (url.origin !== new URL(redirectUri).origin) return 'redirect_uri_mismatch';
        return hasVerifierCookie ? 'invalid_state' : 'missing_verifier';
      // missing_tokens (WorkOS answered without tokens) reads as unexpected below: a CallbackError carries no status or cause.
    }
  }

  // The sealed state unsealed to something that is not authkit's state shape
  // (tampered, truncated, or sealed with another password).
  if (error instanceof Error && error.name === 'ValiError') return 'invalid_state';

  const status = statusOf(error);
  if (status !== undefined) {
    if (TRANSIENT_STATUSES.has(status)) return 'workos_unavailable';
    const oauthError = fieldOf(error, 'error');
    if (oauthError !== undefined && CLIENT_CONFIGURATION_ERRORS.has(oauthError)) return 'configuration_error';
    // A 403 with a WorkOS `code` (mfa_enrollment, email_verification_required,
    // authentication_method_not_allowed…) is a sign-in step not completed, not the app's credentials.
    if (status === 403 && fieldOf(error, 'code') !== undefined) return 'access_denied';
    // 401 is what WorkOS answers a wrong API key (the spec documents no 401; the SDK throws UnauthorizedException).
    if (status === 401 || status === 403) return 'configuration_error';
    if (status === 400 || status === 404 || status === 422) return 'invalid_code';
  }

  if (isNetworkFailure(error)) return 'workos_unavailable';
  return 'unexpected';
}
