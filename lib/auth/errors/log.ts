/**
 * The auth flow's logger: one structured JSON line per auth event on stdout
 * (warnings on stderr), for log search and alerting.
 * Never pass tokens, codes, cookies or query strings in here: ids and codes only.
 */
export type AuthEvent =
  | {
      event: 'sign_in';
      userId: string;
      method: string | undefined;
      organizationId: string | undefined;
      impersonatedBy: string | undefined;
    }
  /** `providerError`: the identity provider's own `error` code, when it sent the person back with one. */
  | { event: 'sign_in_failed'; code: string; reference: string; reason: string; providerError?: string }
  | { event: 'sign_in_hook_failed'; hook: string; userId: string; reason: string }
  /** `transient`: the session was kept for a later try. `reference`: a server action's, shown on the page it returns to. */
  | { event: 'session_refresh_failed'; transient: boolean; reason: string; reference?: string }
  | { event: 'session_rejected'; reason: 'user_mismatch' | 'unreadable_cookie' | 'tampered_cookie' | 'revoked' }
  | { event: 'server_action_refused'; reason: 'outside_proxied_pages' | 'no_origin' | 'cross_site' | 'cross_origin' }
  | { event: 'session_too_large'; userId: string | undefined; bytes: number; reference: string; during: 'sign_in' | 'refresh' }
  | { event: 'oauth_tokens_stored'; userId: string; provider: string }
  | { event: 'provider_tokens_read_failed'; userId: string; reason: string }
  | { event: 'sign_out'; userId: string; sessionId: string }
  | { event: 'sign_out_hook_failed'; hook: string; reason: string }
  /** A read the page can do without (memberships, sessions, …) failed; only its panel shows it. `fields`: where an answer had the wrong shape. */
  | { event: 'workos_read_failed'; read: string; userId: string; reason: string; fields?: string[] }
  /** A change a feature asked WorkOS for failed (the person saw `reference`); `organizationId`: what it had done before. */
  | { event: 'workos_write_failed'; write: string; userId: string; reason: string; reference: string; organizationId?: string }
  // Development only: sign-in found nothing answering at the WorkOS API host (authorization/workos-reachable.ts).
  | { event: 'workos_unreachable'; origin: string }
  | { event: 'other_sessions_revoked'; userId: string; sessionId: string; revoked: number; failed: number }
  // An organization API key could not be checked (WorkOS failed or was too slow): the route answered 503. Never the key.
  | { event: 'api_key_check_failed'; reason: string }
  | { event: 'api_key_created'; userId: string; organizationId: string; apiKeyId: string }
  | { event: 'api_key_revoked'; userId: string; organizationId: string; apiKeyId: string }
  // demo:start members
  // Organization administration (lib/features/members/): who changed what, ids only.
  | {
      event: 'organization_admin';
      action: 'invite' | 'resend_invitation' | 'revoke_invitation' | 'change_role' | 'remove_member';
      userId: string;
      organizationId: string;
      target: string;
      role?: string;
    }
  // demo:end members
  // demo:start webhooks
  // WorkOS webhooks (lib/features/webhooks/): each delivery processed, recognised as a duplicate, or refused and why.
  | { event: 'webhook_received'; eventId: string; type: string; outcome: 'processed' | 'duplicate' }
  | { event: 'webhook_refused'; reason: string; eventId?: string; type?: string }
  // demo:end webhooks
  // Redis (REDIS_URL) could not be used; until it recovers, state is per process (lib/auth/config/redis.ts).
  | { event: 'shared_store_unavailable'; reason: string }
  | { event: 'shared_store_recovered' }
  // Redis refused one command on its own merits (a key of the wrong type): no outage, that key is the problem.
  | { event: 'shared_store_command_failed'; reason: string }
  // Redis was up, but this instance refreshed without the shared single-flight (lib/auth/authkit/refresh-single-flight.ts).
  | { event: 'shared_refresh_fallback'; reason: 'wait_timeout' | 'unreadable_result' };

const WARNINGS: ReadonlySet<AuthEvent['event']> = new Set([
  'session_rejected',
  'server_action_refused',
  'session_too_large',
  'shared_store_unavailable',
  'shared_store_command_failed',
  'shared_refresh_fallback',
  'workos_unreachable',
  'webhook_refused', // demo:line webhooks
]);

export function logAuthEvent(entry: AuthEvent): void {
  const warning = entry.event.endsWith('failed') || WARNINGS.has(entry.event);
  const line = JSON.stringify({ level: warning ? 'warn' : 'info', at: new Date().toISOString(), scope: 'auth', ...entry });
  if (warning) console.warn(line);
  else console.info(line);
}

/**
 * A short, secret-free description of an error for logs: class name, status and
 * code only, then the same for its `cause` (what a wrapper such as authkit's
 * TokenRefreshError, or the SDK's network error, says happened underneath).
 */
export function describeError(error: unknown, depth = 0): string {
  if (!(error instanceof Error)) return typeof error;
  // Some libraries (node-redis) leave `name` at "Error" on their own error classes.
  const parts = [error.name === 'Error' && error.constructor.name ? error.constructor.name : error.name];
  const { status, code, error: oauthError } = error as { status?: unknown; code?: unknown; error?: unknown };
  if (typeof status === 'number') parts.push(`status=${status}`);
  if (typeof code === 'string') parts.push(`code=${code}`);
  if (typeof oauthError === 'string') parts.push(`error=${oauthError}`);
  if (error.cause !== undefined && depth < 3) parts.push(`< ${describeError(error.cause, depth + 1)}`);
  return parts.join(' ');
}

/**
 * Runs the app's hooks in order (sign-in, sign-out). A failing hook is logged
 * and the rest still run: a feature's store being down never costs the person
 * their sign-in or sign-out.
 */
export async function runHooks<Arg>(
  hooks: ReadonlyArray<(arg: Arg) => Promise<void>>,
  arg: Arg,
  failed: (hook: string, reason: string) => AuthEvent,
): Promise<void> {
  for (const hook of hooks) {
    try {
      await hook(arg);
    } catch (error) {
      logAuthEvent(failed(hook.name || 'anonymous', describeError(error)));
    }
  }
}
