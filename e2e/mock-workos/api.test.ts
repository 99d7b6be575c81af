/**
 * The mock's User Management, Organizations, roles, MFA and events API with
 * state, through the real SDK over HTTP: what a test creates it can get, list,
 * update and delete; lists paginate and filter as WorkOS' do; bad input gets
 * WorkOS' 4xx; sign-ins that owe a step (email verification, MFA,
 * organization selection) continue with their grant. Every answer's shape is
 * checked against the spec in sdk-conformance.test.ts.
 */
import {
  AuthenticationException,
  BadRequestException,
  ConflictException,
  DomainDataState,
  GenericServerException,
  NotFoundException,
  OauthException,
  UnprocessableEntityException,
} from '@workos-inc/node';
import { decodeJwt } from 'jose';
import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, SEED_ORGANIZATION_IDS, SEED_USER_IDS } from './seed.ts';
import { API_KEY, CLIENT_ID, rejection, useRunningMock, useTestClock } from './test-helpers.ts';

const clock = useTestClock();
const running = useRunningMock({ clock: clock.now });

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${running.mock.url}${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json', ...init.headers },
  });

const codeFromOutbox = async (to: string, kind: 'magic_auth' | 'email_verification') =>
  (await running.control.outbox({ to, kind })).at(-1)?.code ?? '';

describe('users', () => {
  it('creates, gets (by id and external id), updates, lists by email and deletes a user', async () => {
    const { userManagement } = running.workos;
    const user = await userManagement.createUser({
      email: 'Pat@Example.com',
      firstName: 'Pat',
      externalId: 'crm-42',
      password: 'long-enough-1',
    });
    expect(user).toMatchObject({ email: 'pat@example.com', firstName: 'Pat', lastName: null, emailVerified: false, externalId: 'crm-42' });
    expect(await userManagement.getUser(user.id)).toMatchObject({ id: user.id });
    expect((await userManagement.getUserByExternalId('crm-42')).id).toBe(user.id);

    const updated = await userManagement.updateUser({ userId: user.id, lastName: 'Lee', metadata: { plan: 'pro' }, emailVerified: true });
    expect(updated).toMatchObject({ lastName: 'Lee', metadata: { plan: 'pro' }, emailVerified: true });
    expect((await userManagement.listUsers({ email: 'PAT@example.com' })).data.map(({ id }) => id)).toEqual([user.id]);

    await userManagement.deleteUser(user.id);
    expect(await rejection(userManagement.getUser(user.id))).toMatchObject({ status: 404, code: 'entity_not_found' });
    expect(await rejection(userManagement.deleteUser(user.id))).toBeInstanceOf(NotFoundException);
  });

  it('refuses a taken email, a weak password and a body the spec refuses, each as WorkOS answers', async () => {
    const taken = await rejection(running.workos.userManagement.createUser({ email: 'admin@example.com' }));
    expect(taken).toBeInstanceOf(BadRequestException);
    expect(taken).toMatchObject({ code: 'user_creation_error', errors: [{ code: 'email_not_available' }] });

    const weak = await rejection(running.workos.userManagement.createUser({ email: 'weak@example.com', password: 'short' }));
    expect(weak).toMatchObject({ code: 'password_strength_error', errors: [{ code: 'password_too_short' }] });

    const badBody = await api('/user_management/users', { method: 'POST', body: JSON.stringify({ email: 42, first_name: ['x'] }) });
    expect(badBody.status).toBe(422);
    expect(await badBody.json()).toEqual({
      code: 'invalid_request_parameters',
      message: 'email must be string. first_name must be string,null.',
      errors: [
        { field: 'email', code: 'email_invalid_type', message: 'email must be string.' },
        { field: 'first_name', code: 'first_name_invalid_type', message: 'first_name must be string,null.' },
      ],
    });
    const missing = await rejection(running.workos.userManagement.createUser({} as never));
    expect(missing).toBeInstanceOf(UnprocessableEntityException);
    expect(missing).toMatchObject({
      code: 'invalid_request_parameters',
      message: 'The following requirement must be met:\n\temail_required\n',
    });
  });

  it('lists users of an organization, 10 a page by default, newest first, with before/after cursors and order', async () => {
    const { userManagement } = running.workos;
    const ids: string[] = [];
    for (let index = 0; index < 12; index += 1) {
      clock.offsetMs = index * 1000;
      const user = await userManagement.createUser({ email: `page-${index}@example.com` });
      await userManagement.createOrganizationMembership({ userId: user.id, organizationId: SEED_ORGANIZATION_IDS.globex });
      ids.push(user.id);
    }
    const first = await userManagement.listUsers({ organizationId: SEED_ORGANIZATION_IDS.globex });
    // Globex's seeded admin (multi-org) was created before all of them.
    expect(first.data.map(({ id }) => id)).toEqual([...ids].reverse().slice(0, 10));
    expect(first.listMetadata).toEqual({ before: null, after: ids[2] });
    const second = await userManagement.listUsers({ organizationId: SEED_ORGANIZATION_IDS.globex, after: first.listMetadata.after });
    expect(second.data.map(({ id }) => id)).toEqual([ids[1], ids[0], SEED_USER_IDS.multiOrg]);
    expect(second.listMetadata).toEqual({ before: ids[1], after: null });
    const back = await userManagement.listUsers({ organizationId: SEED_ORGANIZATION_IDS.globex, before: second.listMetadata.before ?? '' });
    expect(back.data.map(({ id }) => id)).toEqual(first.data.map(({ id }) => id));
    const ascending = await userManagement.listUsers({ organizationId: SEED_ORGANIZATION_IDS.globex, order: 'asc', limit: 2 });
    expect(ascending.data.map(({ id }) => id)).toEqual([SEED_USER_IDS.multiOrg, ids[0]]);
    const tooMany = await rejection(userManagement.listUsers({ limit: 101 }));
    expect(tooMany).toMatchObject({ status: 422, code: 'invalid_request_parameters' });
  });
});

