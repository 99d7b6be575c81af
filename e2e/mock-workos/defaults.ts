import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';

/** Defaults shared by `npm run mock` and `npm run dev:mock`; they satisfy the app's env rules (lib/auth/config/env.ts). */
export const MOCK_DEFAULTS = {
  port: 4010,
  host: '127.0.0.1',
  clientId: 'client_01MOCKWORKOS',
  apiKey: 'sk_test_mock',
  appPort: 3000,
  redirectPath: '/api/auth/callback',
} as const;

export const defaultRedirectUri = (appPort: number = MOCK_DEFAULTS.appPort) => `http://localhost:${appPort}${MOCK_DEFAULTS.redirectPath}`;

/**
 * The events the starter's webhook route handles (lib/features/webhooks/; its webhooks.test.ts checks
 * the two agree): what `npm run dev:mock` and the e2e suite subscribe the app's endpoint to, as you
 * would in the WorkOS dashboard, and what `npm run mock` delivers by default.
 */
export const STARTER_WEBHOOK_EVENTS = [
  'user.created',
  'user.updated',
  'user.deleted',
  'organization_membership.created',
  'organization_membership.updated',
  'organization_membership.deleted',
  'invitation.accepted',
  'session.revoked',
] as const;

/** A webhook secret as WorkOS shows them (`whsec_…`), for an endpoint registered at start-up. */
export const newWebhookSecret = () => `whsec_${randomBytes(24).toString('base64url')}`;

/** A port from the environment: an integer 0–65535 (0 = any free port). */
export function parsePort(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`${name} must be a port number, got "${value}".`);
  return port;
}

/** An on/off switch from the environment: 1/true/yes or 0/false/no (unset: off). */
export function parseFlag(name: string, value: string | undefined): boolean {
  if (value === undefined || value.trim() === '') return false;
  const normalized = value.trim().toLowerCase();
  if (['1', 'true', 'yes'].includes(normalized)) return true;
  if (['0', 'false', 'no'].includes(normalized)) return false;
  throw new Error(`${name} must be 1 or 0, got "${value}".`);
}

/** Whole seconds from the environment, 0–max (unset: 0). */
export function parseSeconds(name: string, value: string | undefined, max: number): number {
  if (value === undefined || value.trim() === '') return 0;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > max)
    throw new Error(`${name} must be a whole number of seconds from 0 to ${max}, got "${value}".`);
  return seconds;
}

/**
 * For a listen that failed: a port another process holds becomes one line
 * naming the variable that moves it, e.g. `MOCK_WORKOS_PORT=4011 npm run mock`.
 */
export function namingPortVariable(variable: string, port: number, command: string) {
  return (error: unknown): never => {
    if ((error as { code?: unknown } | null)?.code !== 'EADDRINUSE') throw error;
    throw new Error(
      `Port ${port} is already in use (another \`${command}\`, or another server). Stop that process, or pick another port: ${variable}=${port + 1} ${command}`,
    );
  };
}

/** Resolves when `port` is free on every interface (as `next dev` listens), rejects with EADDRINUSE when it is not. */
export function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(port, () => probe.close(() => resolve()));
  });
}
