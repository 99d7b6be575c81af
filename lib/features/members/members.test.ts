/**
 * Members, roles and invitations with the real SDK against the mock WorkOS:
 * pages through WorkOS' cursors, the checks before each change (own
 * organization, known role, not yourself, never the last admin), and
 * invitations refused with a form error and nothing sent. Then the WorkOS verbs
 * under them: an oddly-shaped answer named by its call, and which failures are a
 * refusal (WorkOSRefusedError, a 4xx with a code) and which are passed on as they came.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SEED_ORGANIZATION_IDS, SEED_USER_IDS } from '@/e2e/mock-workos/seed';
import type { MockEndpoint } from '@/e2e/mock-workos/store';
import { rejection, useRunningMock } from '@/e2e/mock-workos/test-helpers';
import {
  deactivateMembership,
  getInvitation,
  getOrganizationMembership,
  getUser,
  listInvitations,
  listOrganizationMemberships,
  listOrganizationRoles,
  resendInvitation,
  revokeInvitation,
  sendInvitation,
  setMembershipRole,
  WorkOSRefusedError,
  type AppSession,
} from '@/lib/auth';
import { listOrganizationsForUser } from '../organizations/organizations';
import { inviteMember, listPendingInvitations, updateInvitation } from './invitations';
import { changeMemberRole, listMembers, MEMBERS_PAGE_SIZE, removeMember, type AdminSession } from './members';

const running = useRunningMock();

vi.mock('@/lib/auth/authkit/client', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  workos: () => running.workos,
}));

let warnings: Record<string, unknown>[];
beforeEach(() => {
  warnings = [];
  vi.spyOn(console, 'warn').mockImplementation((line: string) => warnings.push(JSON.parse(line) as Record<string, unknown>));
  vi.spyOn(console, 'info').mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());

/** An admin's session in `organizationId`, as requirePermission hands it to the actions. */
function adminSession(userId: string, organizationId: string): AdminSession {
  return {
    user: { id: userId, email: `${userId}@example.com`, emailVerified: true, firstName: null, lastName: null, profilePictureUrl: null },
    sessionId: 'session_test',
    organizationId,
    role: 'admin',
    roles: ['admin'],
    permissions: ['users:manage'],
    entitlements: [],
    featureFlags: [],
    impersonator: undefined,
    authenticationMethod: 'Password',
    accessTokenExpiresAt: undefined,
    accessTokenIssuedAt: undefined,
    authenticatedAt: undefined,
  } satisfies AppSession;
}

/** A fresh organization with one admin, and its admin's session. */
async function organizationWithAdmin() {
  const organization = await running.control.createOrganization({ name: 'Hooli' });
  const { user, memberships } = await running.control.createUser({
    email: 'gavin@hooli.example.com',
    memberships: [{ organizationId: organization.id, role: 'admin' }],
  });
  return { organizationId: organization.id, admin: adminSession(user.id, organization.id), adminMembershipId: memberships[0]?.id ?? '' };
}

async function addMember(organizationId: string, email: string, role = 'member') {
  const { user, memberships } = await running.control.createUser({
    email,
    firstName: 'Pat',
    lastName: 'Doe',
    memberships: [{ organizationId, role }],
  });
  return { userId: user.id, membershipId: memberships[0]?.id ?? '' };
}

const roleOf = async (membershipId: string) => {
  const membership = await running.workos.userManagement.getOrganizationMembership(membershipId);
  return { role: membership.role?.slug, status: membership.status };
};

