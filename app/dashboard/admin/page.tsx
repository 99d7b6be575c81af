import type { Metadata } from 'next';
import { ApiKeysPanel } from '@/app/components/dashboard/api-keys-panel';
import { API_KEY_NOTICE_PARAM, readApiKeyNotice } from '@/lib/features/api-keys/notices';
import { PERMISSIONS } from '@/lib/permissions';
import { requirePermission } from '@/lib/auth';

export const metadata: Metadata = { title: 'Admin' };

export default async function AdminPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const session = await requirePermission(PERMISSIONS.manageUsers);
  const notice = readApiKeyNotice((await searchParams)[API_KEY_NOTICE_PARAM]);
  return (
    <section aria-labelledby="admin-title" className="space-y-4">
      <h1 id="admin-title" className="text-3xl font-bold tracking-tight">
        Admin area
      </h1>
      <p className="text-ink-muted">
        Only members whose role grants <code className="font-mono">{PERMISSIONS.manageUsers}</code> see this page. You are signed in as{' '}
        <strong>{session.user.email}</strong> with the role <strong>{session.role ?? 'none'}</strong>.
      </p>
      <ApiKeysPanel session={session} notice={notice} />
    </section>
  );
}
