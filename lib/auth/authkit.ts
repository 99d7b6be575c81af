/**
 * The one door to authkit-nextjs and the WorkOS SDK.
 *
 * Every authkit function the app calls is imported from here, never from the
 * package (an ESLint rule enforces it, see eslint.config.mjs). Each one first
 * makes sure authkit's shared SDK instance is bounded, so no caller can forget:
 *
 * - Bounded waits. authkit builds its client without a timeout or retry budget,
 *   so the SDK defaults would apply: 60 s per attempt, 3 retries, and
 *   `Retry-After` honoured up to 60 s. A request through the proxy or the
 *   callback could hang for minutes while WorkOS is slow. authkit exposes no
 *   option for this, so the instance's HTTP client is rebuilt once with our
 *   bounds (the SDK's own `createHttpClient`, not a fetch wrapper of ours).
 * - One refresh per refresh token (lib/auth/refresh-single-flight.ts).
 *
 * The SDK members this relies on are declared internal; authkit.test.ts pins
 * them, so an upgrade that changes them fails loudly, naming this file.
 */
import * as authkitNextjs from '@workos-inc/authkit-nextjs';
import { singleFlightRefresh } from './refresh-single-flight';

export type { AccessToken, HandleAuthSuccessData, Impersonator } from '@workos-inc/authkit-nextjs';
export type { OrganizationMembership, User } from '@workos-inc/node';

/** One attempt may take this long before it counts as a timeout. */
export const WORKOS_REQUEST_TIMEOUT_MS = 4_000;
/**
 * No automatic retries: a retry would sleep for as long as `Retry-After` says.
 * Transient refresh failures keep the session (authkit), and a failed code
 * exchange shows "try again"; neither needs the SDK to wait on our behalf.
 */
export const WORKOS_MAX_RETRIES = 0;

/**
 * Request headers authkit's proxy uses to forward the session to the render
 * (the channel its own withAuth() reads). Only lib/auth/ may read them.
 */
export const AUTHKIT_SESSION_HEADER = 'x-workos-session';
export const AUTHKIT_PROXY_HEADER = 'x-workos-middleware';

type WorkOSClient = ReturnType<typeof authkitNextjs.getWorkOS>;

/** The SDK internals we rebuild; pinned by authkit.test.ts. */
interface ConfigurableWorkOS {
  options: { timeout?: number; maxRetries?: number };
  client: unknown;
  createHttpClient(options: object, userAgent: string): unknown;
  createUserAgent(options: object): string;
}

const bounded = new WeakSet<WorkOSClient>();

/** Bounds one SDK instance (idempotent). Exported for the tests, which bound their own instances. */
export function boundWorkOSClient(workos: WorkOSClient): WorkOSClient {
  if (bounded.has(workos)) return workos;
  const configurable = workos as unknown as ConfigurableWorkOS;
  configurable.options.timeout = WORKOS_REQUEST_TIMEOUT_MS;
  configurable.options.maxRetries = WORKOS_MAX_RETRIES;
  configurable.client = configurable.createHttpClient(configurable.options, configurable.createUserAgent(configurable.options));
  const userManagement = workos.userManagement;
  userManagement.authenticateWithRefreshToken = singleFlightRefresh(userManagement.authenticateWithRefreshToken.bind(userManagement));
  bounded.add(workos);
  return workos;
}

/** authkit's shared SDK instance, bounded. For direct SDK calls (memberships, sessions, …). */
export function workos(): WorkOSClient {
  return boundWorkOSClient(authkitNextjs.getWorkOS());
}

/** `fn`, run only after authkit's shared instance is bounded. */
function throughBoundedClient<Fn extends (...args: never[]) => unknown>(fn: Fn): Fn {
  // Typed as the original so overloads (withAuth, refreshSession) survive.
  return ((...args: Parameters<Fn>) => {
    workos();
    return fn(...args);
  }) as Fn;
}

export const authkit = throughBoundedClient(authkitNextjs.authkit);
export const handleAuthkitProxy = throughBoundedClient(authkitNextjs.handleAuthkitProxy);
export const handleAuth = throughBoundedClient(authkitNextjs.handleAuth);
export const getSignInUrl = throughBoundedClient(authkitNextjs.getSignInUrl);
export const getSignUpUrl = throughBoundedClient(authkitNextjs.getSignUpUrl);
export const withAuth = throughBoundedClient(authkitNextjs.withAuth);
export const signOut = throughBoundedClient(authkitNextjs.signOut);
export const refreshSession = throughBoundedClient(authkitNextjs.refreshSession);
export const switchToOrganization = throughBoundedClient(authkitNextjs.switchToOrganization);
// Pure: decode claims or classify errors, no WorkOS call.
export const getTokenClaims = authkitNextjs.getTokenClaims;
export const CallbackError = authkitNextjs.CallbackError;
