/**
 * The store's shared parts: one event per change, in order, shaped as WorkOS'
 * spec says (checked with the spec's own schema for GET /events), and the
 * outbox every "sent" email lands in — the hosted page's magic code included.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WorkOSOpenApiSpec } from './openapi-spec.ts';
import { toEventResponse } from './serializers.ts';
import { DEMO_PASSWORD, SEED_ORGANIZATION_IDS, SEED_USER_IDS } from './seed.ts';
import { createMockWorkOSStore } from './server.ts';
import type { LoggedEvent, MockWorkOSStore } from './store.ts';
import { API_KEY, CLIENT_ID, REDIRECT_URI, useTestClock } from './test-helpers.ts';

const clock = useTestClock();
let store: MockWorkOSStore;
let spec: WorkOSOpenApiSpec;

beforeAll(async () => {
  store = await createMockWorkOSStore({ clientId: CLIENT_ID, apiKey: API_KEY, redirectUris: [REDIRECT_URI], clock: clock.now });
  spec = WorkOSOpenApiSpec.load();
}, 30_000);
beforeEach(() => store.reset());

const names = (events: readonly LoggedEvent[]) => events.map((event) => event.event);

/** The events as GET /events would list them, checked against the spec's schema for that answer. */
function expectSpecShaped(events: readonly LoggedEvent[]) {
  const body = { object: 'list', data: events.map(toEventResponse), list_metadata: { before: null, after: null } };
  const result = spec.validate({
    path: '/events',
    method: 'get',
    status: 200,
    headers: new Headers({ 'content-type': 'application/json' }),
    body: JSON.stringify(body),
  });
  expect(result).toEqual({ ok: true });
}

describe('event log', () => {
  it('starts empty after the seed: the demo world is older than any event', () => {
    expect(store.events.list()).toEqual([]);
    expect(store.users.size).toBeGreaterThan(0);
  });

  it('records users, organizations, roles and memberships in the order they changed, shaped as the spec says', () => {
    const organization = store.createOrganization({ name: 'Hooli', domainData: [{ domain: 'hooli.example.com', state: 'pending' }] });
    const user = store.createUser({ email: 'gavin@hooli.example.com', firstName: 'Gavin' });
    const role = store.createOrganizationRole(organization.id, { slug: 'org-billing', name: 'Billing' });
    const membership = store.createMembership(user.id, organization.id, role.slug);
    store.updateMembershipRole(membership.id, 'admin');
    store.deactivateMembership(membership.id);
    store.updateUser(user.id, { lastName: 'Belson' });
    store.updateOrganization(organization.id, { name: 'Hooli XYZ' });
    store.setOrganizationRolePermissions(organization.id, role.slug, ['invoices:read']);
    store.deleteOrganizationRole(organization.id, role.slug);
    store.deleteUser(user.id);
    store.deleteOrganization(organization.id);

    const events = store.events.list();
    expect(names(events)).toEqual([
      'organization.created',
      'user.created',
      'organization_role.created',
      'organization_membership.created',
      'organization_membership.updated',
      'organization_membership.updated',
      'user.updated',
      'organization.updated',
      'organization_role.updated',
      'organization_role.deleted',
      'organization_membership.deleted',
      'user.deleted',
      'organization.deleted',
    ]);
    expect(events[4]?.data).toMatchObject({ id: membership.id, role: { slug: 'admin' }, status: 'active' });
    expect(events[5]?.data).toMatchObject({ id: membership.id, status: 'inactive' });
    // A snapshot at the time: the later rename does not rewrite organization.created.
    expect(events[0]?.data).toMatchObject({ name: 'Hooli', domains: [{ domain: 'hooli.example.com', state: 'pending' }] });
    expect(events[7]?.data).toMatchObject({ name: 'Hooli XYZ' });
    expect(events.map((event) => event.organizationId)).toEqual([
      organization.id,
      null,
      organization.id,
      organization.id,
      organization.id,
      organization.id,
      null,
      organization.id,
      organization.id,
      organization.id,
      organization.id,
      null,
      organization.id,
    ]);
    expectSpecShaped(events);
  });

  it('records sessions starting and ending, invitations, magic auths, email verifications and password resets', () => {
    const signIn = store.authenticateWithPassword({
      clientId: CLIENT_ID,
      email: 'admin@example.com',
      password: DEMO_PASSWORD,
      client: { ipAddress: '203.0.113.7', userAgent: 'test' },
    });
    if (!signIn.ok) throw new Error('sign-in failed');
    store.endSession(signIn.value.session.id);
    store.endSession(signIn.value.session.id); // already ended: no second event
    const invitation = store.sendInvitation(
      { email: 'new.hire@example.com', organizationId: SEED_ORGANIZATION_IDS.acme },
      (token) => `x?${token}`,
    );
    store.resendInvitation(invitation.id, (token) => `x?${token}`);
    store.revokeInvitation(invitation.id);
    store.createMagicAuth('member@example.com');
    store.updateUser(SEED_USER_IDS.member, { emailVerified: false });
    store.sendVerificationEmail(SEED_USER_IDS.member);
    store.createPasswordReset('member@example.com', (token) => `reset?${token}`);

    const events = store.events.list();
    expect(names(events)).toEqual([
      'session.created',
      'session.revoked',
      'invitation.created',
      'invitation.resent',
      'invitation.revoked',
      'magic_auth.created',
      'user.updated',
      'email_verification.created',
      'password_reset.created',
    ]);
    expect(events[0]).toMatchObject({
      organizationId: SEED_ORGANIZATION_IDS.acme,
      data: { user_id: SEED_USER_IDS.admin, status: 'active', ip_address: '203.0.113.7', auth_method: 'password' },
    });
    expect(events[1]?.data).toMatchObject({ status: 'revoked' });
    expect(events[4]?.data).toMatchObject({ id: invitation.id, state: 'revoked' });
    // Events never carry secrets: no code, token or link.
    for (const event of events) expect(Object.keys(event.data)).not.toEqual(expect.arrayContaining(['code']));
    expect(JSON.stringify(events)).not.toContain(invitation.token);
    expectSpecShaped(events);
  });

  it('filters by type, organization and time range, oldest first', () => {
    store.createUser({ email: 'one@example.com' });
    clock.offsetMs = 60_000;
    const globexMember = store.createUser({
      email: 'two@example.com',
      memberships: [{ organizationId: SEED_ORGANIZATION_IDS.globex, role: 'member' }],
    });
    clock.offsetMs = 120_000;
    store.updateUser(globexMember.id, { firstName: 'Two' });

    expect(names(store.events.list({ events: ['user.created', 'user.updated'] }))).toEqual([
      'user.created',
      'user.created',
      'user.updated',
    ]);
    expect(names(store.events.list({ organizationId: SEED_ORGANIZATION_IDS.globex }))).toEqual(['organization_membership.created']);
    const middle = new Date(Date.now() + 60_000);
    const range = store.events.list({
      rangeStart: new Date(middle.getTime() - 1_000).toISOString(),
      rangeEnd: new Date(middle.getTime() + 30_000).toISOString(),
    });
    expect(names(range)).toEqual(['user.created', 'organization_membership.created']);
  });

  it('hands each new event to subscribers (what webhooks will deliver), and reset forgets the log', () => {
    const seen: string[] = [];
    const unsubscribe = store.events.subscribe((event) => seen.push(`${event.event} ${event.id}`));
    const user = store.createUser({ email: 'subscriber@example.com' });
    unsubscribe();
    store.deleteUser(user.id);
    expect(seen).toEqual([`user.created ${store.events.list()[0]?.id}`]);
    store.reset();
    expect(store.events.list()).toEqual([]);
  });
});