describe('listMembers', () => {
  it('reads one page at a time through WorkOS’ cursors, newest first, with each member’s email and name', async () => {
    const { organizationId } = await organizationWithAdmin();
    for (let index = 1; index <= 11; index += 1) await addMember(organizationId, `m${String(index).padStart(2, '0')}@hooli.example.com`);
    await running.control.clearRequests();
    const lists = vi.spyOn(running.workos.userManagement, 'listOrganizationMemberships');

    const first = await listMembers(organizationId, {});
    expect(first.members).toHaveLength(MEMBERS_PAGE_SIZE);
    expect(first.members[0]).toEqual({
      membershipId: expect.stringMatching(/^om_/),
      userId: expect.stringMatching(/^user_/),
      email: 'm11@hooli.example.com',
      name: 'Pat Doe',
      role: 'member',
      joinedAt: expect.any(Date),
    });
    expect(first.newer).toBeNull();
    const second = await listMembers(organizationId, { after: first.older ?? '' });
    expect(second.members.map((member) => member.email)).toEqual(['m01@hooli.example.com', 'gavin@hooli.example.com']);
    expect(second.older).toBeNull();
    const back = await listMembers(organizationId, { before: second.newer ?? '' });
    expect(back.members.map((member) => member.email)).toEqual(first.members.map((member) => member.email));

    // One list call of 10 active memberships per page (never everything), then the page's users.
    const page = { organizationId, statuses: ['active'], order: 'desc', limit: MEMBERS_PAGE_SIZE };
    expect(lists.mock.calls).toEqual([[page], [{ ...page, after: first.older }], [{ ...page, before: second.newer }]]);
    expect(await running.control.requests({ endpoint: 'list_organization_memberships' })).toHaveLength(3);
    expect(await running.control.requests({ endpoint: 'get_user' })).toHaveLength(10 + 2 + 10);
  });
});

describe('changeMemberRole', () => {
  it('changes a member’s role; the organization switcher forgets their memberships', async () => {
    const { organizationId, admin } = await organizationWithAdmin();
    const { userId, membershipId } = await addMember(organizationId, 'jared@hooli.example.com');
    expect((await listOrganizationsForUser(userId))[0]?.role).toBe('member');
    expect(await changeMemberRole(admin, membershipId, 'admin')).toEqual({ ok: true });
    expect(await roleOf(membershipId)).toEqual({ role: 'admin', status: 'active' });
    expect((await listOrganizationsForUser(userId))[0]?.role).toBe('admin');
  });

  it('refuses a membership of another organization, an unknown role, and demoting the last admin (with another admin it goes)', async () => {
    const { organizationId, admin, adminMembershipId } = await organizationWithAdmin();
    const acmeMember =
      (await running.workos.userManagement.listOrganizationMemberships({ userId: SEED_USER_IDS.member })).data[0]?.id ?? '';
    expect(await changeMemberRole(admin, acmeMember, 'admin')).toEqual({ ok: false, refused: 'not_found' });
    expect(await changeMemberRole(admin, 'om_01NOPE', 'admin')).toEqual({ ok: false, refused: 'not_found' });
    const { membershipId } = await addMember(organizationId, 'jared@hooli.example.com');
    expect(await changeMemberRole(admin, membershipId, 'owner')).toEqual({ ok: false, refused: 'unknown_role' });
    expect(await changeMemberRole(admin, adminMembershipId, 'member')).toEqual({ ok: false, refused: 'last_admin' });
    expect(await roleOf(adminMembershipId)).toEqual({ role: 'admin', status: 'active' });
    expect(await roleOf(acmeMember)).toEqual({ role: 'member', status: 'active' });

    await changeMemberRole(admin, membershipId, 'admin');
    expect(await changeMemberRole(admin, adminMembershipId, 'member')).toEqual({ ok: true });
    expect(await roleOf(adminMembershipId)).toEqual({ role: 'member', status: 'active' });
  });

  it('WorkOS failing: a reference, logged, nothing changed', async () => {
    const { organizationId, admin } = await organizationWithAdmin();
    const { membershipId } = await addMember(organizationId, 'jared@hooli.example.com');
    await running.control.injectFault({ endpoint: 'update_organization_membership', action: { type: 'status', status: 503 } });
    const result = await changeMemberRole(admin, membershipId, 'admin');
    expect(result).toEqual({ ok: false, failed: expect.stringMatching(/^[a-z0-9]{10}$/) });
    expect(warnings).toEqual([
      expect.objectContaining({
        event: 'workos_write_failed',
        write: 'update_organization_membership',
        reference: 'failed' in result ? result.failed : '',
      }),
    ]);
    expect(await roleOf(membershipId)).toEqual({ role: 'member', status: 'active' });
  });
});

