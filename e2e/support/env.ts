/**
 * The environment the e2e suite runs the app and the mock WorkOS with.
 * Fixed, public test values: nothing here is a secret, and none of it can
 * reach the real WorkOS (the API host is loopback, which the app's config
 * module only accepts for a stand-in).
 */
import { STARTER_WEBHOOK_EVENTS } from '../mock-workos/defaults.ts'; // demo:line webhooks

export const E2E_CLIENT_ID = 'client_01E2ETESTCLIENT';
export const E2E_API_KEY = 'sk_test_e2e_mock_workos';
/** Tests seal crafted cookies with this, so it is exported. */
export const E2E_COOKIE_PASSWORD = 'e2e-only-cookie-password-0123456789abcdef';
export const E2E_HOST = 'localhost';
// demo:start webhooks
/** The secret of the webhook endpoint the mock delivers to (the app's /api/webhooks/workos); tests sign deliveries with it. */
export const E2E_WEBHOOK_SECRET = 'whsec_e2e_only_webhook_secret_0123456789';
// demo:end webhooks

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

/** The same server reached by IP: a second allowed origin (APP_ALLOWED_ORIGINS), for the per-origin redirect URI. */
export function secondAppOrigin(appPort: number): string {
  return `http://127.0.0.1:${appPort}`;
}

/**
 * The suite's app server serves both origins (e2e/security/origins.spec.ts).
 * Not part of appEnv(): the benchmark reaches its servers on 127.0.0.1 and
 * registers only the localhost callback, so it keeps the single origin.
 */
export function e2eAllowedOrigins(appPort: number): string {
  return `${appOrigin(appPort)},${secondAppOrigin(appPort)}`;
}

/**
 * The other app servers some security tests start from the same build, with an
 * https redirect URI (no TLS: they are still reached over http).
 */
export function httpsRedirectUri(appPort: number): string {
  return `https://${E2E_HOST}:${appPort}/api/auth/callback`;
}

/** Every redirect URI the mock accepts for the suite. */
export function mockRedirectUris({ appPort, httpsAppPorts }: { appPort: number; httpsAppPorts: number[] }): string[] {
  return [redirectUri(appPort), `${secondAppOrigin(appPort)}/api/auth/callback`, ...httpsAppPorts.map(httpsRedirectUri)];
}

/** What the app server sees (the e2e build is made without any of it: e2e/support/build.ts). */
export function appEnv({ appPort, mockPort }: E2EPorts): Record<string, string> {
  return {
    WORKOS_CLIENT_ID: E2E_CLIENT_ID,
    WORKOS_API_KEY: E2E_API_KEY,
    WORKOS_COOKIE_PASSWORD: E2E_COOKIE_PASSWORD,
    NEXT_PUBLIC_WORKOS_REDIRECT_URI: redirectUri(appPort),
    WORKOS_API_HOSTNAME: '127.0.0.1',
    WORKOS_API_PORT: String(mockPort),
    WORKOS_API_HTTPS: 'false',
    WORKOS_WEBHOOK_SECRET: E2E_WEBHOOK_SECRET, // demo:line webhooks
    NEXT_TELEMETRY_DISABLED: '1',
  };
}

// demo:start webhooks
/**
 * The events the mock delivers to the suite's app: every one the webhook route handles but
 * `session.revoked`. Some specs end a session at WorkOS and prove what the app does when it learns
 * of it at its next refresh (session.spec.ts, security/refresh.spec.ts 14b, security/proxy-bypass.spec.ts
 * 20a); a delivery that makes the app refuse the session at once would race them.
 * e2e/webhooks.spec.ts delivers a `session.revoked` of its own.
 */
export const E2E_WEBHOOK_EVENTS = STARTER_WEBHOOK_EVENTS.filter((event) => event !== 'session.revoked');

/** Where the mock delivers its webhooks: the suite's app server. */
export function webhookUrl(appPort: number): string {
  return `${appOrigin(appPort)}/api/webhooks/workos`;
}
// demo:end webhooks
