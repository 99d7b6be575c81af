/**
 * The organization name (inside the session panel) and the switcher. Both wait
 * on the membership list, a WorkOS call on a cache miss, so each streams in its
 * own Suspense boundary (see dashboard-view.tsx). When that call fails, each
 * says so in its own place and the rest of the page stays as it is.
 */
import { switchOrganizationAction } from '@/lib/features/organizations/actions';
import type { OrganizationChoice } from '@/lib/features/organizations/organizations';
import type { PanelData } from '@/lib/features/workos-reads';
import { Card, Unavailable } from './ui';

export type OrganizationsData = Promise<PanelData<OrganizationChoice[]>>;

export async function OrganizationName({ organizations, organizationId }: { organizations: OrganizationsData; organizationId: string }) {
  const loaded = await organizations;
  if (!loaded.ok) return <span className="text-ink-muted">Name unavailable</span>;
  const current = loaded.value.find((organization) => organization.id === organizationId);
  return <>{current?.name ?? 'Unknown organization'}</>;
}

export async function OrganizationSwitcher({
  organizations: pending,
  currentId,
}: {
  organizations: OrganizationsData;
  currentId: string | undefined;
}) {
  const loaded = await pending;
  if (!loaded.ok) {
    return (
      <Card title="Organizations">
        <Unavailable what="your organizations" />
      </Card>
    );
  }
  const organizations = loaded.value;
  if (organizations.length <= 1) return null;
  return (
    <Card title="Organizations">
      <form action={switchOrganizationAction} className="flex flex-wrap items-end gap-3">
        <div className="flex flex-col gap-1">
          <label htmlFor="organizationId" className="text-sm font-medium">
            Organization
          </label>
          <select
            id="organizationId"
            name="organizationId"
            defaultValue={currentId}
            className="rounded-md border border-gray-300 bg-white px-3 py-2 text-sm"
          >
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
