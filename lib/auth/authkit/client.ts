/**
 * The bounded WorkOS client.
 *
 * What authkit does: builds its one shared SDK instance (`getWorkOS()`) with no
 * timeout or retry budget, so the SDK defaults apply: 60 s per attempt, 3
 * retries, and `Retry-After` honoured up to 60 s. A request through the proxy
 * or the callback could hang for minutes while WorkOS is slow.
 * What we need: one attempt of at most 4 s, no retries (a transient refresh
 * failure keeps the session; a failed code exchange shows "try again"), and one
 * refresh per refresh token (./refresh-single-flight.ts). authkit exposes no
 * option for either, so the instance's HTTP client is rebuilt once with our
 * bounds (the SDK's own `createHttpClient`), before any call goes through it.
 * Concerns: authkit-nextjs 4.3.2 with @workos-inc/node 10 (members declared internal).
 * Delete this file when authkit-nextjs accepts SDK options (timeout, maxRetries) or an SDK instance.
 */
import { getWorkOS } from '@workos-inc/authkit-nextjs';
import { sharedRefreshFlight, singleFlightRefresh } from './refresh-single-flight';

/** One attempt may take this long before it counts as a timeout. */
export const WORKOS_REQUEST_TIMEOUT_MS = 4_000;

type WorkOSClient = ReturnType<typeof getWorkOS>;

/** The SDK internals we rebuild; pinned by client.test.ts. */
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
  configurable.options.maxRetries = 0;
  configurable.client = configurable.createHttpClient(configurable.options, configurable.createUserAgent(configurable.options));
  const userManagement = workos.userManagement;
  userManagement.authenticateWithRefreshToken = singleFlightRefresh(userManagement.authenticateWithRefreshToken.bind(userManagement), {
    shared: sharedRefreshFlight,
    processWide: true,
  });
  bounded.add(workos);
  return workos;
}

/** authkit's shared SDK instance, bounded. */
export function workos(): WorkOSClient {
  return boundWorkOSClient(getWorkOS());
}

/** `fn`, run only after authkit's shared instance is bounded. */
export function throughBoundedClient<Fn extends (...args: never[]) => unknown>(fn: Fn): Fn {
  // Typed as the original so overloads (withAuth, refreshSession) survive.
  return ((...args: Parameters<Fn>) => {
    workos();
    return fn(...args);
  }) as Fn;
}