describe('organizations and roles', () => {
  it('the control API creates an organization over HTTP too (its path is not taken for the API’s POST /organizations)', async () => {
    const organization = await running.control.createOrganization({ name: 'Hooli', domains: ['hooli.example.com'] });
    expect(organization).toMatchObject({
      object: 'organization',
      name: 'Hooli',
      domains: [expect.objectContaining({ domain: 'hooli.example.com' })],
    });
    await expect(running.workos.organizations.getOrganization(organization.id)).resolves.toMatchObject({ name: 'Hooli' });
  });

  it('creates once per Idempotency-Key, finds by external id and domain, updates and deletes with its memberships', async () => {
    const { organizations, userManagement } = running.workos;
    const payload = { name: 'Hooli', externalId: 'hooli', domainData: [{ domain: 'hooli.example.com', state: DomainDataState.Verified }] };
    const created = await organizations.createOrganization(payload, { idempotencyKey: 'create-hooli' });
    const again = await organizations.createOrganization(payload, { idempotencyKey: 'create-hooli' });
    expect(again.id).toBe(created.id);
    const conflict = await rejection(organizations.createOrganization({ name: 'Other' }, { idempotencyKey: 'create-hooli' }));
    expect(conflict).toBeInstanceOf(ConflictException);
    const takenExternalId = await rejection(organizations.createOrganization({ name: 'Hooli 2', externalId: 'hooli' }));
    expect(takenExternalId).toBeInstanceOf(GenericServerException);
    expect(takenExternalId).toMatchObject({ status: 400, code: 'external_id_already_used' });

    expect((await organizations.getOrganizationByExternalId('hooli')).id).toBe(created.id);
    expect((await organizations.listOrganizations({ domains: ['hooli.example.com'] })).data.map(({ id }) => id)).toEqual([created.id]);
    expect((await organizations.updateOrganization({ organization: created.id, name: 'Hooli XYZ' })).name).toBe('Hooli XYZ');

    const membership = await userManagement.createOrganizationMembership({ userId: SEED_USER_IDS.member, organizationId: created.id });
    await organizations.deleteOrganization(created.id);
    expect(await rejection(organizations.getOrganization(created.id))).toBeInstanceOf(NotFoundException);
    expect(await rejection(userManagement.getOrganizationMembership(membership.id))).toBeInstanceOf(NotFoundException);
    const events = await running.workos.events.listEvents({ events: ['organization.created', 'organization.deleted'] });
    expect(events.data.map((event) => event.event)).toEqual(['organization.created', 'organization.deleted']);
  });

  it("lists the environment's roles and the organization's own; an organization role's permissions reach its members' tokens", async () => {
    const { authorization, userManagement } = running.workos;
    const role = await authorization.createOrganizationRole(SEED_ORGANIZATION_IDS.acme, { slug: 'org-billing', name: 'Billing' });
    await authorization.setOrganizationRolePermissions(SEED_ORGANIZATION_IDS.acme, role.slug, { permissions: ['invoices:read'] });
    await authorization.addOrganizationRolePermission(SEED_ORGANIZATION_IDS.acme, role.slug, { permissionSlug: 'invoices:write' });
    const roles = await authorization.listOrganizationRoles(SEED_ORGANIZATION_IDS.acme);
    expect(roles.data.map(({ slug, type }) => `${slug} ${type}`)).toEqual([
      'admin EnvironmentRole',
      'member EnvironmentRole',
      'org-billing OrganizationRole',
    ]);

    const membership = (await userManagement.listOrganizationMemberships({ userId: SEED_USER_IDS.member })).data[0];
    await userManagement.updateOrganizationMembership(membership?.id ?? '', { roleSlug: 'org-billing' });
    const auth = await userManagement.authenticateWithPassword({
      clientId: CLIENT_ID,
      email: 'member@example.com',
      password: DEMO_PASSWORD,
    });
    expect(decodeJwt(auth.accessToken)).toMatchObject({ role: 'org-billing', permissions: ['invoices:read', 'invoices:write'] });

    const inUse = await rejection(authorization.deleteOrganizationRole(SEED_ORGANIZATION_IDS.acme, role.slug));
    expect(inUse).toMatchObject({ status: 409, code: 'role_has_assignments' });
    const badSlug = await rejection(authorization.createOrganizationRole(SEED_ORGANIZATION_IDS.acme, { slug: 'billing', name: 'Billing' }));
    expect(badSlug).toMatchObject({ status: 422, code: 'invalid_request_parameters' });
    const unknownRole = await rejection(userManagement.updateOrganizationMembership(membership?.id ?? '', { roleSlug: 'org-nope' }));
    expect(unknownRole).toMatchObject({ status: 422, code: 'invalid_role' });
  });
});

