import { describe, expect, it } from 'vitest';
import { assertAuthConfig } from './config';
import { expiredVerifierCookie, isVerifierCookie } from './cookies';

const env = {
  WORKOS_CLIENT_ID: 'client_01TEST',
  WORKOS_API_KEY: 'sk_test_x',
  WORKOS_COOKIE_PASSWORD: 'p'.repeat(32),
  NEXT_PUBLIC_WORKOS_REDIRECT_URI: 'https://app.example.com/api/auth/callback',
};

describe('isVerifierCookie', () => {
  it.each(['wos-auth-verifier', 'wos-auth-verifier-1a2b3c4d'])('%s is a verifier cookie', (name) => {
    expect(isVerifierCookie(name)).toBe(true);
  });

  it.each(['wos-session', 'wos-auth-verifierx', 'x-wos-auth-verifier-1'])('%s is not', (name) => {
    expect(isVerifierCookie(name)).toBe(false);
  });
});

describe('expiredVerifierCookie', () => {
  it('expires the cookie with the attributes authkit set it with', () => {
    expect(expiredVerifierCookie(assertAuthConfig(env))).toEqual({
      value: '',
      path: '/',
      maxAge: 0,
      httpOnly: true,
      sameSite: 'lax',
      secure: true,
    });
  });

  it('carries the cookie domain when one is configured, or the browser keeps the cookie', () => {
    expect(expiredVerifierCookie(assertAuthConfig({ ...env, WORKOS_COOKIE_DOMAIN: 'example.com' })).domain).toBe('example.com');
  });

  it('is not Secure on http://localhost', () => {
    const config = assertAuthConfig({ ...env, NEXT_PUBLIC_WORKOS_REDIRECT_URI: 'http://localhost:3000/api/auth/callback' });
    expect(expiredVerifierCookie(config).secure).toBe(false);
  });
});
