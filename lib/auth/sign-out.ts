/**
 * Sign-out: ends the WorkOS session (its logout endpoint), adds it to the
 * revocation list (a copy of the cookie is refused at once, on every instance)
 * and clears the session cookie. Called from a server action (app/actions.ts): server actions
 * are POST-only and Next rejects them when Origin does not match Host, so a
 * cross-site page cannot sign anyone out.
 */
import { headers } from 'next/headers';
import { signOut } from './authkit';
import { getAuthConfig } from './config/env';
import { requestOrigin } from './config/origin';
import { logAuthEvent, runHooks } from './errors/log';
import { getSession } from './session/read';
import { addRevokedSession, revokedUntil } from './session/revoked-sessions';
import type { AppSession } from './session/types';

/** Forgets what a feature kept for this browser or user (lib/features/*). `session` is null when already signed out. */
export type SignOutHook = (session: AppSession | null) => Promise<void>;

export async function signOutAndReturnHome(hooks: readonly SignOutHook[] = []): Promise<void> {
  const session = await getSession();
  if (session) logAuthEvent({ event: 'sign_out', userId: session.user.id, sessionId: session.sessionId });
  if (session) await addRevokedSession(session.sessionId, revokedUntil(session));
  await runHooks(hooks, session, (hook, reason) => ({ event: 'sign_out_hook_failed', hook, reason }));
  // authkit deletes the session cookie; its wrapper (authkit/index.ts) expires every chunk with it.
  // Absolute, on the allowed origin the person is on (config/origin.ts): the only place WorkOS sends people back to.
  await signOut({ returnTo: `${requestOrigin(await headers(), getAuthConfig())}/` });
}
