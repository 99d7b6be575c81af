/** One configuration for the auth unit tests: an https app with a cookie domain, and what follows from it. */
import { assertAuthConfig } from '../lib/auth/config/env';
import { authCookieScope } from '../lib/auth/session/cookies';

export const TEST_ENV = {
  WORKOS_CLIENT_ID: 'client_01TEST',
  WORKOS_API_KEY: 'sk_test_x',
  WORKOS_COOKIE_PASSWORD: 'p'.repeat(32),
  NEXT_PUBLIC_WORKOS_REDIRECT_URI: 'https://app.example.com/api/auth/callback',
};
/** The attribute every deletion carries (Next drops Max-Age=0). */
export const EPOCH = 'Expires=Thu, 01 Jan 1970 00:00:00 GMT';
export const httpsConfig = assertAuthConfig({ ...TEST_ENV, WORKOS_COOKIE_DOMAIN: 'example.com' });
export const httpsScope = authCookieScope(httpsConfig);
