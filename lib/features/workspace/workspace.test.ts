/**
 * Setting up a self-serve workspace with the real SDK against the mock WorkOS:
 * the organization and the admin membership; WorkOS failing part-way, then a
 * retry that finishes without a second organization; a double submit.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SEED_USER_IDS } from '@/e2e/mock-workos/seed';
import { useRunningMock } from '@/e2e/mock-workos/test-helpers';
import { createMembership, createOrganization, ExternalIdTakenError, findOrganizationByExternalId } from '@/lib/auth/authkit/workos-api';
import { setUpWorkspace, WORKSPACE_NAME_MAX_LENGTH, workspaceName } from './workspace';

const running = useRunningMock();

vi.mock('@/lib/auth/authkit/client', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  workos: () => running.workos,
}));

const userId = SEED_USER_IDS.newcomer;
const ownerId = `workspace-owner:${userId}`;

/** The organizations carrying this user's workspace external id, by name. */
const workspacesOf = async () =>
  (await running.workos.organizations.listOrganizations({ limit: 100 })).data
    .filter((organization) => organization.externalId === ownerId)
    .map((organization) => organization.name);

let warnings: string[];
beforeEach(() => {
  warnings = [];
  vi.spyOn(console, 'warn').mockImplementation((line: string) => warnings.push(line));
});
afterEach(() => vi.restoreAllMocks());

describe('workspaceName', () => {
  it('trims, and refuses an empty name and one over the limit with the form’s messages', () => {
    expect(workspaceName.safeParse('  Hooli  ')).toEqual({ success: true, data: 'Hooli' });
    expect(workspaceName.safeParse('   ').error?.issues[0]?.message).toBe('Enter a name for your workspace.');
    expect(workspaceName.safeParse('x'.repeat(WORKSPACE_NAME_MAX_LENGTH)).success).toBe(true);
    expect(workspaceName.safeParse('x'.repeat(WORKSPACE_NAME_MAX_LENGTH + 1)).error?.issues[0]?.message).toBe(
      'Use 64 characters or fewer.',
    );
  });
});

describe('setUpWorkspace', () => {
  it('creates the organization with the user as its admin, and finds the same one again', async () => {
    const result = await setUpWorkspace(userId, 'Hooli');
    if (!result.ok) throw new Error('setup failed');
    const { data } = await running.workos.userManagement.listOrganizationMemberships({ userId });
    expect(data.map(({ organizationId, role, status }) => ({ organizationId, role: role?.slug, status }))).toEqual([
      { organizationId: result.organization.id, role: 'admin', status: 'active' },
    ]);
    expect(await setUpWorkspace(userId, 'Another name')).toEqual({ ok: true, organization: { id: result.organization.id, name: 'Hooli' } });
    expect(await workspacesOf()).toEqual(['Hooli']);
  });

  it('WorkOS failing after the organization: says so with a reference; the retry finishes it without a second organization', async () => {
    await running.control.injectFault({
      endpoint: 'create_organization_membership',
      match: { userId },
      action: { type: 'status', status: 500, body: { message: 'injected' } },
    });
    const failed = await setUpWorkspace(userId, 'Hooli');
    expect(failed).toMatchObject({ ok: false, organization: { name: 'Hooli' } });
    if (failed.ok || !failed.organization) throw new Error('expected a part-way failure');
    expect(failed.reference).toMatch(/^[a-z0-9]{10}$/);
    expect(warnings.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
      expect.objectContaining({
        event: 'workos_write_failed',
        write: 'create_organization_membership',
        userId,
        reference: failed.reference,
        organizationId: failed.organization.id,
        reason: 'GenericServerException status=500',
      }),
    ]);

    expect(await setUpWorkspace(userId, 'Hooli renamed')).toEqual({ ok: true, organization: failed.organization });
    expect(await workspacesOf()).toEqual(['Hooli']);
    expect((await running.control.requests({ endpoint: 'create_organization_membership' })).map(({ status }) => status)).toEqual([
      500, 201,
    ]);
  });

  it('WorkOS failing on the organization: nothing was created, and the retry creates it', async () => {
    await running.control.injectFault({ endpoint: 'create_organization', action: { type: 'drop' } });
    expect(await setUpWorkspace(userId, 'Hooli')).toMatchObject({ ok: false, organization: null });
    expect(await workspacesOf()).toEqual([]);
    expect(await setUpWorkspace(userId, 'Hooli')).toMatchObject({ ok: true, organization: { name: 'Hooli' } });
  });

  it('a double submit sets up one workspace: the second create of each is refused, and finds what the first made', async () => {
    // Holds one membership create back, so the other request's lands first.
    await running.control.injectFault({
      endpoint: 'create_organization_membership',
      match: { userId },
      action: { type: 'delay', delayMs: 300 },
    });
    const [first, second] = await Promise.all([setUpWorkspace(userId, 'Hooli'), setUpWorkspace(userId, 'Hooli')]);
    expect(first.ok && second.ok && first.organization.id === second.organization.id).toBe(true);
    expect(await workspacesOf()).toEqual(['Hooli']);
    const statuses = async (endpoint: 'create_organization' | 'create_organization_membership') =>
      (await running.control.requests({ endpoint })).map(({ status }) => status).sort();
    expect(await statuses('create_organization')).toEqual([201, 400]);
    expect(await statuses('create_organization_membership')).toEqual([201, 422]);
  });
});

