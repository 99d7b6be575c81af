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
 * - One refresh per refresh token (lib/auth/refresh-single-flight.ts), across
 *   instances when REDIS_URL is set.
 *
 * The SDK members this relies on are declared internal; authkit.test.ts pins
 * them, so an upgrade that changes them fails loudly, naming this file.
 */
import * as authkitNextjs from '@workos-inc/authkit-nextjs';
import { NextResponse, type NextRequest } from 'next/server';
import { normaliseAuthCookiesOfThisRequest } from '../session/cookies';
import { sharedRefreshFlight, singleFlightRefresh } from './refresh-single-flight';
import { withSessionCookieChunks } from './session-chunks-store';

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
  userManagement.authenticateWithRefreshToken = singleFlightRefresh(userManagement.authenticateWithRefreshToken.bind(userManagement), {
    shared: sharedRefreshFlight,
  });
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

/**
 * `fn` (which sets or deletes auth cookies through next/headers), then those
 * cookies rewritten with the deployment's attributes (lib/auth/cookies.ts):
 * authkit takes `Secure` from the build-time redirect URI or the request's
 * scheme. In `finally`, as signOut and switchToOrganization end by throwing
 * Next's redirect.
 */
function withNormalisedAuthCookies<Fn extends (...args: never[]) => Promise<unknown>>(fn: Fn): Fn {
  return (async (...args: Parameters<Fn>) => {
    try {
      return await fn(...args);
    } finally {
      await normaliseAuthCookiesOfThisRequest();
    }
  }) as Fn;
}

// Proxy and callback responses are normalised where they are built (lib/auth/proxy-policy.ts, callback.ts).
export const authkit = throughBoundedClient(authkitNextjs.authkit);
export const handleAuthkitProxy = throughBoundedClient(authkitNextjs.handleAuthkitProxy);
export const handleAuth = throughBoundedClient(authkitNextjs.handleAuth);
export const getSignInUrl = withNormalisedAuthCookies(throughBoundedClient(authkitNextjs.getSignInUrl));
export const getSignUpUrl = withNormalisedAuthCookies(throughBoundedClient(authkitNextjs.getSignUpUrl));
export const withAuth = throughBoundedClient(authkitNextjs.withAuth);
export const signOut = withNormalisedAuthCookies(throughBoundedClient(authkitNextjs.signOut));
// These two save a new session through Next's cookie store: stored in chunks when it needs them,
// then every auth cookie normalised to the request's attributes.
export const refreshSession = withNormalisedAuthCookies(throughBoundedClient(withSessionCookieChunks(authkitNextjs.refreshSession)));
export const switchToOrganization = withNormalisedAuthCookies(
  throughBoundedClient(withSessionCookieChunks(authkitNextjs.switchToOrganization)),
);
/**
 * A NextResponse that passes the request on with authkit's forwarded session
 * headers merged into `requestHeaders`: what handleAuthkitProxy() does for an
 * answer with no redirect and no pending sign-in, built from the headers the
 * proxy forwards anyway instead of a NextRequest made only to carry them.
 * authkit's partition reads nothing of the request but its headers
 * (authkit.test.ts pins that against handleAuthkitProxy itself).
 */
export function forwardWithAuthkitHeaders(requestHeaders: Headers, authkitHeaders: Headers): NextResponse {
  const partitioned = authkitNextjs.partitionAuthkitHeaders({ headers: requestHeaders } as NextRequest, authkitHeaders);
  return authkitNextjs.applyResponseHeaders(
    NextResponse.next({ request: { headers: partitioned.requestHeaders } }),
    partitioned.responseHeaders,
  );
}

// Pure: decode claims or classify errors, no WorkOS call.
export const getTokenClaims = authkitNextjs.getTokenClaims;
export const CallbackError = authkitNextjs.CallbackError;
