/**
 * Demo feature: an organization's admin manages its members (app/dashboard/admin/,
 * the panels in app/components/admin/; server actions in ./actions.ts).
 *
 * - The member list is read one page at a time through WorkOS' own pagination
 *   (cursors in the URL), never all at once; each page's users are read with it.
 * - A role change or a removal (the membership deactivated: it can be
 *   reactivated, and keeps its history) is checked first: the membership must be
 *   an active one of the admin's own organization, the role one it offers.
 * - What the app adds to WorkOS' rules: an admin cannot remove themselves, and the
 *   last member whose role lets them manage members (users:manage) can be neither
 *   demoted nor removed. WorkOS enforces neither: it only refuses an unknown role
 *   or a membership that is not there (docs/architecture.md, "Members and roles").
 *   Two admins demoting each other at the same moment can still both succeed.
 * - The member's session learns it at its next refresh (docs: how long an old
 *   access token stays valid); the organization switcher forgets at once.
 */
import 'server-only';

import {
  deactivateMembership,
  describeError,
  getOrganizationMembership,
  getUser,
  listOrganizationMemberships,
  listOrganizationRoles,
  logAuthEvent,
  newReferenceId,
  setMembershipRole,
  type AppSession,
  type OrganizationMembership,
  type OrganizationRole,
} from '@/lib/auth';
import { PERMISSIONS } from '@/lib/permissions';
import { forgetOrganizationsOf } from '../organizations/organizations';

export const MEMBERS_PAGE_SIZE = 10;

/** A session in an organization, allowed to manage it (the server actions check both). */
export type AdminSession = AppSession & { organizationId: string };

interface Member {
  membershipId: string;
  userId: string;
  email: string;
  name: string | null;
  role: string;
  joinedAt: Date;
}

export interface MembersPage {
  members: Member[];
  /** Cursors of the newer and older pages, null at either end. */
  newer: string | null;
  older: string | null;
}

/** One page of the organization's active members, newest first: `before`/`after` are WorkOS' cursors. */
export async function listMembers(organizationId: string, cursor: { before?: string; after?: string }): Promise<MembersPage> {
  const page = await listOrganizationMemberships(organizationId, { ...cursor, limit: MEMBERS_PAGE_SIZE });
  const users = await Promise.all(page.memberships.map((membership) => getUser(membership.userId)));
  return {
    members: page.memberships.map((membership, index) => {
      const user = users[index];
      const name = [user?.firstName, user?.lastName].filter(Boolean).join(' ');
      return {
        membershipId: membership.id,
        userId: membership.userId,
        email: user?.email ?? membership.userId,
        name: name || null,
        role: membership.role,
        joinedAt: membership.createdAt,
      };
    }),
    newer: page.before,
    older: page.after,
  };
}

type ChangeRefusal = 'not_found' | 'unknown_role' | 'self' | 'last_admin';
export type ChangeResult = { ok: true } | { ok: false; refused: ChangeRefusal } | { ok: false; failed: string };

/** The roles that let a member manage members: the ones whose removal could leave the organization without an admin. */
const adminRoles = (roles: readonly OrganizationRole[]) =>
  new Set(roles.filter((role) => role.permissions.includes(PERMISSIONS.manageUsers)).map((role) => role.slug));

/** Whether an active member other than `exceptMembershipId` holds one of `roles` (stops at the first found). */
async function anotherActiveAdmin(organizationId: string, exceptMembershipId: string, roles: ReadonlySet<string>): Promise<boolean> {
  let after: string | undefined;
  do {
    const page = await listOrganizationMemberships(organizationId, { after, limit: 100 });
    if (page.memberships.some((membership) => membership.id !== exceptMembershipId && roles.has(membership.role))) return true;
    after = page.after ?? undefined;
  } while (after);
  return false;
}

/** The membership, if it is an active one of this admin's organization. */
async function membershipOfOrganization(session: AdminSession, membershipId: string): Promise<OrganizationMembership | null> {
  try {
    const membership = await getOrganizationMembership(membershipId);
    return membership.organizationId === session.organizationId && membership.status === 'active' ? membership : null;
  } catch (error) {
    if ((error as { status?: unknown }).status === 404) return null;
    throw error;
  }
}

async function change(
  session: AdminSession,
  write: 'update_organization_membership' | 'deactivate_organization_membership',
  membershipId: string,
  run: () => Promise<ChangeRefusal | { done: OrganizationMembership; role?: string }>,
): Promise<ChangeResult> {
  try {
    const outcome = await run();
    if (typeof outcome === 'string') return { ok: false, refused: outcome };
    forgetOrganizationsOf(outcome.done.userId);
    logAuthEvent({
      event: 'organization_admin',
      action: write === 'update_organization_membership' ? 'change_role' : 'remove_member',
      userId: session.user.id,
      organizationId: session.organizationId,
      target: membershipId,
      ...(outcome.role && { role: outcome.role }),
    });
    return { ok: true };
  } catch (error) {
    const reference = newReferenceId();
    logAuthEvent({ event: 'workos_write_failed', write, userId: session.user.id, reason: describeError(error), reference });
    return { ok: false, failed: reference };
  }
}

export function changeMemberRole(session: AdminSession, membershipId: string, roleSlug: string): Promise<ChangeResult> {
  return change(session, 'update_organization_membership', membershipId, async () => {
    const [membership, roles] = await Promise.all([
      membershipOfOrganization(session, membershipId),
      listOrganizationRoles(session.organizationId),
    ]);
    if (!membership) return 'not_found';
    if (!roles.some((role) => role.slug === roleSlug)) return 'unknown_role';
    const admins = adminRoles(roles);
    if (admins.has(membership.role) && !admins.has(roleSlug) && !(await anotherActiveAdmin(session.organizationId, membershipId, admins))) {
      return 'last_admin';
    }
    if (membership.role !== roleSlug) await setMembershipRole(membershipId, roleSlug);
    return { done: membership, role: roleSlug };
  });
}

export function removeMember(session: AdminSession, membershipId: string): Promise<ChangeResult> {
  return change(session, 'deactivate_organization_membership', membershipId, async () => {
    const membership = await membershipOfOrganization(session, membershipId);
    if (!membership) return 'not_found';
    if (membership.userId === session.user.id) return 'self';
    const admins = adminRoles(await listOrganizationRoles(session.organizationId));
    if (admins.has(membership.role) && !(await anotherActiveAdmin(session.organizationId, membershipId, admins))) return 'last_admin';
    await deactivateMembership(membershipId);
    return { done: membership };
  });
}