describe('removeMember', () => {
  it('deactivates the membership: gone from the list, kept inactive at WorkOS', async () => {
    const { organizationId, admin } = await organizationWithAdmin();
    const { membershipId } = await addMember(organizationId, 'jared@hooli.example.com');
    expect(await removeMember(admin, membershipId)).toEqual({ ok: true });
    expect(await roleOf(membershipId)).toEqual({ role: 'member', status: 'inactive' });
    expect((await listMembers(organizationId, {})).members.map((member) => member.email)).toEqual(['gavin@hooli.example.com']);
    expect(await removeMember(admin, membershipId)).toEqual({ ok: false, refused: 'not_found' });
  });

  it('refuses removing yourself, and the last admin (by someone whose admin rights come from elsewhere)', async () => {
    const { organizationId, admin, adminMembershipId } = await organizationWithAdmin();
    expect(await removeMember(admin, adminMembershipId)).toEqual({ ok: false, refused: 'self' });
    const outsider = adminSession(SEED_USER_IDS.admin, organizationId);
    expect(await removeMember(outsider, adminMembershipId)).toEqual({ ok: false, refused: 'last_admin' });
    expect(await roleOf(adminMembershipId)).toEqual({ role: 'admin', status: 'active' });
  });
});

describe('inviteMember', () => {
  const roles = [
    { slug: 'admin', name: 'Admin', permissions: ['users:manage'] },
    { slug: 'member', name: 'Member', permissions: [] },
  ];
  const sent = async () => (await running.control.outbox({ kind: 'invitation' })).map((mail) => mail.to);
  const asked = async () => (await running.control.requests({ endpoint: 'send_invitation' })).length;

  it('sends the invitation with the role: one email with its accept link', async () => {
    const { organizationId, admin } = await organizationWithAdmin();
    expect(await inviteMember(admin, roles, { email: '  Richard@Hooli.example.com ', role: 'admin' })).toEqual({
      ok: true,
      email: 'richard@hooli.example.com',
    });
    const [mail] = await running.control.outbox({ to: 'richard@hooli.example.com', kind: 'invitation' });
    expect(mail?.link).toMatch(/\/authkit\/invite\?invitation_token=/);
    expect(await listPendingInvitations(organizationId)).toEqual([
      expect.objectContaining({ email: 'richard@hooli.example.com', roleSlug: 'admin', state: 'pending', organizationId }),
    ]);
  });

  it.each([
    ['not an email', { email: 'richard', role: 'member' }, 'email', 'Enter an email address such as name@example.com.', 0],
    ['no role', { email: 'richard@hooli.example.com', role: '' }, 'role', 'Choose a role.', 0],
    [
      'a role the organization does not have',
      { email: 'richard@hooli.example.com', role: 'owner' },
      'role',
      'That role does not exist in this organization.',
      0,
    ],
    [
      'a member already',
      { email: 'gavin@hooli.example.com', role: 'member' },
      'email',
      'gavin@hooli.example.com is already a member of this organization.',
      1,
    ],
  ])('refuses %s with a form error, and nothing is sent', async (_, input, field, error, calls) => {
    const { admin } = await organizationWithAdmin();
    expect(await inviteMember(admin, roles, input)).toEqual({ ok: false, field, error });
    expect(await sent()).toEqual([]);
    expect(await asked()).toBe(calls);
  });

  /** Invites as `admin` and expects the form's generic error, which has no words for what WorkOS said; its reference. */
  async function invitationNotSent(admin: AdminSession) {
    const result = await inviteMember(admin, roles, { email: 'richard@hooli.example.com', role: 'member' });
    const reference = /\(Reference: ([a-z0-9]{10})\)$/.exec(result.ok ? '' : result.error)?.[1];
    expect(result).toEqual({
      ok: false,
      field: null,
      error: `The invitation could not be sent right now. Try again in a moment. (Reference: ${reference})`,
    });
    return reference;
  }

  it('WorkOS failing: the form says so with a reference, logged, nothing sent', async () => {
    const { admin } = await organizationWithAdmin();
    await running.control.injectFault({
      endpoint: 'send_invitation',
      action: { type: 'status', status: 500, body: { message: 'injected' } },
    });
    const reference = await invitationNotSent(admin);
    expect(warnings).toEqual([expect.objectContaining({ event: 'workos_write_failed', write: 'send_invitation', reference })]);
    expect(await sent()).toEqual([]);
  });

  it('a refusal the form has no words for: the generic error with a reference, logged with the refusal’s name and code', async () => {
    const { admin } = await organizationWithAdmin();
    await running.control.injectFault({
      endpoint: 'send_invitation',
      action: { type: 'status', status: 400, body: { code: 'invitation_limit_reached', message: 'Too many invitations.' } },
    });
    const reference = await invitationNotSent(admin);
    expect(warnings).toEqual([
      {
        level: 'warn',
        at: expect.any(String),
        scope: 'auth',
        event: 'workos_write_failed',
        write: 'send_invitation',
        userId: admin.user.id,
        reason: 'WorkOSRefusedError code=invitation_limit_reached',
        reference,
      },
    ]);
  });

  it('refuses a second pending invitation for the same email: one email only', async () => {
    const { admin } = await organizationWithAdmin();
    await inviteMember(admin, roles, { email: 'richard@hooli.example.com', role: 'member' });
    expect(await inviteMember(admin, roles, { email: 'richard@hooli.example.com', role: 'admin' })).toEqual({
      ok: false,
      field: 'email',
      error: 'richard@hooli.example.com already has a pending invitation: resend it from the list instead.',
    });
    expect(await sent()).toEqual(['richard@hooli.example.com']);
  });

  it('resends (a second email) and revokes (the link stops working) only a pending invitation of the admin’s organization', async () => {
    const { organizationId, admin } = await organizationWithAdmin();
    await inviteMember(admin, roles, { email: 'richard@hooli.example.com', role: 'member' });
    const [invitation] = await listPendingInvitations(organizationId);
    const id = invitation?.id ?? '';
    const acme = await running.workos.userManagement.sendInvitation({ email: 'x@example.com', organizationId: SEED_ORGANIZATION_IDS.acme });
    expect(await updateInvitation(admin, acme.id, 'revoke')).toEqual({ ok: false, refused: 'not_found' });
    expect(await updateInvitation(admin, id, 'resend')).toEqual({ ok: true });
    expect(await sent()).toEqual(['richard@hooli.example.com', 'x@example.com', 'richard@hooli.example.com']);
    expect(await updateInvitation(admin, id, 'revoke')).toEqual({ ok: true });
    expect(await listPendingInvitations(organizationId)).toEqual([]);
    expect(await updateInvitation(admin, id, 'resend')).toEqual({ ok: false, refused: 'not_found' });
    expect((await running.workos.userManagement.getInvitation(acme.id)).state).toBe('pending');
  });
});

