/**
 * Runs the mock WorkOS as a real HTTP server on loopback, so a browser can
 * open its hosted sign-in pages and the app's server can call its API.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isLoopbackHost } from '../../lib/auth/config/allowed-origins.ts';
import { CONTROL_PREFIX, createMockWorkOSHandlers } from './handlers/index.ts';
import { createRequestListener } from './node-adapter.ts';
import { DEFAULT_ACCESS_TOKEN_TTL_SECONDS, MockWorkOSStore, type Clock, type WebhookEndpointSeed } from './store.ts';

export interface MockWorkOSOptions {
  /** 0 picks a free port. Default 0. */
  port?: number;
  /** Must be a loopback address or name. Default 127.0.0.1. */
  host?: string;
  clientId: string;
  apiKey: string;
  /** Exact redirect URIs the authorize endpoint accepts (WorkOS dashboard → Redirects). */
  redirectUris: string[];
  /** Exact URLs logout may return to. Default: [defaultLogoutRedirect]. */
  logoutReturnUris?: string[];
  /** Where logout goes without an allowed return_to. Default: origin of the first redirect URI + "/". */
  defaultLogoutRedirect?: string;
  /** Access token lifetime. Default 300 s. */
  accessTokenTtlSeconds?: number;
  /** Strict PKCE: refuse authorize without code_challenge and codes without code_verifier. Default false (WorkOS: optional for a confidential client). */
  pkceRequired?: boolean;
  /** Seconds a just-used refresh token may replay its rotation. Default 0: strict single use. */
  refreshTokenReplayWindowSeconds?: number;
  /** API sign-ins of users with several organizations answer `organization_selection_required`. Default false. */
  organizationSelectionRequired?: boolean;
  /** Every user signs in with a second factor (TOTP), enrolling one first (WorkOS: Authentication → MFA). Default false. */
  mfaRequired?: boolean;
  /**
   * The app's sign-in endpoint (WorkOS dashboard → Redirects → Sign-in endpoint): where an invitation
   * link sends the browser to start a sign-in. Default: origin of the first redirect URI + `/auth/sign-in`.
   */
  initiateLoginUri?: string;
  /** A webhook endpoint registered from the start (and after every reset), as in the WorkOS dashboard. */
  webhookEndpoint?: WebhookEndpointSeed;
  /** Time source for expiries and webhook retries (tests). Default Date.now. */
  clock?: Clock;
}

export interface RunningMockWorkOS {
  /** Base URL, e.g. http://127.0.0.1:4010 */
  url: string;
  port: number;
  close(): Promise<void>;
  store: MockWorkOSStore;
}

/** Validates options and fills defaults; shared with setupServer users via {@link createMockWorkOSStore}. */
export async function createMockWorkOSStore(options: Omit<MockWorkOSOptions, 'port' | 'host'>): Promise<MockWorkOSStore> {
  const firstRedirectUri = options.redirectUris[0];
  if (!firstRedirectUri) throw new Error('mock WorkOS: at least one redirect URI is required.');
  for (const uri of options.redirectUris) {
    if (!URL.canParse(uri)) throw new Error(`mock WorkOS: redirect URI "${uri}" is not an absolute URL.`);
  }
  const defaultLogoutRedirect = options.defaultLogoutRedirect ?? `${new URL(firstRedirectUri).origin}/`;
  const initiateLoginUri = options.initiateLoginUri ?? `${new URL(firstRedirectUri).origin}/auth/sign-in`;
  if (!URL.canParse(initiateLoginUri)) throw new Error(`mock WorkOS: initiate login URI "${initiateLoginUri}" is not an absolute URL.`);
  return MockWorkOSStore.create(
    {
      clientId: options.clientId,
      apiKey: options.apiKey,
      redirectUris: [...options.redirectUris],
      // Like the WorkOS dashboard's sign-out redirects: by default, the home page of each app origin.
      logoutReturnUris: [...(options.logoutReturnUris ?? new Set(options.redirectUris.map((uri) => `${new URL(uri).origin}/`)))],
      defaultLogoutRedirect,
      initiateLoginUri,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? DEFAULT_ACCESS_TOKEN_TTL_SECONDS,
      pkceRequired: options.pkceRequired ?? false,
      refreshTokenReplayWindowSeconds: options.refreshTokenReplayWindowSeconds ?? 0,
      organizationSelectionRequired: options.organizationSelectionRequired ?? false,
      mfaRequired: options.mfaRequired ?? false,
    },
    { clock: options.clock, webhookEndpoint: options.webhookEndpoint },
  );
}

export async function startMockWorkOS(options: MockWorkOSOptions): Promise<RunningMockWorkOS> {
  const host = options.host ?? '127.0.0.1';
  // A fake identity provider reachable from the network would sign anyone in.
  if (!isLoopbackHost(host)) throw new Error(`mock WorkOS: refusing to listen on "${host}": only loopback hosts are allowed.`);
  const store = await createMockWorkOSStore(options);
  const server = createServer(createRequestListener(createMockWorkOSHandlers(store), { controlPrefix: CONTROL_PREFIX }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    store,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets (undici pools them) and delayed requests would hold close() open.
        server.closeAllConnections();
      }),
  };
}
