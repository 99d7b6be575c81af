/**
 * What `npm run dev:mock` and `npm run start:mock` share: the mock WorkOS on
 * loopback, the environment that wires the app to it, the banner with the demo
 * accounts, and running the app until Ctrl-C (or until it exits), then stopping
 * the app and the mock together.
 *
 * The WORKOS_* values are passed in the app's environment. Next loads
 * .env.local but never overrides a variable already set in process.env, so
 * these win over a developer's real settings.
 *
 *   PORT               app port (default 3000)
 *   MOCK_WORKOS_PORT   mock port (default 4010; 0 = any free port)
 *   MOCK_WORKOS_HOST   loopback host for the mock (default 127.0.0.1)
 * demo:start webhooks
 *
 * The mock delivers its webhooks to the app's route (/api/webhooks/workos), signed
 * with a secret drawn for this run and handed to the app as WORKOS_WEBHOOK_SECRET.
 * demo:end webhooks
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { isLoopbackHost } from '../lib/auth/config/allowed-origins.ts';
import { MIN_COOKIE_PASSWORD_LENGTH } from '../lib/auth/config/env.ts';
import {
  assertPortFree,
  defaultRedirectUri,
  MOCK_DEFAULTS,
  namingPortVariable,
  newWebhookSecret, // demo:line webhooks
  parsePort,
  STARTER_WEBHOOK_EVENTS, // demo:line webhooks
} from '../e2e/mock-workos/defaults.ts';
import { formatDemoAccounts } from '../e2e/mock-workos/demo-accounts.ts';
import { startMockWorkOS, type RunningMockWorkOS } from '../e2e/mock-workos/server.ts';
import { onStopRequest } from '../e2e/mock-workos/stop-signals.ts';

const APP_STOP_GRACE_MS = 5_000;

export interface MockApp {
  appPort: number;
  mock: RunningMockWorkOS;
  /** The environment to build and run the app with: the caller's, wired to the mock. */
  env: NodeJS.ProcessEnv;
}

/** The variables that point the app at the mock (pure: the tests pin it). */
export function mockAppVariables(options: {
  appPort: number;
  mockHost: string;
  mockPort: number;
  /** WORKOS_COOKIE_PASSWORD as exported in the shell, if at all. */
  exportedCookiePassword: string | undefined;
}): Record<string, string> {
  const { appPort, mockHost, mockPort, exportedCookiePassword = '' } = options;
  // Only an explicitly exported password is reused, never the one in .env.local: a
  // different password makes the browser's real-WorkOS session cookie unreadable
  // here, so the app treats it as signed out instead of refreshing it against the mock.
  const cookiePassword =
    exportedCookiePassword.length >= MIN_COOKIE_PASSWORD_LENGTH
      ? exportedCookiePassword
      : randomBytes(MIN_COOKIE_PASSWORD_LENGTH).toString('base64url');
  return {
    PORT: String(appPort),
    // Always the mock's own credentials: a real key from the shell must not travel to the mock.
    WORKOS_CLIENT_ID: MOCK_DEFAULTS.clientId,
    WORKOS_API_KEY: MOCK_DEFAULTS.apiKey,
    WORKOS_API_HOSTNAME: mockHost.includes(':') && !mockHost.startsWith('[') ? `[${mockHost}]` : mockHost,
    WORKOS_API_PORT: String(mockPort),
    WORKOS_API_HTTPS: 'false',
    WORKOS_COOKIE_PASSWORD: cookiePassword,
    NEXT_PUBLIC_WORKOS_REDIRECT_URI: defaultRedirectUri(appPort),
  };
}

// demo:start webhooks
/** The app's webhook route, where the mock delivers its events (app/api/webhooks/workos/route.ts). */
const webhookUrlFor = (appPort: number) => `http://localhost:${appPort}/api/webhooks/workos`;
// demo:end webhooks

/**
 * Starts the mock WorkOS (PORT, MOCK_WORKOS_PORT, MOCK_WORKOS_HOST) and returns the app's environment for it.
 * A busy port stops `command` with one line naming the variable that moves it.
 */