describe('memberships', () => {
  it('creates (default role member), deactivates, lists by status, reactivates and deletes', async () => {
    const { userManagement } = running.workos;
    const membership = await userManagement.createOrganizationMembership({
      userId: SEED_USER_IDS.google,
      organizationId: SEED_ORGANIZATION_IDS.globex,
    });
    expect(membership).toMatchObject({ role: { slug: 'member' }, status: 'active', organizationName: 'Globex' });
    const twice = await rejection(
      userManagement.createOrganizationMembership({ userId: SEED_USER_IDS.google, organizationId: SEED_ORGANIZATION_IDS.globex }),
    );
    expect(twice).toMatchObject({ status: 422 });

    await userManagement.deactivateOrganizationMembership(membership.id);
    const listIds = async (statuses?: ('active' | 'inactive')[]) =>
      (await userManagement.listOrganizationMemberships({ userId: SEED_USER_IDS.google, statuses })).data.map(({ id }) => id);
    expect(await listIds()).toEqual([]);
    expect(await listIds(['inactive'])).toEqual([membership.id]);
    expect((await userManagement.reactivateOrganizationMembership(membership.id)).status).toBe('active');
    await userManagement.deleteOrganizationMembership(membership.id);
    expect(await listIds(['active', 'inactive'])).toEqual([]);
    const unknownUser = await rejection(
      userManagement.createOrganizationMembership({ userId: 'user_01NOPE', organizationId: SEED_ORGANIZATION_IDS.globex }),
    );
    expect(unknownUser).toMatchObject({ status: 404, code: 'entity_not_found' });
  });
});

