/** Defaults shared by `npm run mock` and `npm run dev:mock`; they satisfy the app's env rules (lib/auth/config.ts). */
export const MOCK_DEFAULTS = {
  port: 4010,
  host: '127.0.0.1',
  clientId: 'client_01MOCKWORKOS',
  apiKey: 'sk_test_mock',
  appPort: 3000,
  redirectPath: '/api/auth/callback',
} as const;

export const defaultRedirectUri = (appPort: number = MOCK_DEFAULTS.appPort) => `http://localhost:${appPort}${MOCK_DEFAULTS.redirectPath}`;

/** A port from the environment: an integer 0–65535 (0 = any free port). */
export function parsePort(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`${name} must be a port number, got "${value}".`);
  return port;
}
