/**
 * The organization name (inside the session panel) and the switcher. Both wait
 * on the membership list, a WorkOS call on a cache miss, so each streams in its
 * own Suspense boundary (see dashboard-view.tsx).
 */
import { switchOrganizationAction } from '@/lib/features/organizations/actions';
import type { OrganizationChoice } from '@/lib/features/organizations/organizations';
import { Card } from './ui';

export async function OrganizationName({ organizations, organizationId }: { organizations: Promise<OrganizationChoice[]>; organizationId: string }) {
  const current = (await organizations).find((organization) => organization.id === organizationId);
  return <>{current?.name ?? 'Unknown organization'}</>;
}

export async function OrganizationSwitcher({ organizations: pending, currentId }: { organizations: Promise<OrganizationChoice[]>; currentId: string | undefined }) {
  const organizations = await pending;
  if (organizations.length <= 1) return null;
  return (
    <Card title="Organizations">
      <form action={switchOrganizationAction} className="flex flex-wrap items-end gap-3">
        <div className="flex flex-col gap-1">
          <label htmlFor="organizationId" className="text-sm font-medium">
            Organization
          </label>
          <select id="organizationId" name="organizationId" defaultValue={currentId} className="rounded-md border border-gray-300 bg-white px-3 py-2 text-sm">
            {organizations.map((organization) => (
              <option key={organization.id} value={organization.id}>
                {organization.name} ({organization.role})
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="rounded-md bg-brand-600 px-3 py-2 text-sm font-medium text-white hover:bg-brand-700">
          Switch organization
        </button>
      </form>
    </Card>
  );
}