describe('invitations', () => {
  it('sends (email in the outbox), finds by token, resends, revokes, and an accepted one makes a member with its role', async () => {
    const { userManagement } = running.workos;
    const invitation = await userManagement.sendInvitation({
      email: 'newbie@example.com',
      organizationId: SEED_ORGANIZATION_IDS.acme,
      roleSlug: 'admin',
    });
    expect(invitation).toMatchObject({ state: 'pending', roleSlug: 'admin', organizationId: SEED_ORGANIZATION_IDS.acme });
    const [mail] = await running.control.outbox({ to: 'newbie@example.com', kind: 'invitation' });
    expect(mail?.link).toBe(invitation.acceptInvitationUrl);
    expect(invitation.acceptInvitationUrl).toBe(`${running.mock.url}/authkit/invite?invitation_token=${invitation.token}`);
    expect((await userManagement.findInvitationByToken(invitation.token)).id).toBe(invitation.id);
    const duplicate = await rejection(
      userManagement.sendInvitation({ email: 'newbie@example.com', organizationId: SEED_ORGANIZATION_IDS.acme }),
    );
    expect(duplicate).toMatchObject({ status: 400, code: 'email_already_invited_to_organization' });

    await userManagement.resendInvitation(invitation.id);
    expect(await running.control.outbox({ to: 'newbie@example.com', kind: 'invitation' })).toHaveLength(2);
    const notYet = await rejection(userManagement.acceptInvitation(invitation.id));
    expect(notYet).toMatchObject({ status: 400, code: 'invalid_invite' });
    const user = await userManagement.createUser({ email: 'newbie@example.com' });
    const accepted = await userManagement.acceptInvitation(invitation.id);
    expect(accepted).toMatchObject({ state: 'accepted', acceptedUserId: user.id });
    const [membership] = (await userManagement.listOrganizationMemberships({ userId: user.id })).data;
    expect(membership).toMatchObject({ organizationId: SEED_ORGANIZATION_IDS.acme, role: { slug: 'admin' } });

    const other = await userManagement.sendInvitation({ email: 'later@example.com', organizationId: SEED_ORGANIZATION_IDS.acme });
    expect((await userManagement.revokeInvitation(other.id)).state).toBe('revoked');
    expect(await rejection(userManagement.resendInvitation(other.id))).toMatchObject({ status: 400, code: 'invite_revoked' });
    clock.offsetMs = 8 * 24 * 60 * 60 * 1000;
    const expired = await userManagement.sendInvitation({
      email: 'late@example.com',
      organizationId: SEED_ORGANIZATION_IDS.globex,
      expiresInDays: 1,
    });
    clock.offsetMs += 2 * 24 * 60 * 60 * 1000;
    expect((await userManagement.getInvitation(expired.id)).state).toBe('expired');
    const listed = await userManagement.listInvitations({ organizationId: SEED_ORGANIZATION_IDS.acme });
    expect(listed.data.map(({ email, state }) => `${email} ${state}`)).toEqual([
      'later@example.com revoked',
      'newbie@example.com accepted',
    ]);
  });
});

