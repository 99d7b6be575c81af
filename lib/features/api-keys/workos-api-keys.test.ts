/**
 * The organization API key verbs of lib/auth/authkit/workos-api.ts (the admin panel's), with the real SDK
 * against the mock WorkOS: what each returns, that a key's secret is returned once and never listed, that a
 * key of another organization is not deleted, and an answer of the wrong shape named by its call.
 */
import { describe, expect, it, vi } from 'vitest';
import { SEED_ORGANIZATION_IDS } from '@/e2e/mock-workos/seed';
import { useRunningMock } from '@/e2e/mock-workos/test-helpers';
import { createOrganizationApiKey, deleteOrganizationApiKey, listOrganizationApiKeys } from '@/lib/auth/authkit/workos-api';

const running = useRunningMock();

vi.mock('@/lib/auth/authkit/client', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  workos: () => running.workos,
}));

const { acme, globex, initech } = SEED_ORGANIZATION_IDS;

describe('createOrganizationApiKey and listOrganizationApiKeys', () => {
  it('creates a key and returns its secret once; the list has the key, never the secret', async () => {
    const { key, secret } = await createOrganizationApiKey(acme, 'Nightly export');
    expect(secret).toMatch(/^sk_org_[\w-]{32}$/);
    expect(key).toEqual({
      id: expect.stringMatching(/^api_key_/),
      name: 'Nightly export',
      organizationId: acme,
      obfuscatedValue: `sk_…${secret.slice(-4)}`,
      permissions: [],
      createdAt: expect.any(Date),
      lastUsedAt: null,
    });
    expect(await listOrganizationApiKeys(acme)).toEqual([key]);
    expect(await listOrganizationApiKeys(globex)).toEqual([]);
    expect((await running.control.requests({ endpoint: 'list_organization_api_keys' })).map(({ path }) => path)).toEqual([
      `/organizations/${acme}/api_keys`,
      `/organizations/${globex}/api_keys`,
    ]);
  });

  it('names the call and the field when WorkOS answers with another shape', async () => {
    await running.control.injectFault({ endpoint: 'create_organization_api_key', action: { type: 'alter_fields', nullify: ['value'] } });
    await expect(createOrganizationApiKey(acme, 'Broken')).rejects.toThrow(
      'WorkOS answered create_organization_api_key with an unexpected shape at value',
    );
    await createOrganizationApiKey(acme, 'Listed');
    await running.control.injectFault({
      endpoint: 'list_organization_api_keys',
      action: { type: 'alter_fields', nullify: ['data[].name'] },
    });
    await expect(listOrganizationApiKeys(acme)).rejects.toThrow(
      'WorkOS answered list_organization_api_keys with an unexpected shape at data.0.name',
    );
  });
});

describe('deleteOrganizationApiKey', () => {
  it('deletes a key of the organization (true), and leaves one of another organization alone (false), even with no keys of its own', async () => {
    const ours = await createOrganizationApiKey(acme, 'Ours');
    const kept = await createOrganizationApiKey(acme, 'Kept');
    const theirs = await createOrganizationApiKey(globex, 'Theirs');
    expect(await deleteOrganizationApiKey(initech, theirs.key.id)).toBe(false);
    expect(await deleteOrganizationApiKey(acme, theirs.key.id)).toBe(false);
    expect(await deleteOrganizationApiKey(acme, ours.key.id)).toBe(true);
    expect(await listOrganizationApiKeys(acme)).toEqual([kept.key]);
    expect((await listOrganizationApiKeys(globex)).map(({ id }) => id)).toEqual([theirs.key.id]);
    expect((await running.control.requests({ endpoint: 'delete_api_key' })).map(({ path }) => path)).toEqual([`/api_keys/${ours.key.id}`]);
  });
});
