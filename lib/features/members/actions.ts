'use server';

/**
 * Server actions behind the admin page's member and invitation panels. Each one
 * checks the permission and the organization again (a form can be posted by
 * anyone who once saw it), then goes back to the admin page with what happened.
 */
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { listOrganizationRoles, requirePermission } from '@/lib/auth';
import { PERMISSIONS } from '@/lib/permissions';
import { inviteMember, updateInvitation } from './invitations';
import { changeMemberRole, removeMember, type AdminSession, type ChangeResult } from './members';
import { MEMBERS_NOTICE_PARAM, type MembersNotice } from './notices';

const ADMIN_PAGE = '/dashboard/admin';

async function requireAdmin(): Promise<AdminSession> {
  const session = await requirePermission(PERMISSIONS.manageUsers);
  if (!session.organizationId) redirect(ADMIN_PAGE);
  return { ...session, organizationId: session.organizationId };
}

const text = (formData: FormData, name: string) => {
  const value = formData.get(name);
  return typeof value === 'string' ? value : '';
};

function backWith(result: ChangeResult, done: MembersNotice): never {
  const notice = result.ok ? done : 'refused' in result ? result.refused : 'failed';
  const query = new URLSearchParams({ [MEMBERS_NOTICE_PARAM]: notice });
  if (!result.ok && 'failed' in result) query.set('ref', result.failed);
  revalidatePath(ADMIN_PAGE);
  redirect(`${ADMIN_PAGE}?${query}#members`);
}

export interface InviteFormState {
  email: string;
  role: string;
  /** Under the field it is about (`field`), or above the form. */
  error?: string;
  field?: 'email' | 'role' | null;
  /** The address just invited. */
  sent?: string;
}

export async function inviteMemberAction(_previous: InviteFormState, formData: FormData): Promise<InviteFormState> {
  const session = await requireAdmin();
  const input = { email: text(formData, 'email'), role: text(formData, 'role') };
  const roles = await listOrganizationRoles(session.organizationId).catch(() => null);
  if (!roles) return { ...input, field: null, error: 'The invitation could not be sent right now. Try again in a moment.' };
  const result = await inviteMember(session, roles, input);
  if (!result.ok) return { ...input, error: result.error, field: result.field };
  revalidatePath(ADMIN_PAGE);
  return { email: '', role: input.role, sent: result.email };
}

export async function changeMemberRoleAction(formData: FormData): Promise<void> {
  const session = await requireAdmin();
  backWith(await changeMemberRole(session, text(formData, 'membershipId'), text(formData, 'role')), 'role_changed');
}

export async function removeMemberAction(formData: FormData): Promise<void> {
  const session = await requireAdmin();
  backWith(await removeMember(session, text(formData, 'membershipId')), 'removed');
}

export async function resendInvitationAction(formData: FormData): Promise<void> {
  const session = await requireAdmin();
  backWith(await updateInvitation(session, text(formData, 'invitationId'), 'resend'), 'invitation_resent');
}

export async function revokeInvitationAction(formData: FormData): Promise<void> {
  const session = await requireAdmin();
  backWith(await updateInvitation(session, text(formData, 'invitationId'), 'revoke'), 'invitation_revoked');
}
