/**
 * The WorkOS SDK client that authkit-nextjs uses, with bounded waits.
 *
 * authkit-nextjs builds its client without a timeout or retry budget, so the
 * SDK defaults apply: 60 s per attempt, 3 retries, and `Retry-After` honoured
 * up to 60 s. A request passing through the proxy or the callback could then
 * hang for minutes while WorkOS is slow. authkit exposes no option for this, so
 * we rebuild the instance's HTTP client once with our bounds (the SDK's own
 * `createHttpClient`, not a fetch wrapper of ours).
 */
import { getWorkOS } from '@workos-inc/authkit-nextjs';

/** One attempt may take this long before it counts as a timeout. */
export const WORKOS_REQUEST_TIMEOUT_MS = 4_000;
/**
 * No automatic retries: a retry would sleep for as long as `Retry-After` says.
 * Transient refresh failures keep the session (authkit), and a failed code
 * exchange shows "try again"; neither needs the SDK to wait on our behalf.
 */
export const WORKOS_MAX_RETRIES = 0;

type WorkOSClient = ReturnType<typeof getWorkOS>;

// The SDK declares these as internal; this is the narrow surface we rely on.
interface ConfigurableWorkOS {
  options: { timeout?: number; maxRetries?: number };
  client: unknown;
  createHttpClient(options: object, userAgent: string): unknown;
  createUserAgent(options: object): string;
}

const bounded = new WeakSet<WorkOSClient>();

export function boundWorkOSClient(workos: WorkOSClient): WorkOSClient {
  if (bounded.has(workos)) return workos;
  const configurable = workos as unknown as ConfigurableWorkOS;
  configurable.options.timeout = WORKOS_REQUEST_TIMEOUT_MS;
  configurable.options.maxRetries = WORKOS_MAX_RETRIES;
  configurable.client = configurable.createHttpClient(configurable.options, configurable.createUserAgent(configurable.options));
  bounded.add(workos);
  return workos;
}

/** authkit's shared WorkOS instance, bounded. Call before anything that may reach WorkOS. */
export function workos(): WorkOSClient {
  return boundWorkOSClient(getWorkOS());
}
