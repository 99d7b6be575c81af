/**
 * Demo feature: an organization's admin invites people by email with a role,
 * sees the pending invitations, resends or revokes them (./actions.ts).
 *
 * WorkOS sends the email and refuses what it must (someone already a member or
 * already invited, a role the organization does not have): each refusal is a
 * form error, and nothing is sent. An address that is not one is refused here,
 * before WorkOS is asked. The person accepts through the email's link (AuthKit's
 * sign-up or sign-in), and lands in this organization with that role.
 */
import 'server-only';

import { z } from 'zod';
import {
  describeError,
  getInvitation,
  listInvitations,
  logAuthEvent,
  newReferenceId,
  resendInvitation,
  revokeInvitation,
  sendInvitation,
  WorkOSRefusedError,
  type Invitation,
  type OrganizationRole,
} from '@/lib/auth';
import type { AdminSession, ChangeResult } from './members';

const inviteInput = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ error: 'Enter an email address such as name@example.com.' })),
  role: z.string().min(1, { error: 'Choose a role.' }),
});

export type InviteResult = { ok: true; email: string } | { ok: false; field: 'email' | 'role' | null; error: string };

/** WorkOS' refusals of an invitation, as the form says them. */
function refusalMessage(code: string, email: string): { field: 'email' | 'role'; error: string } | null {
  switch (code) {
    case 'user_already_organization_member':
      return { field: 'email', error: `${email} is already a member of this organization.` };
    case 'email_already_invited_to_organization':
      return { field: 'email', error: `${email} already has a pending invitation: resend it from the list instead.` };
    case 'invalid_request_parameters':
      return { field: 'email', error: 'Enter an email address such as name@example.com.' };
    case 'invalid_role':
      return { field: 'role', error: 'That role does not exist in this organization.' };
    default:
      return null;
  }
}

export async function inviteMember(
  session: AdminSession,
  roles: readonly OrganizationRole[],
  input: { email: unknown; role: unknown },
): Promise<InviteResult> {
  const parsed = inviteInput.safeParse(input);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    return { ok: false, field: issue?.path[0] === 'role' ? 'role' : 'email', error: issue?.message ?? 'Check the form.' };
  }
  const { email, role } = parsed.data;
  if (!roles.some((candidate) => candidate.slug === role))
    return { ok: false, field: 'role', error: 'That role does not exist in this organization.' };
  try {
    const invitation = await sendInvitation({
      email,
      organizationId: session.organizationId,
      roleSlug: role,
      inviterUserId: session.user.id,
    });
    logAuthEvent({
      event: 'organization_admin',
      action: 'invite',
      userId: session.user.id,
      organizationId: session.organizationId,
      target: invitation.id,
      role,
    });
    return { ok: true, email };
  } catch (error) {
    const refusal = error instanceof WorkOSRefusedError ? refusalMessage(error.code, email) : null;
    if (refusal) return { ok: false, ...refusal };
    const reference = newReferenceId();
    logAuthEvent({
      event: 'workos_write_failed',
      write: 'send_invitation',
      userId: session.user.id,
      reason: describeError(error),
      reference,
    });
    return {
      ok: false,
      field: null,
      error: `The invitation could not be sent right now. Try again in a moment. (Reference: ${reference})`,
    };
  }
}

/** The organization's invitations still waiting for an answer, newest first. */
export async function listPendingInvitations(organizationId: string): Promise<Invitation[]> {
  return (await listInvitations(organizationId)).filter((invitation) => invitation.state === 'pending');
}

/** Resends (a new email, same link) or revokes (the link stops working) a pending invitation of this organization. */
export async function updateInvitation(session: AdminSession, invitationId: string, action: 'resend' | 'revoke'): Promise<ChangeResult> {
  const write = action === 'resend' ? 'resend_invitation' : 'revoke_invitation';
  try {
    const invitation = await getInvitation(invitationId).catch((error: unknown) => {
      if ((error as { status?: unknown }).status === 404) return null;
      throw error;
    });
    if (!invitation || invitation.organizationId !== session.organizationId || invitation.state !== 'pending') {
      return { ok: false, refused: 'not_found' };
    }
    await (action === 'resend' ? resendInvitation(invitationId) : revokeInvitation(invitationId));
    logAuthEvent({
      event: 'organization_admin',
      action: write,
      userId: session.user.id,
      organizationId: session.organizationId,
      target: invitationId,
    });
    return { ok: true };
  } catch (error) {
    // Accepted or expired meanwhile: WorkOS refuses, and the list shows what it is now.
    if (error instanceof WorkOSRefusedError) return { ok: false, refused: 'not_found' };
    const reference = newReferenceId();
    logAuthEvent({ event: 'workos_write_failed', write, userId: session.user.id, reason: describeError(error), reference });
    return { ok: false, failed: reference };
  }
}