describe('the WorkOS verbs behind it (lib/auth/authkit/workos-api.ts)', () => {
  it('findOrganizationByExternalId: the organization, null when there is none, and any other failure thrown as it is', async () => {
    expect(await findOrganizationByExternalId(ownerId)).toBeNull();
    const created = await createOrganization({ name: 'Hooli', externalId: ownerId });
    expect(created).toEqual({ id: expect.stringMatching(/^org_/), name: 'Hooli' });
    expect(await findOrganizationByExternalId(ownerId)).toEqual(created);
    await running.control.injectFault({
      endpoint: 'get_organization_by_external_id',
      action: { type: 'status', status: 500, body: { message: 'injected' } },
    });
    await expect(findOrganizationByExternalId(ownerId)).rejects.toMatchObject({ name: 'GenericServerException', status: 500 });
    await running.control.injectFault({ endpoint: 'get_organization_by_external_id', action: { type: 'alter_fields', nullify: ['name'] } });
    await expect(findOrganizationByExternalId(ownerId)).rejects.toThrow(
      'WorkOS answered get_organization_by_external_id with an unexpected shape at name',
    );
  });

  it('createOrganization: a taken external id is ExternalIdTakenError; any other failure is thrown as it is', async () => {
    await createOrganization({ name: 'Hooli', externalId: ownerId });
    const taken = await createOrganization({ name: 'Hooli again', externalId: ownerId }).catch((error: unknown) => error);
    expect(taken).toBeInstanceOf(ExternalIdTakenError);
    expect(taken).toMatchObject({ name: 'ExternalIdTakenError', message: `An organization already has the external id ${ownerId}` });
    await running.control.injectFault({
      endpoint: 'create_organization',
      action: { type: 'status', status: 500, body: { message: 'injected' } },
    });
    const failed = await createOrganization({ name: 'Other', externalId: `${ownerId}:other` }).catch((error: unknown) => error);
    expect(failed).toMatchObject({ name: 'GenericServerException', status: 500 });
    await running.control.injectFault({ endpoint: 'create_organization', action: { type: 'alter_fields', nullify: ['name'] } });
    await expect(createOrganization({ name: 'Odd', externalId: `${ownerId}:odd` })).rejects.toThrow(
      'WorkOS answered create_organization with an unexpected shape at name',
    );
  });

  it('createMembership: the user an active member with the role; an answer without an id is named by its call', async () => {
    const organization = await createOrganization({ name: 'Hooli', externalId: ownerId });
    await createMembership({ userId, organizationId: organization.id, roleSlug: 'admin' });
    const { data } = await running.workos.userManagement.listOrganizationMemberships({ userId });
    expect(data.map(({ organizationId, role, status }) => ({ organizationId, role: role?.slug, status }))).toEqual([
      { organizationId: organization.id, role: 'admin', status: 'active' },
    ]);
    const other = await createOrganization({ name: 'Other', externalId: `${ownerId}:other` });
    await running.control.injectFault({ endpoint: 'create_organization_membership', action: { type: 'alter_fields', nullify: ['id'] } });
    await expect(createMembership({ userId, organizationId: other.id, roleSlug: 'member' })).rejects.toThrow(
      'WorkOS answered create_organization_membership with an unexpected shape at id',
    );
  });
});
