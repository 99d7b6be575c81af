/**
 * The environment the e2e suite runs the app and the mock WorkOS with.
 * Fixed, public test values: nothing here is a secret, and none of it can
 * reach the real WorkOS (the API host is loopback, which the app's config
 * module only accepts for a stand-in).
 */
export const E2E_CLIENT_ID = 'client_01E2ETESTCLIENT';
export const E2E_API_KEY = 'sk_test_e2e_mock_workos';
/** Tests seal crafted cookies with this, so it is exported. */
export const E2E_COOKIE_PASSWORD = 'e2e-only-cookie-password-0123456789abcdef';
export const E2E_HOST = 'localhost';

/** Placeholder ports for `next build`: the runtime values come from appEnv() at `next start`. */
export const BUILD_APP_PORT = 3000;
export const BUILD_MOCK_PORT = 4010;

/** Written next to .next/BUILD_ID by `npm run build:e2e`. */
export const E2E_BUILD_MARKER = '.next/E2E_BUILD_ID';

export interface E2EPorts {
  appPort: number;
  mockPort: number;
}

export function appOrigin(appPort: number): string {
  return `http://${E2E_HOST}:${appPort}`;
}

export function redirectUri(appPort: number): string {
  return `${appOrigin(appPort)}/api/auth/callback`;
}

/** What `next build` and `next start` see. */
export function appEnv({ appPort, mockPort }: E2EPorts): Record<string, string> {
  return {
    WORKOS_CLIENT_ID: E2E_CLIENT_ID,
    WORKOS_API_KEY: E2E_API_KEY,
    WORKOS_COOKIE_PASSWORD: E2E_COOKIE_PASSWORD,
    NEXT_PUBLIC_WORKOS_REDIRECT_URI: redirectUri(appPort),
    WORKOS_API_HOSTNAME: '127.0.0.1',
    WORKOS_API_PORT: String(mockPort),
    WORKOS_API_HTTPS: 'false',
    NEXT_TELEMETRY_DISABLED: '1',
  };
}
