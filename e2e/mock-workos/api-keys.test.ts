/**
 * The mock's organization API keys, read by the real SDK (@workos-inc/node): what the app's
 * admin panel and machine route call (lib/auth/authkit/workos-api.ts, api-key.ts).
 */
import { describe, expect, it } from 'vitest';
import { SEED_ORGANIZATION_IDS } from './seed.ts';
import { useRunningMock } from './test-helpers.ts';

const running = useRunningMock();
const acme = SEED_ORGANIZATION_IDS.acme;

describe('organization API keys through the SDK', () => {
  it('creates a key whose value is shown once, lists it without the value, validates it, and stops validating it once deleted', async () => {
    const { apiKeys } = running.workos;
    const created = await apiKeys.createOrganizationApiKey({ organizationId: acme, name: 'Nightly export', permissions: ['posts:read'] });
    expect(created).toMatchObject({
      object: 'api_key',
      owner: { type: 'organization', id: acme },
      name: 'Nightly export',
      permissions: ['posts:read'],
      lastUsedAt: null,
    });
    expect(created.value).toMatch(/^sk_org_[\w-]{32}$/);
    expect(created.obfuscatedValue).toBe(`sk_…${created.value.slice(-4)}`);

    const listed = await apiKeys.listOrganizationApiKeys({ organizationId: acme });
    expect(listed.data.map((key) => key.id)).toEqual([created.id]);
    expect(JSON.stringify(listed.data)).not.toContain(created.value);

    const valid = await apiKeys.createValidation({ value: created.value });
    expect(valid.apiKey).toMatchObject({ id: created.id, owner: { type: 'organization', id: acme }, lastUsedAt: expect.any(String) });
    expect((await apiKeys.createValidation({ value: `${created.value}x` })).apiKey).toBeNull();

    await apiKeys.deleteApiKey(created.id);
    expect((await apiKeys.createValidation({ value: created.value })).apiKey).toBeNull();
    expect((await apiKeys.listOrganizationApiKeys({ organizationId: acme })).data).toEqual([]);
  });

  it("keeps each organization's keys to itself, and forgets them all at reset", async () => {
    const { apiKeys } = running.workos;
    await apiKeys.createOrganizationApiKey({ organizationId: acme, name: 'Acme' });
    const globex = await apiKeys.createOrganizationApiKey({ organizationId: SEED_ORGANIZATION_IDS.globex, name: 'Globex' });
    expect((await apiKeys.listOrganizationApiKeys({ organizationId: SEED_ORGANIZATION_IDS.globex })).data.map((key) => key.name)).toEqual([
      'Globex',
    ]);
    await running.control.reset();
    expect((await apiKeys.createValidation({ value: globex.value })).apiKey).toBeNull();
  });
});