describe('sign-ins that owe a step, through their grants', () => {
  it('magic auth: the code from the outbox signs in; a wrong one is invalid_one_time_code', async () => {
    const { userManagement } = running.workos;
    const magicAuth = await userManagement.createMagicAuth({ email: 'member@example.com' });
    expect(await userManagement.getMagicAuth(magicAuth.id)).toMatchObject({ id: magicAuth.id, email: 'member@example.com' });
    const wrong = await rejection(
      userManagement.authenticateWithMagicAuth({ clientId: CLIENT_ID, email: 'member@example.com', code: '000000' }),
    );
    expect(wrong).toMatchObject({ status: 400, code: 'invalid_one_time_code' });
    const auth = await userManagement.authenticateWithMagicAuth({
      clientId: CLIENT_ID,
      email: 'member@example.com',
      code: await codeFromOutbox('member@example.com', 'magic_auth'),
    });
    expect(auth).toMatchObject({
      user: { id: SEED_USER_IDS.member },
      organizationId: SEED_ORGANIZATION_IDS.acme,
      authenticationMethod: 'MagicAuth',
    });
  });

  it('email verification: an unverified password user gets email_verification_required, then signs in with the emailed code', async () => {
    const { userManagement } = running.workos;
    await userManagement.createUser({ email: 'api-unverified@example.com', password: 'long-enough-1' });
    const pending = await rejection(
      userManagement.authenticateWithPassword({ clientId: CLIENT_ID, email: 'api-unverified@example.com', password: 'long-enough-1' }),
    );
    expect(pending).toBeInstanceOf(AuthenticationException);
    expect(pending).toMatchObject({ status: 403, code: 'email_verification_required' });
    const auth = await userManagement.authenticateWithEmailVerification({
      clientId: CLIENT_ID,
      pendingAuthenticationToken: String(pending.pendingAuthenticationToken),
      code: await codeFromOutbox('api-unverified@example.com', 'email_verification'),
    });
    expect(auth.user).toMatchObject({ email: 'api-unverified@example.com', emailVerified: true });
    const reused = await rejection(
      userManagement.authenticateWithEmailVerification({
        clientId: CLIENT_ID,
        pendingAuthenticationToken: String(pending.pendingAuthenticationToken),
        code: '1',
      }),
    );
    expect(reused).toMatchObject({ status: 400, code: 'invalid_pending_authentication_token' });
  });

  it('MFA: a user with an enrolled TOTP factor gets mfa_challenge, then signs in with a code computed from the secret', async () => {
    const { userManagement, multiFactorAuth } = running.workos;
    const { authenticationFactor } = await multiFactorAuth.createUserAuthFactor({ userId: SEED_USER_IDS.admin, type: 'totp' });
    const secret = authenticationFactor.totp?.secret ?? '';
    expect(authenticationFactor.totp?.qrCode).toMatch(/^data:image\/png;base64,/);
    const pending = await rejection(
      userManagement.authenticateWithPassword({ clientId: CLIENT_ID, email: 'admin@example.com', password: DEMO_PASSWORD }),
    );
    expect(pending).toMatchObject({
      status: 403,
      code: 'mfa_challenge',
      rawData: { authentication_factors: [{ id: authenticationFactor.id, type: 'totp' }] },
    });
    const challenge = await multiFactorAuth.challengeFactor({ authenticationFactorId: authenticationFactor.id });
    const totp = new TOTP({ secret: Secret.fromBase32(secret) });
    const wrong = await rejection(
      userManagement.authenticateWithTotp({
        clientId: CLIENT_ID,
        pendingAuthenticationToken: String(pending.pendingAuthenticationToken),
        authenticationChallengeId: challenge.id,
        code: totp.generate({ timestamp: Date.now() - 10 * 60_000 }),
      }),
    );
    expect(wrong).toMatchObject({ status: 400, code: 'invalid_one_time_code' });
    const auth = await userManagement.authenticateWithTotp({
      clientId: CLIENT_ID,
      pendingAuthenticationToken: String(pending.pendingAuthenticationToken),
      authenticationChallengeId: challenge.id,
      code: totp.generate(),
    });
    expect(auth).toMatchObject({ user: { id: SEED_USER_IDS.admin }, organizationId: SEED_ORGANIZATION_IDS.acme });
  });

  it('organization selection: when the mock requires it, a multi-organization user picks one', async () => {
    const { userManagement } = running.workos;
    await running.control.setOrganizationSelectionRequired(true);
    const pending = await rejection(
      userManagement.authenticateWithPassword({ clientId: CLIENT_ID, email: 'multi-org@example.com', password: DEMO_PASSWORD }),
    );
    expect(pending).toMatchObject({
      status: 403,
      code: 'organization_selection_required',
      rawData: {
        organizations: [
          { id: SEED_ORGANIZATION_IDS.acme, name: 'Acme' },
          { id: SEED_ORGANIZATION_IDS.globex, name: 'Globex' },
        ],
      },
    });
    const token = String(pending.pendingAuthenticationToken);
    const notMember = await rejection(
      userManagement.authenticateWithOrganizationSelection({
        clientId: CLIENT_ID,
        pendingAuthenticationToken: token,
        organizationId: SEED_ORGANIZATION_IDS.initech,
      }),
    );
    expect(notMember).toBeInstanceOf(OauthException);
    expect(notMember).toMatchObject({ error: 'organization_membership_not_found' });
    const auth = await userManagement.authenticateWithOrganizationSelection({
      clientId: CLIENT_ID,
      pendingAuthenticationToken: token,
      organizationId: SEED_ORGANIZATION_IDS.globex,
    });
    expect(decodeJwt(auth.accessToken)).toMatchObject({ org_id: SEED_ORGANIZATION_IDS.globex, role: 'admin' });
  });

  it('password reset: the emailed token sets a new password once', async () => {
    const { userManagement } = running.workos;
    const reset = await userManagement.createPasswordReset({ email: 'member@example.com' });
    const [mail] = await running.control.outbox({ to: 'member@example.com', kind: 'password_reset' });
    expect(mail?.link).toBe(reset.passwordResetUrl);
    expect(reset.passwordResetUrl).toBe(`http://localhost:3000/reset-password?token=${reset.passwordResetToken}`);
    await userManagement.resetPassword({ token: reset.passwordResetToken, newPassword: 'a-brand-new-password' });
    const again = await rejection(userManagement.resetPassword({ token: reset.passwordResetToken, newPassword: 'another-password' }));
    expect(again).toMatchObject({ status: 400, code: 'password_reset_error', errors: [{ code: 'password_reset_token_used' }] });
    const auth = await userManagement.authenticateWithPassword({
      clientId: CLIENT_ID,
      email: 'member@example.com',
      password: 'a-brand-new-password',
    });
    expect(auth.user.id).toBe(SEED_USER_IDS.member);
  });
});

