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
  | { event: 'sign_in_failed'; code: string; reference: string; reason: string }
  | { event: 'sign_in_hook_failed'; hook: string; userId: string; reason: string }
  | { event: 'session_refresh_failed'; transient: boolean; reason: string }
  | { event: 'session_rejected'; reason: 'user_mismatch' | 'unreadable_cookie' }
  | { event: 'oauth_tokens_stored'; userId: string; provider: string }
  | { event: 'sign_out'; userId: string; sessionId: string }
  | { event: 'sign_out_hook_failed'; hook: string; reason: string };

export function logAuthEvent(entry: AuthEvent): void {
  const warning = entry.event.endsWith('failed') || entry.event === 'session_rejected';
  const line = JSON.stringify({ level: warning ? 'warn' : 'info', at: new Date().toISOString(), scope: 'auth', ...entry });
  if (warning) console.warn(line);
  else console.info(line);
}

/** A short, secret-free description of an error for logs: class name, status and code only. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const parts = [error.name];
  const { status, code, error: oauthError } = error as { status?: unknown; code?: unknown; error?: unknown };
  if (typeof status === 'number') parts.push(`status=${status}`);
  if (typeof code === 'string') parts.push(`code=${code}`);
  if (typeof oauthError === 'string') parts.push(`error=${oauthError}`);
  return parts.join(' ');
}
