/**
 * Phase 3 — what can go wrong at the callback, as stable codes.
 *
 * Every failure is classified into one code; the error page shows the fixed
 * copy for that code and never anything taken from the request. Codes are part
 * of the URL contract (`/auth/error?code=…`), so treat them as public API.
 */
import type { AuthErrorCode } from './copy';

export { AUTH_ERROR_CODES, AUTH_ERROR_COPY, authErrorCopyFor, isAuthErrorCode, type AuthErrorCode } from './copy';

/** Short id shown on the error page and written in the matching server log line. */
export function newReferenceId(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  return Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join('');
}

/** The error page (app/auth/error/page.tsx). */
const AUTH_ERROR_PATH = '/auth/error';

/**
 * `/auth/error?code&ref` on the configured origin, never the Host header's, so
 * a spoofed Host can't turn an error redirect into an open redirect.
 */
export function authErrorUrl(code: AuthErrorCode, reference: string, redirectUri: string): URL {
  const target = new URL(AUTH_ERROR_PATH, redirectUri);
  target.searchParams.set('code', code);
  target.searchParams.set('ref', reference);
  return target;
}

const REFERENCE_ID = /^[a-hjkmnp-z2-9]{10}$/;

/** A reference id from a URL, only if it has exactly our shape (never echo arbitrary text). */
export function parseReferenceId(value: unknown): string | undefined {
  return typeof value === 'string' && REFERENCE_ID.test(value) ? value : undefined;
}
