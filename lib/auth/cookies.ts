/**
 * Attributes of the cookies the auth flow sets: the session (authkit), the
 * PKCE verifiers (authkit, `wos-auth-verifier-<hash of state>`, one per sign-in
 * in progress) and any cookie a feature adds. authkit sets its own; the app
 * expires verifiers where authkit does not (too many pending, or a failed
 * callback), with the attributes they were set with.
 */
import type { AuthConfig } from './config';

const VERIFIER_COOKIE = /^wos-auth-verifier(-|$)/;

export function isVerifierCookie(name: string): boolean {
  return VERIFIER_COOKIE.test(name);
}

/** Whether auth cookies carry `Secure`: the app is served over https (the redirect URI says so). */
export function cookiesAreSecure(config: Pick<AuthConfig, 'redirectUri'>): boolean {
  return new URL(config.redirectUri).protocol === 'https:';
}

/** Attributes that expire a verifier cookie: they must match how authkit set it (domain included). */
export function expiredVerifierCookie(config: AuthConfig) {
  return {
    value: '',
    path: '/',
    maxAge: 0,
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: cookiesAreSecure(config),
    ...(config.cookie.domain ? { domain: config.cookie.domain } : {}),
  };
}
