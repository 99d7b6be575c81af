/**
 * Sign-out: ends the WorkOS session (its logout endpoint) and clears the
 * session cookie. Called from a server action (app/actions.ts): server actions
 * are POST-only and Next rejects them when Origin does not match Host, so a
 * cross-site page cannot sign anyone out.
 */
import { headers } from 'next/headers';
import { signOut } from './authkit/client';
import { getAuthConfig } from './config/env';
import { requestOrigin } from './config/origin';
import { describeError, logAuthEvent } from './errors/log';
import { getSession, type AppSession } from './session/read';
import { expireSessionChunks } from './authkit/session-chunks-store';

/** Forgets what a feature kept for this browser or user (lib/features/*). `session` is null when already signed out. */
export type SignOutHook = (session: AppSession | null) => Promise<void>;

export async function signOutAndReturnHome(hooks: readonly SignOutHook[] = []): Promise<void> {
  const session = await getSession();
  if (session) logAuthEvent({ event: 'sign_out', userId: session.user.id, sessionId: session.sessionId });
  for (const hook of hooks) {
    // Sign-out must always happen, even when a feature's store is down.
    try {
      await hook(session);
    } catch (error) {
      logAuthEvent({ event: 'sign_out_hook_failed', hook: hook.name || 'anonymous', reason: describeError(error) });
    }
  }
  // authkit deletes the session cookie; a session stored in chunks has more of them.
  await expireSessionChunks();
  // Absolute, on the allowed origin the person is on (lib/auth/origin.ts): the only place WorkOS sends people back to.
  await signOut({ returnTo: `${requestOrigin(await headers(), getAuthConfig())}/` });
}
