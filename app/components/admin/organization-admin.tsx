/**
 * The admin page's organization panels (demo feature lib/features/members/):
 * invite, pending invitations, members with their roles. Each WorkOS read
 * fails alone: its panel says so (lib/features/workos-reads.ts).
 */
import Link from 'next/link';
import { listOrganizationRoles, parseReferenceId, type AppSession, type OrganizationRole } from '@/lib/auth';
import { changeMemberRoleAction, removeMemberAction, resendInvitationAction, revokeInvitationAction } from '@/lib/features/members/actions';
import { listPendingInvitations } from '@/lib/features/members/invitations';
import { listMembers } from '@/lib/features/members/members';
import { MEMBERS_NOTICES, readMembersNotice } from '@/lib/features/members/notices';
import { readForPanel } from '@/lib/features/workos-reads';
import { Timestamp } from '@/app/components/dashboard/timestamp';
import { Card, Unavailable } from '@/app/components/dashboard/ui';
import { InviteForm } from './invite-form';

type Query = Record<string, string | string[] | undefined>;

const single = (value: string | string[] | undefined) => (typeof value === 'string' && value ? value : undefined);

const button = 'rounded-md border border-gray-300 px-2 py-1 text-sm font-medium hover:bg-gray-100';

export async function OrganizationAdmin({ session, organizationId, query }: { session: AppSession; organizationId: string; query: Query }) {
  const read = <T,>(name: string, load: () => Promise<T>) => readForPanel(name, session.user.id, load);
  const cursor = { before: single(query.members_before), after: single(query.members_after) };
  const [roles, members, invitations] = await Promise.all([
    read('list_organization_roles', () => listOrganizationRoles(organizationId)),
    read('list_organization_memberships', () => listMembers(organizationId, cursor)),
    read('list_invitations', () => listPendingInvitations(organizationId)),
  ]);
  const roleName = (slug: string | null) => (roles.ok ? roles.value.find((role) => role.slug === slug)?.name : undefined) ?? slug ?? '—';
  const notice = readMembersNotice(query.members);
  const reference = notice === 'failed' ? parseReferenceId(query.ref) : undefined;

  return (
    <>
      {notice ? (
        <p
          role={MEMBERS_NOTICES[notice].tone === 'error' ? 'alert' : 'status'}
          className={`rounded-md border px-4 py-3 text-sm ${MEMBERS_NOTICES[notice].tone === 'error' ? 'border-red-200 bg-red-50 text-red-900' : 'border-green-200 bg-green-50 text-green-900'}`}
        >
          {MEMBERS_NOTICES[notice].text}
          {reference ? ` (Reference: ${reference})` : null}
        </p>
      ) : null}

      <Card title="Invite a member">
        {roles.ok ? <InviteForm roles={roles.value.map(({ slug, name }) => ({ slug, name }))} /> : <Unavailable what="the roles" />}
      </Card>

      <Card title="Pending invitations">
        {!invitations.ok ? (
          <Unavailable what="the invitations" />
        ) : invitations.value.length === 0 ? (
          <p className="text-sm text-ink-muted">No pending invitations.</p>
        ) : (
          <ul aria-label="Pending invitations" className="divide-y divide-gray-100">
            {invitations.value.map((invitation) => (
              <li key={invitation.id} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
                <span>
                  <strong>{invitation.email}</strong> as {roleName(invitation.roleSlug)}, expires <Timestamp value={invitation.expiresAt} />
                </span>
                <span className="flex gap-2">
                  <form action={resendInvitationAction}>
                    <input type="hidden" name="invitationId" value={invitation.id} />
                    <button type="submit" className={button} aria-label={`Resend the invitation to ${invitation.email}`}>
                      Resend
                    </button>
                  </form>
                  <form action={revokeInvitationAction}>
                    <input type="hidden" name="invitationId" value={invitation.id} />
                    <button type="submit" className={button} aria-label={`Revoke the invitation to ${invitation.email}`}>
                      Revoke
                    </button>
                  </form>
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>

      <section id="members">
        <Card title="Members">
          {!members.ok || !roles.ok ? (
            <Unavailable what="the members" />
          ) : (
            <MemberList page={members.value} roles={roles.value} you={session.user.id} />
          )}
        </Card>
      </section>
    </>
  );
}

function MemberList({ page, roles, you }: { page: Awaited<ReturnType<typeof listMembers>>; roles: OrganizationRole[]; you: string }) {
  return (
    <>
      <ul aria-label="Members" className="divide-y divide-gray-100">
        {page.members.map((member) => (
          <li key={member.membershipId} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
            <span>
              <strong>{member.email}</strong>
              {member.name ? ` (${member.name})` : null}
              {member.userId === you ? ' — you' : null}
            </span>
            <span className="flex flex-wrap items-center gap-2">
              <form action={changeMemberRoleAction} className="flex items-center gap-2">
                <input type="hidden" name="membershipId" value={member.membershipId} />
                <label className="sr-only" htmlFor={`role-${member.membershipId}`}>
                  Role of {member.email}
                </label>
                <select
                  id={`role-${member.membershipId}`}
                  name="role"
                  defaultValue={member.role}
                  className="rounded-md border border-gray-300 px-2 py-1"
                >
                  {roles.map((role) => (
                    <option key={role.slug} value={role.slug}>
                      {role.name}
                    </option>
                  ))}
                </select>
                <button type="submit" className={button} aria-label={`Change role of ${member.email}`}>
                  Change role
                </button>
              </form>
              {member.userId === you ? null : (
                <form action={removeMemberAction}>
                  <input type="hidden" name="membershipId" value={member.membershipId} />
                  <button type="submit" className={button} aria-label={`Remove ${member.email}`}>
                    Remove
                  </button>
                </form>
              )}
            </span>
          </li>
        ))}
      </ul>
      <nav aria-label="Member pages" className="mt-3 flex gap-4 text-sm">
        {page.newer ? (
          <Link
            href={`/dashboard/admin?members_before=${encodeURIComponent(page.newer)}#members`}
            className="font-medium text-brand-700 underline"
          >
            Newer members
          </Link>
        ) : null}
        {page.older ? (
          <Link
            href={`/dashboard/admin?members_after=${encodeURIComponent(page.older)}#members`}
            className="font-medium text-brand-700 underline"
          >
            Older members
          </Link>
        ) : null}
      </nav>
    </>
  );
}