describe('the WorkOS verbs behind them (lib/auth/authkit/workos-api.ts)', () => {
  /** An organization with an admin, a member and a pending invitation. */
  async function organization() {
    const { organizationId, admin } = await organizationWithAdmin();
    const member = await addMember(organizationId, 'jared@hooli.example.com');
    const invitation = await sendInvitation({
      email: 'richard@hooli.example.com',
      organizationId,
      roleSlug: 'member',
      inviterUserId: admin.user.id,
    });
    return { organizationId, admin, ...member, invitationId: invitation.id };
  }
  type Organization = Awaited<ReturnType<typeof organization>>;

  it.each<[MockEndpoint, string, (o: Organization) => Promise<unknown>, string]>([
    [
      'list_organization_memberships',
      'data[].user_id',
      (o: Organization) => listOrganizationMemberships(o.organizationId, { limit: 10 }),
      'data.0.userId, data.1.userId',
    ],
    ['get_organization_membership', 'user_id', (o: Organization) => getOrganizationMembership(o.membershipId), 'userId'],
    ['get_user', 'email', (o: Organization) => getUser(o.userId), 'email'],
    ['list_organization_roles', 'data[].name', (o: Organization) => listOrganizationRoles(o.organizationId), 'data.0.name, data.1.name'],
    [
      'send_invitation',
      'email',
      (o: Organization) =>
        sendInvitation({
          email: 'dinesh@hooli.example.com',
          organizationId: o.organizationId,
          roleSlug: 'member',
          inviterUserId: o.admin.user.id,
        }),
      'email',
    ],
    ['list_invitations', 'data[].email', (o: Organization) => listInvitations(o.organizationId), 'email'],
    ['get_invitation', 'email', (o: Organization) => getInvitation(o.invitationId), 'email'],
  ])('%s: an answer of another shape names the call and the field', async (endpoint, nullified, call, field) => {
    const fixture = await organization();
    await running.control.injectFault({ endpoint, action: { type: 'alter_fields', nullify: [nullified] } });
    const error = await rejection(call(fixture));
    expect({ name: error.name, message: error.message }).toEqual({
      name: 'UnexpectedWorkOSAnswerError',
      message: `WorkOS answered ${endpoint} with an unexpected shape at ${field}`,
    });
  });

  /** What a write rejected with, as a log or the form reads it. */
  const refusal = async (call: Promise<unknown>) => {
    const error = await rejection(call);
    expect(error).toBeInstanceOf(WorkOSRefusedError);
    return { name: error.name, message: error.message, code: error.code };
  };

  it('a write WorkOS refuses (a 4xx with its code) is a WorkOSRefusedError naming the write and the code', async () => {
    const o = await organization();
    expect(await refusal(setMembershipRole(o.membershipId, 'owner'))).toEqual({
      name: 'WorkOSRefusedError',
      message: 'WorkOS refused update_organization_membership: invalid_role',
      code: 'invalid_role',
    });
    await running.control.injectFault({
      endpoint: 'deactivate_organization_membership',
      action: { type: 'status', status: 400, body: { code: 'cannot_deactivate_pending_organization_membership', message: 'Pending.' } },
    });
    expect(await refusal(deactivateMembership(o.membershipId))).toEqual({
      name: 'WorkOSRefusedError',
      message: 'WorkOS refused deactivate_organization_membership: cannot_deactivate_pending_organization_membership',
      code: 'cannot_deactivate_pending_organization_membership',
    });
    const invite = {
      email: 'jared@hooli.example.com',
      organizationId: o.organizationId,
      roleSlug: 'member',
      inviterUserId: o.admin.user.id,
    };
    expect(await refusal(sendInvitation(invite))).toEqual({
      name: 'WorkOSRefusedError',
      message: 'WorkOS refused send_invitation: user_already_organization_member',
      code: 'user_already_organization_member',
    });
    await revokeInvitation(o.invitationId);
    expect(await refusal(resendInvitation(o.invitationId))).toEqual({
      name: 'WorkOSRefusedError',
      message: 'WorkOS refused resend_invitation: invite_revoked',
      code: 'invite_revoked',
    });
    expect(await refusal(revokeInvitation(o.invitationId))).toEqual({
      name: 'WorkOSRefusedError',
      message: 'WorkOS refused revoke_invitation: invite_not_pending',
      code: 'invite_not_pending',
    });
    expect(await roleOf(o.membershipId)).toEqual({ role: 'member', status: 'active' });
  });

  it('a refusal is a 400 to 499 with a code: 399, 500, a 4xx without a code and a status that is not a number are the error as it came', async () => {
    const { invitationId } = await organization();
    const answering = async (status: number, body: Record<string, unknown>) => {
      await running.control.injectFault({ endpoint: 'resend_invitation', action: { type: 'status', status, body } });
      const error = await rejection(resendInvitation(invitationId));
      return { refused: error instanceof WorkOSRefusedError, name: error.name, status: error.status, code: error.code };
    };
    const body = { code: 'injected_code', message: 'Injected.' };
    expect(await answering(400, body)).toEqual({ refused: true, name: 'WorkOSRefusedError', status: undefined, code: 'injected_code' });
    expect(await answering(499, body)).toEqual({ refused: true, name: 'WorkOSRefusedError', status: undefined, code: 'injected_code' });
    expect(await answering(399, body)).toEqual({ refused: false, name: 'GenericServerException', status: 399, code: 'injected_code' });
    expect(await answering(500, body)).toEqual({ refused: false, name: 'GenericServerException', status: 500, code: 'injected_code' });
    expect(await answering(400, { message: 'Injected.' })).toEqual({
      refused: false,
      name: 'GenericServerException',
      status: 400,
      code: undefined,
    });

    const notHttp = Object.assign(new Error('not an HTTP answer'), { status: '404', code: 'injected_code' });
    vi.spyOn(running.workos.userManagement, 'resendInvitation').mockRejectedValueOnce(notHttp);
    expect(await rejection(resendInvitation(invitationId))).toBe(notHttp);
  });
});