describe('outbox', () => {
  it('receives every code and link the mock sends, by recipient and kind', () => {
    const magicAuth = store.createMagicAuth('Member@Example.com');
    const invitation = store.sendInvitation(
      { email: 'invitee@example.com', organizationId: SEED_ORGANIZATION_IDS.globex, roleSlug: 'admin' },
      (token) => `http://mock/invite?invitation_token=${token}`,
    );
    const reset = store.createPasswordReset('member@example.com', (token) => `http://app/reset-password?token=${token}`);

    expect(
      store.outbox.list({ to: 'member@example.com' }).map(({ kind, code, link, objectId }) => ({ kind, code, link, objectId })),
    ).toEqual([
      { kind: 'magic_auth', code: magicAuth.code, link: null, objectId: magicAuth.id },
      { kind: 'password_reset', code: null, link: `http://app/reset-password?token=${reset.code}`, objectId: reset.id },
    ]);
    expect(store.outbox.list({ kind: 'invitation' })).toMatchObject([
      {
        to: 'invitee@example.com',
        subject: 'You have been invited to join Globex',
        link: `http://mock/invite?invitation_token=${invitation.token}`,
      },
    ]);
  });

  it('gets the hosted page’s magic code too: the page and the API share one magic auth', () => {
    const request = store.createAuthorizationRequest({
      clientId: CLIENT_ID,
      redirectUri: REDIRECT_URI,
      state: null,
      codeChallenge: null,
      screenHint: 'sign-in',
      loginHint: null,
      organizationId: null,
      invitationToken: null,
      client: { ipAddress: null, userAgent: null },
    });
    const user = store.users.get(SEED_USER_IDS.member);
    if (!user) throw new Error('no member');
    const code = store.startMagicAuth(request, user);
    expect(store.outbox.list({ to: user.email, kind: 'magic_auth' }).map((message) => message.code)).toEqual([code]);
    expect(store.magicAuths.get(request.magicAuthId ?? '')?.code).toBe(code);
  });
});
