'use server';

/**
 * Server actions behind the dashboard's buttons. Server actions are POST-only
 * and Next rejects them when Origin does not match Host, so a cross-site page
 * cannot trigger them (sign-out included).
 */
import { refreshSession, signOut, switchToOrganization } from '@workos-inc/authkit-nextjs';
import { revalidatePath } from 'next/cache';
import { redirect, unstable_rethrow } from 'next/navigation';
import { logAuthEvent } from './audit-log';
import { getAuthConfig } from './config';
import { listOrganizationsForUser } from './organizations';
import { getSession, signInPath } from './session';
import { workos } from './workos';

/** Ends the WorkOS session (logout endpoint) and clears the session cookie. */
export async function signOutAction(): Promise<void> {
  workos();
  const session = await getSession();
  if (session) logAuthEvent({ event: 'sign_out', userId: session.user.id, sessionId: session.sessionId });
  // Absolute and on our own origin: the only place WorkOS sends people back to.
  await signOut({ returnTo: new URL('/', getAuthConfig().redirectUri).toString() });
}

/** Trades the refresh token for a new access token now, instead of at expiry. */
export async function refreshSessionAction(): Promise<void> {
  workos();
  const session = await getSession();
  if (!session) redirect(signInPath('/dashboard'));
  await refreshSession({ ensureSignedIn: true });
  revalidatePath('/dashboard');
  redirect('/dashboard');
}

/** Switches the session to another organization the user is a member of. */
export async function switchOrganizationAction(formData: FormData): Promise<void> {
  workos();
  const session = await getSession();
  if (!session) redirect(signInPath('/dashboard'));

  const organizationId = formData.get('organizationId');
  const memberships = await listOrganizationsForUser(session.user.id);
  // Only organizations the user belongs to; WorkOS would refuse others anyway.
  if (typeof organizationId !== 'string' || !memberships.some((organization) => organization.id === organizationId)) {
    redirect('/dashboard?switch=refused');
  }
  try {
    await switchToOrganization(organizationId, { returnTo: '/dashboard' });
  } catch (error) {
    unstable_rethrow(error); // switchToOrganization finishes with a redirect; let Next handle it
    redirect('/dashboard?switch=failed');
  }
}
