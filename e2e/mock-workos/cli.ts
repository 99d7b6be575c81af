/**
 * `npm run mock`: the mock WorkOS as a standalone server.
 *
 *   MOCK_WORKOS_PORT           port (default 4010; 0 = any free port)
 *   MOCK_WORKOS_HOST           loopback host to bind (default 127.0.0.1)
 *   WORKOS_CLIENT_ID           client id it accepts (default client_01MOCKWORKOS)
 *   WORKOS_API_KEY             API key / client secret it accepts (default sk_test_mock)
 *   MOCK_WORKOS_REDIRECT_URIS  comma-separated allowed redirect URIs
 *                              (default http://localhost:3000/api/auth/callback)
 *   MOCK_WORKOS_REQUIRE_PKCE   1 = strict PKCE: refuse sign-ins without a code_challenge
 *                              (default 0: optional, as WorkOS does for a confidential client)
 *   MOCK_WORKOS_REFRESH_REPLAY_WINDOW_SECONDS
 *                              seconds a just-used refresh token may replay its
 *                              rotation (default 0: strict single use)
 *   MOCK_WORKOS_WEBHOOK_URL    a loopback URL to deliver webhooks to from the start
 *                              (e.g. http://localhost:3000/api/webhooks/workos); unset: none
 *   MOCK_WORKOS_WEBHOOK_SECRET its signing secret (default: a new whsec_… printed at start)
 *   MOCK_WORKOS_WEBHOOK_EVENTS comma-separated event types it receives (default: the
 *                              eight the starter's webhook route handles)
 */
import {
  defaultRedirectUri,
  MOCK_DEFAULTS,
  namingPortVariable,
  newWebhookSecret,
  parseFlag,
  parseSeconds,
  parsePort,
  STARTER_WEBHOOK_EVENTS,
} from './defaults.ts';
import { formatDemoAccounts } from './demo-accounts.ts';
import { WorkOSOpenApiSpec } from './openapi-spec.ts';
import { startMockWorkOS } from './server.ts';
import { isLoopbackUrl } from './store/webhooks.ts';
import { onStopRequest } from './stop-signals.ts';

const env = (name: string) => process.env[name]?.trim() || undefined;

async function main(): Promise<void> {
  const redirectUris = (env('MOCK_WORKOS_REDIRECT_URIS') ?? defaultRedirectUri())
    .split(',')
    .map((uri) => uri.trim())
    .filter(Boolean);
  const port = parsePort('MOCK_WORKOS_PORT', env('MOCK_WORKOS_PORT'), MOCK_DEFAULTS.port);
  // The request-body validator (handlers/api.ts), loaded now rather than during the first call that needs it.
  const spec = WorkOSOpenApiSpec.shared();
  const webhookUrl = env('MOCK_WORKOS_WEBHOOK_URL');
  if (webhookUrl && !isLoopbackUrl(webhookUrl)) {
    throw new Error(`MOCK_WORKOS_WEBHOOK_URL must be an http(s) URL on localhost, 127.0.0.1 or [::1], got "${webhookUrl}".`);
  }
  const webhookEvents = env('MOCK_WORKOS_WEBHOOK_EVENTS')
    ?.split(',')
    .map((event) => event.trim())
    .filter(Boolean) ?? [...STARTER_WEBHOOK_EVENTS];
  const unknownEvents = webhookEvents.filter((event) => !spec.eventTypes().has(event));
  if (unknownEvents.length > 0) throw new Error(`MOCK_WORKOS_WEBHOOK_EVENTS: not WorkOS event types: ${unknownEvents.join(', ')}.`);
  const webhookSecret = env('MOCK_WORKOS_WEBHOOK_SECRET') ?? newWebhookSecret();
  const mock = await startMockWorkOS({
    port,
    host: env('MOCK_WORKOS_HOST') ?? MOCK_DEFAULTS.host,
    clientId: env('WORKOS_CLIENT_ID') ?? MOCK_DEFAULTS.clientId,
    apiKey: env('WORKOS_API_KEY') ?? MOCK_DEFAULTS.apiKey,
    redirectUris,
    pkceRequired: parseFlag('MOCK_WORKOS_REQUIRE_PKCE', env('MOCK_WORKOS_REQUIRE_PKCE')),
    refreshTokenReplayWindowSeconds: parseSeconds(
      'MOCK_WORKOS_REFRESH_REPLAY_WINDOW_SECONDS',
      env('MOCK_WORKOS_REFRESH_REPLAY_WINDOW_SECONDS'),
      3_600,
    ),
    webhookEndpoint: webhookUrl ? { url: webhookUrl, secret: webhookSecret, events: webhookEvents } : undefined,
  }).catch(namingPortVariable('MOCK_WORKOS_PORT', port, 'npm run mock'));
  console.log(`Mock WorkOS listening on ${mock.url}`);
  const { pkceRequired, refreshTokenReplayWindowSeconds } = mock.store.config;
  console.log(
    `  PKCE ${pkceRequired ? 'required (strict)' : 'optional (as WorkOS for a confidential client)'}, refresh tokens ${refreshTokenReplayWindowSeconds > 0 ? `replayable for ${refreshTokenReplayWindowSeconds} s` : 'strictly single use'}`,
  );
  console.log(`  client id ${mock.store.config.clientId}, redirect URIs: ${redirectUris.join(', ')}`);
  if (webhookUrl) {
    // The secret is the mock's own (a test value, or one drawn now): the app needs it as WORKOS_WEBHOOK_SECRET.
    const shown = env('MOCK_WORKOS_WEBHOOK_SECRET') ? '(MOCK_WORKOS_WEBHOOK_SECRET)' : webhookSecret;
    console.log(`  webhooks to ${webhookUrl}, signed with ${shown}: ${webhookEvents.join(', ')}`);
  }
  console.log(formatDemoAccounts(`${mock.url}/__mock/outbox`));

  onStopRequest((reason) => {
    console.log(`\nMock WorkOS: ${reason}, stopping.`);
    mock.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
