'use server';

/** Server action behind the dashboard's organization switcher. */
import { redirect, unstable_rethrow } from 'next/navigation';
import { requireSession, switchToOrganization } from '@/lib/auth';
import { listOrganizationsForUser, type OrganizationChoice } from './organizations';

/** Switches the session to another organization the user is a member of. */
export async function switchOrganizationAction(formData: FormData): Promise<void> {
  const session = await requireSession();
  const organizationId = formData.get('organizationId');
  let memberships: OrganizationChoice[];
  try {
    memberships = await listOrganizationsForUser(session.user.id);
  } catch {
    // Cannot tell whether the user belongs there: refuse for now, they can try again.
    redirect('/dashboard?switch=failed');
  }
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
