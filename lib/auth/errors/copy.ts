/**
 * The stable error codes of the callback and the fixed copy the error page shows
 * for each. No imports on purpose: the e2e suite (plain Node, no bundler) imports
 * this to assert the page text, and the SDKs that errors.ts needs do not load there.
 */
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
  'session_too_large',
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
    description: 'The sign-in response did not match the request this browser started, so it was rejected to protect your account.',
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
  session_too_large: {
    title: 'Your account has too much access information to sign in here',
    description:
      'Your account carries more roles, permissions, entitlements or feature flags than this browser can store, so this app could not keep you signed in. You have not been signed in.',
    nextStep:
      'Ask your organization’s administrator to remove permissions, entitlements or feature flags you do not need, then sign in again. Quote the reference below.',
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
