/**
 * `npm run dev:mock`: the mock WorkOS and `next dev` wired to it, in one
 * command, with no WorkOS account.
 *
 * The WORKOS_* values are passed in the child's environment. Next loads
 * .env.local but never overrides a variable already set in process.env, so
 * these win over a developer's real settings.
 *
 *   PORT               app port (default 3000)
 *   MOCK_WORKOS_PORT   mock port (default 4010; 0 = any free port)
 *   MOCK_WORKOS_HOST   loopback host for the mock (default 127.0.0.1)
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { isLoopbackHost } from '../lib/auth/config/allowed-origins.ts';
import { MIN_COOKIE_PASSWORD_LENGTH } from '../lib/auth/config/env.ts';
import { assertPortFree, defaultRedirectUri, MOCK_DEFAULTS, namingPortVariable, parsePort } from '../e2e/mock-workos/defaults.ts';
import { formatDemoAccounts } from '../e2e/mock-workos/demo-accounts.ts';
import { startMockWorkOS } from '../e2e/mock-workos/server.ts';
import { onStopRequest } from '../e2e/mock-workos/stop-signals.ts';

const NEXT_STOP_GRACE_MS = 5_000;
const NEXT_BIN = fileURLToPath(new URL('../node_modules/next/dist/bin/next', import.meta.url));

async function main(): Promise<void> {
  const appPort = parsePort('PORT', process.env.PORT, MOCK_DEFAULTS.appPort);
  const mockHost = process.env.MOCK_WORKOS_HOST?.trim() || MOCK_DEFAULTS.host;
  if (!isLoopbackHost(mockHost)) {
    throw new Error(`MOCK_WORKOS_HOST="${mockHost}" is not a loopback host: the app must never trust a fake WorkOS on the network.`);
  }
  // next dev would move to the next free port on its own, away from the redirect URI registered at the mock.
  await assertPortFree(appPort).catch(namingPortVariable('PORT', appPort, 'npm run dev:mock'));
  const redirectUri = defaultRedirectUri(appPort);
  const mockPort = parsePort('MOCK_WORKOS_PORT', process.env.MOCK_WORKOS_PORT, MOCK_DEFAULTS.port);
  const mock = await startMockWorkOS({
    port: mockPort,
    host: mockHost,
    // Always the mock's own credentials: a real key from the shell must not travel to the mock.
    clientId: MOCK_DEFAULTS.clientId,
    apiKey: MOCK_DEFAULTS.apiKey,
    redirectUris: [redirectUri],
  }).catch(namingPortVariable('MOCK_WORKOS_PORT', mockPort, 'npm run dev:mock'));

  // Only an explicitly exported password is reused, never the one in .env.local: a
  // different password makes the browser's real-WorkOS session cookie unreadable
  // here, so the app treats it as signed out instead of refreshing it against the mock.
  const existingPassword = process.env.WORKOS_COOKIE_PASSWORD ?? '';
  const cookiePassword =
    existingPassword.length >= MIN_COOKIE_PASSWORD_LENGTH
      ? existingPassword
      : randomBytes(MIN_COOKIE_PASSWORD_LENGTH).toString('base64url');
  const apiHostname = mockHost.includes(':') && !mockHost.startsWith('[') ? `[${mockHost}]` : mockHost;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(appPort),
    WORKOS_CLIENT_ID: MOCK_DEFAULTS.clientId,
    WORKOS_API_KEY: MOCK_DEFAULTS.apiKey,
    WORKOS_API_HOSTNAME: apiHostname,
    WORKOS_API_PORT: String(mock.port),
    WORKOS_API_HTTPS: 'false',
    WORKOS_COOKIE_PASSWORD: cookiePassword,
    NEXT_PUBLIC_WORKOS_REDIRECT_URI: redirectUri,
  };

  console.log(`Mock WorkOS on ${mock.url}`);
  console.log(formatDemoAccounts());
  console.log(`Starting the app on http://localhost:${appPort} against the mock…\n`);

  // Own process group (detached): next does not forward signals to its
  // workers, so we stop the whole group ourselves. stdin is not shared so the
  // background group never blocks on the terminal.
  const next = spawn(process.execPath, [NEXT_BIN, 'dev', '--port', String(appPort)], {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  const nextPid = next.pid;
  const nextExited = new Promise<number>((resolve) => next.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));

  const signalNextGroup = (signal: NodeJS.Signals) => {
    if (nextPid === undefined) return;
    try {
      process.kill(-nextPid, signal);
    } catch {
      // ESRCH: nothing left in the group.
    }
  };
  // Last resort if we die without going through stop(): leave no orphaned next.
  process.once('exit', () => signalNextGroup('SIGKILL'));

  let stopping = false;
  const stop = async (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    console.log(`\ndev:mock: ${reason}, stopping next and the mock…`);
    signalNextGroup('SIGTERM');
    const forceKill = setTimeout(() => signalNextGroup('SIGKILL'), NEXT_STOP_GRACE_MS);
    await nextExited;
    clearTimeout(forceKill);
    // next's workers share its group; make sure none outlived the leader.
    signalNextGroup('SIGKILL');
    await mock.close();
    process.exit(exitCode);
  };

  onStopRequest((reason) => void stop(reason, 0));
  void nextExited.then((code) => stop(`next exited with code ${code}`, code));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
