/**
 * Sign-out: ends the WorkOS session (its logout endpoint) and clears the
 * session cookie. Called from a server action (app/actions.ts): server actions
 * are POST-only and Next rejects them when Origin does not match Host, so a
 * cross-site page cannot sign anyone out.
 */
import { signOut } from './authkit';
import { getAuthConfig } from './config';
import { describeError, logAuthEvent } from './log';
import { getSession, type AppSession } from './session';

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
  // Absolute and on our own origin: the only place WorkOS sends people back to.
  await signOut({ returnTo: new URL('/', getAuthConfig().redirectUri).toString() });
}