describe('events', () => {
  it('lists the changes in order, filtered by type, organization and time, paged with after', async () => {
    const { events, userManagement, organizations } = running.workos;
    const user = await userManagement.createUser({ email: 'evented@example.com' });
    clock.offsetMs = 60_000;
    const organization = await organizations.createOrganization({ name: 'Evented' });
    await userManagement.createOrganizationMembership({ userId: user.id, organizationId: organization.id });
    await userManagement.updateUser({ userId: user.id, firstName: 'Eve' });

    const all = await events.listEvents({
      events: ['user.created', 'user.updated', 'organization.created', 'organization_membership.created'],
    });
    expect(all.data.map((event) => event.event)).toEqual([
      'user.created',
      'organization.created',
      'organization_membership.created',
      'user.updated',
    ]);
    const inOrganization = await events.listEvents({ events: [], organizationId: organization.id });
    expect(inOrganization.data.map((event) => event.event)).toEqual(['organization.created', 'organization_membership.created']);
    const firstPage = await events.listEvents({ events: ['user.created', 'user.updated'], limit: 1 });
    const nextPage = await events.listEvents({
      events: ['user.created', 'user.updated'],
      limit: 1,
      after: firstPage.listMetadata.after ?? undefined,
    });
    expect([...firstPage.data, ...nextPage.data].map((event) => event.event)).toEqual(['user.created', 'user.updated']);
    const later = await events.listEvents({
      events: ['user.created', 'user.updated'],
      rangeStart: new Date(Date.now() + 30_000).toISOString(),
    });
    expect(later.data.map((event) => event.event)).toEqual(['user.updated']);

    const unknown = await rejection(events.listEvents({ events: ['user.invented' as 'user.created'] }));
    expect(unknown).toBeInstanceOf(UnprocessableEntityException);
    expect(unknown).toMatchObject({ message: 'The following requirement must be met:\n\tunknown_event_type\n' });
  });
});
