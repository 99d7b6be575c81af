import type { Metadata } from 'next';
import { OrganizationAdmin } from '@/app/components/admin/organization-admin'; // demo:line members
import { RecentEventsPanel } from '@/app/components/admin/recent-events-panel'; // demo:line webhooks
import { ApiKeysPanel } from '@/app/components/dashboard/api-keys-panel'; // demo:line api-keys
import { API_KEY_NOTICE_PARAM, readApiKeyNotice } from '@/lib/features/api-keys/notices'; // demo:line api-keys
import { PERMISSIONS } from '@/lib/permissions';
import { requirePermission } from '@/lib/auth';

export const metadata: Metadata = { title: 'Admin' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>; // demo:line api-keys

export default async function AdminPage(
  { searchParams }: { searchParams: SearchParams }, // demo:line api-keys
) {
  const session = await requirePermission(PERMISSIONS.manageUsers);
  const query = await searchParams; // demo:line api-keys
  const notice = readApiKeyNotice(query[API_KEY_NOTICE_PARAM]); // demo:line api-keys
  return (
    <section aria-labelledby="admin-title" className="space-y-4">
      <h1 id="admin-title" className="text-3xl font-bold tracking-tight">
        Admin area
      </h1>
      <p className="text-ink-muted">
        Only members whose role grants <code className="font-mono">{PERMISSIONS.manageUsers}</code> see this page. You are signed in as{' '}
        <strong>{session.user.email}</strong> with the role <strong>{session.role ?? 'none'}</strong>.
      </p>
      {/* demo:start members */}
      {session.organizationId ? <OrganizationAdmin session={session} organizationId={session.organizationId} query={query} /> : null}
      {/* demo:end members */}
      {/* demo:start webhooks */}
      {session.organizationId ? <RecentEventsPanel organizationId={session.organizationId} /> : null}
      {/* demo:end webhooks */}
      {/* demo:start api-keys */}
      <ApiKeysPanel session={session} notice={notice} />
      {/* demo:end api-keys */}
    </section>
  );
}