export async function startMockForApp(command: string): Promise<MockApp> {
  const appPort = parsePort('PORT', process.env.PORT, MOCK_DEFAULTS.appPort);
  const mockHost = process.env.MOCK_WORKOS_HOST?.trim() || MOCK_DEFAULTS.host;
  if (!isLoopbackHost(mockHost)) {
    throw new Error(`MOCK_WORKOS_HOST="${mockHost}" is not a loopback host: the app must never trust a fake WorkOS on the network.`);
  }
  // next dev would move to the next free port on its own, away from the redirect URI registered at the mock.
  await assertPortFree(appPort).catch(namingPortVariable('PORT', appPort, command));
  const mockPort = parsePort('MOCK_WORKOS_PORT', process.env.MOCK_WORKOS_PORT, MOCK_DEFAULTS.port);
  // demo:start webhooks
  // The app's webhook route, registered at the mock as in the WorkOS dashboard, with a secret of this run's
  // (the mock signs with it, the app verifies with it; a real one in the shell never reaches the mock).
  const webhookEndpoint = { url: webhookUrlFor(appPort), secret: newWebhookSecret(), events: STARTER_WEBHOOK_EVENTS };
  // demo:end webhooks
  const mock = await startMockWorkOS({
    port: mockPort,
    host: mockHost,
    clientId: MOCK_DEFAULTS.clientId,
    apiKey: MOCK_DEFAULTS.apiKey,
    redirectUris: [defaultRedirectUri(appPort)],
    webhookEndpoint, // demo:line webhooks
  }).catch(namingPortVariable('MOCK_WORKOS_PORT', mockPort, command));
  const variables = mockAppVariables({
    appPort,
    mockHost,
    mockPort: mock.port,
    exportedCookiePassword: process.env.WORKOS_COOKIE_PASSWORD,
  });
  variables.WORKOS_WEBHOOK_SECRET = webhookEndpoint.secret; // demo:line webhooks
  return { appPort, mock, env: { ...process.env, ...variables } };
}

/** The mock's address and the demo accounts, then what starts. */
export function printBanner({ appPort, mock }: MockApp, what: string): void {
  console.log(`Mock WorkOS on ${mock.url}`);
  console.log(`  webhooks to ${webhookUrlFor(appPort)}, deliveries at ${mock.url}/__mock/webhook_deliveries`); // demo:line webhooks
  console.log(formatDemoAccounts(`${mock.url}/__mock/outbox`));
  console.log(`Starting ${what} on http://localhost:${appPort} against the mock…\n`);
}

/**
 * Runs the app (`node ...args`) with the mock's environment until Ctrl-C, SIGTERM, our parent
 * going away, or the app exiting; then stops the app and the mock and exits.
 */
export function runAppAgainstMock(label: string, args: string[], { mock, env }: MockApp): void {
  // Own process group (detached): next does not forward signals to its
  // workers, so we stop the whole group ourselves. stdin is not shared so the
  // background group never blocks on the terminal.
  const app = spawn(process.execPath, args, { env, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
  const appPid = app.pid;
  const appExited = new Promise<number>((resolve) => app.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));

  const signalAppGroup = (signal: NodeJS.Signals) => {
    if (appPid === undefined) return;
    try {
      process.kill(-appPid, signal);
    } catch {
      // ESRCH: nothing left in the group.
    }
  };
  // Last resort if we die without going through stop(): leave no orphaned app.
  process.once('exit', () => signalAppGroup('SIGKILL'));

  let stopping = false;
  const stop = async (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${label}: ${reason}, stopping the app and the mock…`);
    signalAppGroup('SIGTERM');
    const forceKill = setTimeout(() => signalAppGroup('SIGKILL'), APP_STOP_GRACE_MS);
    await appExited;
    clearTimeout(forceKill);
    // next's workers share its group; make sure none outlived the leader.
    signalAppGroup('SIGKILL');
    await mock.close();
    process.exit(exitCode);
  };

  onStopRequest((reason) => void stop(reason, 0));
  void appExited.then((code) => stop(`the app exited with code ${code}`, code));
}
