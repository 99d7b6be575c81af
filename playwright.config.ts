import { existsSync, readFileSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';
import { chromiumLaunchOptions, isHeadedRun } from './e2e/support/browser';
import {
  E2E_API_KEY,
  E2E_BUILD_MARKER,
  E2E_CLIENT_ID,
  E2E_WEBHOOK_EVENTS, // demo:line webhooks
  E2E_WEBHOOK_SECRET, // demo:line webhooks
  appEnv,
  appOrigin,
  e2eAllowedOrigins,
  mockRedirectUris,
  webhookUrl, // demo:line webhooks
} from './e2e/support/env';
import { MOCK_DEFAULTS } from './e2e/mock-workos/defaults';
import { sharedPort } from './e2e/support/ports';
import { SKIPPING_REDIS_TESTS, redisTestsSkipped } from './test/redis-server';

// The edit–test loop (README, "Write your first test"): E2E_BASE_URL=http://localhost:3000 runs specs
// against a server already running (`npm run dev:mock`, or `npm start` against the mock), with its mock
// at E2E_MOCK_URL (default `npm run mock`'s): no build, no servers started, no suite-wide teardown project.
const reuseServer = process.env.E2E_BASE_URL?.trim() || undefined;
// Free ports unless given: E2E_APP_PORT / E2E_MOCK_PORT pin them.
const appPort = await sharedPort('E2E_APP_PORT');
const mockPort = await sharedPort('E2E_MOCK_PORT');
// Reserved for the app servers some security specs start from the same build with an https redirect URI:
// e2e/security/cookie-attributes.spec.ts (with a cookie domain, and without: __Host- names) and cookie-tossing.spec.ts.
const httpsAppPorts = [
  await sharedPort('E2E_HTTPS_APP_PORT'),
  await sharedPort('E2E_HOST_PREFIX_APP_PORT'),
  await sharedPort('E2E_TOSSING_APP_PORT'),
];
const mockUrl = reuseServer ? (process.env.E2E_MOCK_URL ?? `http://127.0.0.1:${MOCK_DEFAULTS.port}`) : `http://127.0.0.1:${mockPort}`;
process.env.E2E_MOCK_URL = mockUrl;

function isE2EBuild(): boolean {
  return (
    existsSync(E2E_BUILD_MARKER) &&
    existsSync('.next/BUILD_ID') &&
    readFileSync(E2E_BUILD_MARKER, 'utf8') === readFileSync('.next/BUILD_ID', 'utf8')
  );
}

if (!reuseServer && !isE2EBuild()) {
  console.error('No e2e production build found: run `npm run build:e2e` first (`npm test` does this for you).');
  process.exit(1);
}

// Once, in the runner (workers load this file too): e2e/security/refresh-two-instances.spec.ts skips itself.
if (process.env.TEST_WORKER_INDEX === undefined && redisTestsSkipped()) console.warn(SKIPPING_REDIS_TESTS);

// Workers load this file again without the CLI flags, so the runner passes "headed" on in the environment.
const headed = isHeadedRun();
if (headed) process.env.E2E_HEADED = '1';
const launchOptions = chromiumLaunchOptions({ fullBrowser: headed });
const browser = { ...devices['Desktop Chrome'], launchOptions };
const GLOBAL_STATE = /@global-state/;

export default defineConfig({
  testDir: './e2e',
  // *.test.ts files next to the mock are vitest unit tests.
  testMatch: '**/*.spec.ts',
  // The whole suite takes about 3 minutes on 2 cores; one test should never need 30 s.
  timeout: 30_000,
  expect: { timeout: 7_500 },
  fullyParallel: true,
  forbidOnly: Boolean(process.env.CI),
  // A failed test runs once more, only to record its trace (`trace` below): recording one for every
  // test cost ~15 % of the suite's time on 2 cores. A test that passes on that second run still fails
  // the run as flaky (`failOnFlakyTests`), so the retry never hides a failure.
  retries: 1,
  failOnFlakyTests: true,
  // Against a running dev server, one worker is the fastest on 2 cores: next dev and the browser share them.
  workers: reuseServer ? 1 : 3,
  reporter: [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: reuseServer ?? appOrigin(appPort),
    trace: 'on-first-retry',
    screenshot: 'only-on-failure',
    launchOptions,
  },
  projects: reuseServer
    ? [{ name: 'chromium', testIgnore: 'dev-mock.spec.ts', grepInvert: GLOBAL_STATE, use: browser }]
    : [
        // Tests tagged @global-state change something every test shares (the mock's signing key):
        // they run as the parallel project's teardown, so after all of its tests. (Playwright runs a
        // teardown project in full even on a filtered run: docs/testing.md says how to leave it out.)
        // `npm run dev:mock` is the slowest test (next dev compiles on first hit): listed first so it starts first.
        { name: 'dev-mock', testMatch: 'dev-mock.spec.ts', use: browser },
        { name: 'chromium', testIgnore: 'dev-mock.spec.ts', grepInvert: GLOBAL_STATE, teardown: 'global-state', use: browser },
        // One worker, one test at a time: a key rotation must never land inside another test's JWKS count.
        // (A project, not a serial describe, so one failure does not skip the others.)
        { name: 'global-state', grep: GLOBAL_STATE, fullyParallel: false, workers: 1, use: browser },
      ],
  webServer: reuseServer
    ? []
    : [
        {
          name: 'mock-workos',
          command: 'node e2e/mock-workos/cli.ts',
          // Any 2xx means the mock is up; the JWKS route needs no credentials.
          url: `${mockUrl}/sso/jwks/${E2E_CLIENT_ID}`,
          env: {
            MOCK_WORKOS_PORT: String(mockPort),
            WORKOS_CLIENT_ID: E2E_CLIENT_ID,
            WORKOS_API_KEY: E2E_API_KEY,
            MOCK_WORKOS_REDIRECT_URIS: mockRedirectUris({ appPort, httpsAppPorts }).join(','),
            // Strict PKCE: WorkOS lets a confidential client skip PKCE, the suite proves this app never does.
            MOCK_WORKOS_REQUIRE_PKCE: '1',
            // demo:start webhooks
            // The app's webhook route, as registered in the WorkOS dashboard (which events: E2E_WEBHOOK_EVENTS says why).
            MOCK_WORKOS_WEBHOOK_URL: webhookUrl(appPort),
            MOCK_WORKOS_WEBHOOK_SECRET: E2E_WEBHOOK_SECRET,
            MOCK_WORKOS_WEBHOOK_EVENTS: E2E_WEBHOOK_EVENTS.join(','),
            // demo:end webhooks
          },
          reuseExistingServer: false,
          stdout: 'ignore',
          timeout: 20_000,
        },
        {
          name: 'app',
          // next start, its log in test-results/app-server.log (next to the traces), not in the test output.
          command: `node e2e/support/app-server.ts ${appPort} test-results/app-server.log`,
          url: `${appOrigin(appPort)}/`,
          env: { ...appEnv({ appPort, mockPort }), APP_ALLOWED_ORIGINS: e2eAllowedOrigins(appPort) },
          reuseExistingServer: false,
          timeout: 60_000,
        },
      ],
});
