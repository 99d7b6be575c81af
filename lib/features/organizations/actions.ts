'use server';

/** Server action behind the dashboard's organization switcher. */
import { redirect } from 'next/navigation';
import { requireSession, switchOrganization } from '@/lib/auth';
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
  // WorkOS failing: `?switch=failed` with a reference, or sign-in if the session has ended (lib/auth/session/read.ts).
  await switchOrganization(organizationId, '/dashboard', 'switch');
}
