/**
 * authkit-nextjs' PKCE verifier cookies (`wos-auth-verifier-<hash of state>`),
 * one per sign-in in progress. authkit sets them; the app expires them where
 * authkit does not (too many pending, or a failed callback).
 */
import type { AuthConfig } from './config';

const VERIFIER_COOKIE = /^wos-auth-verifier(-|$)/;

export function isVerifierCookie(name: string): boolean {
  return VERIFIER_COOKIE.test(name);
}

/** Attributes that expire a verifier cookie: they must match how authkit set it (domain included). */
export function expiredVerifierCookie(config: AuthConfig) {
  return {
    value: '',
    path: '/',
    maxAge: 0,
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: config.redirectUri.startsWith('https:'),
    ...(config.cookie.domain ? { domain: config.cookie.domain } : {}),
  };
}
