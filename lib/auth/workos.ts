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
import { decodeJwt } from 'jose';

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
  const userManagement = workos.userManagement;
  userManagement.authenticateWithRefreshToken = singleFlightRefresh(userManagement.authenticateWithRefreshToken.bind(userManagement));
  bounded.add(workos);
  return workos;
}

/** authkit's shared WorkOS instance, bounded. Call before anything that may reach WorkOS. */
export function workos(): WorkOSClient {
  return boundWorkOSClient(getWorkOS());
}

// ── Refresh single-flight ──────────────────────────────────────────────────
//
// authkit refreshes per request. WorkOS refresh tokens are single-use, so when
// a page load sends several requests with the same expired access token (the
// document, RSC payloads, prefetches), they race: one wins, the others get
// `invalid_grant`, which authkit treats as terminal and answers by deleting the
// session cookie. The user is signed out by their own page load.
//
// Inside one server process, concurrent refreshes of the same refresh token now
// share one call, and a result that just arrived is handed to late requests
// still carrying the old cookie for REFRESH_RESULT_REUSE_MS. Failures are shared
// only while in flight. (Across processes this does not help; see docs/security.md.)

/** How long a successful refresh answers requests that still present the old refresh token. */
export const REFRESH_RESULT_REUSE_MS = 10_000;
const MAX_TRACKED_REFRESHES = 1_000;

type UserManagement = WorkOSClient['userManagement'];
type RefreshOptions = Parameters<UserManagement['authenticateWithRefreshToken']>[0];
type RefreshResult = Awaited<ReturnType<UserManagement['authenticateWithRefreshToken']>>;
export type RefreshFunction = (options: RefreshOptions) => Promise<RefreshResult>;

/**
 * A refresh answer this app will not seal into a cookie. `status` 502 (WorkOS
 * answered, but not with a usable session) is transient for authkit, so the
 * cookie is kept; a subject mismatch is terminal.
 */
export class RefreshResponseError extends Error {
  readonly status: number | undefined;

  constructor(message: string, status: number | undefined) {
    super(message);
    this.name = 'RefreshResponseError';
    this.status = status;
  }
}

/** The unverified `sub` of a JWT (the proxy verifies the signature before trusting it). */
function subjectOf(accessToken: string): unknown {
  try {
    return decodeJwt(accessToken).sub;
  } catch {
    return undefined;
  }
}

/** Refuses answers without both tokens, or whose token is about someone else than the user returned. */
export function assertUsableRefresh(result: RefreshResult): RefreshResult {
  if (!result || typeof result.accessToken !== 'string' || !result.accessToken || typeof result.refreshToken !== 'string' || !result.refreshToken) {
    throw new RefreshResponseError('refresh response is missing tokens', 502);
  }
  if (!result.user || typeof result.user.id !== 'string' || subjectOf(result.accessToken) !== result.user.id) {
    throw new RefreshResponseError('refresh response user does not match its access token', undefined);
  }
  return result;
}

interface Flight {
  promise: Promise<RefreshResult>;
  settledAt: number | undefined;
}

export function singleFlightRefresh(
  refresh: RefreshFunction,
  { reuseMs = REFRESH_RESULT_REUSE_MS, now = Date.now }: { reuseMs?: number; now?: () => number } = {},
): RefreshFunction {
  const flights = new Map<string, Flight>();

  const prune = (time: number) => {
    for (const [key, flight] of flights) {
      if (flight.settledAt !== undefined && time - flight.settledAt >= reuseMs) flights.delete(key);
    }
    // Still too many (a flood of distinct tokens): forget the oldest.
    while (flights.size >= MAX_TRACKED_REFRESHES) {
      const oldest = flights.keys().next();
      if (oldest.done) break;
      flights.delete(oldest.value);
    }
  };

  return (options) => {
    const key = JSON.stringify([options.clientId, options.refreshToken, options.organizationId ?? null]);
    const time = now();
    const existing = flights.get(key);
    if (existing && (existing.settledAt === undefined || time - existing.settledAt < reuseMs)) return existing.promise;

    prune(time);
    const flight: Flight = { promise: Promise.resolve(undefined as never), settledAt: undefined };
    flight.promise = Promise.resolve()
      .then(() => refresh(options))
      .then(assertUsableRefresh)
      .then(
        (result) => {
          flight.settledAt = now();
          return result;
        },
        (error: unknown) => {
          if (flights.get(key) === flight) flights.delete(key);
          throw error;
        },
      );
    flights.set(key, flight);
    return flight.promise;
  };
}
