/** The membership list with the real SDK against the mock WorkOS: checked where it arrives, cached only when good. */
import { describe, expect, it, vi } from 'vitest';
import { SEED_ORGANIZATION_IDS, SEED_USER_IDS } from '@/e2e/mock-workos/seed';
import { useRunningMock } from '@/e2e/mock-workos/test-helpers';
import { UnexpectedWorkOSAnswerError } from '@/lib/auth';
import { listOrganizationsForUser } from './organizations';

const running = useRunningMock();

vi.mock('@/lib/auth/authkit/client', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  workos: () => running.workos,
}));

describe('listOrganizationsForUser', () => {
  it('rejects items without organization_name as an unexpected answer (no localeCompare of undefined), caches nothing, then lists by name', async () => {
    const userId = SEED_USER_IDS.multiOrg;
    await running.control.injectFault({
      endpoint: 'list_organization_memberships',
      match: { userId },
      action: { type: 'alter_fields', omit: ['data[].organization_name'] },
    });

    const failure = listOrganizationsForUser(userId);
    await expect(failure).rejects.toBeInstanceOf(UnexpectedWorkOSAnswerError);
    await expect(failure).rejects.toMatchObject({ fields: ['data.0.organizationName', 'data.1.organizationName'] });

    expect(await listOrganizationsForUser(userId)).toEqual([
      { id: SEED_ORGANIZATION_IDS.acme, name: 'Acme', role: 'member' },
      { id: SEED_ORGANIZATION_IDS.globex, name: 'Globex', role: 'admin' },
    ]);
    expect(await running.control.requests({ userId, endpoint: 'list_organization_memberships' })).toHaveLength(2);
  });

  it('makes one WorkOS call for requests that miss at once (a page under load when the minute is up)', async () => {
    const userId = SEED_USER_IDS.member;
    const lists = await Promise.all(Array.from({ length: 8 }, () => listOrganizationsForUser(userId)));
    expect(new Set(lists.map((list) => JSON.stringify(list))).size).toBe(1);
    expect(lists[0]).toEqual([{ id: SEED_ORGANIZATION_IDS.acme, name: 'Acme', role: 'member' }]);
    expect(await running.control.requests({ userId, endpoint: 'list_organization_memberships' })).toHaveLength(1);
  });
});
