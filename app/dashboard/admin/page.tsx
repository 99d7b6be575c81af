import type { Metadata } from 'next';
import { OrganizationAdmin } from '@/app/components/admin/organization-admin';
import { PERMISSIONS } from '@/lib/permissions';
import { requirePermission } from '@/lib/auth';

export const metadata: Metadata = { title: 'Admin' };

export default async function AdminPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const session = await requirePermission(PERMISSIONS.manageUsers);
  return (
    <section aria-labelledby="admin-title" className="space-y-4">
      <h1 id="admin-title" className="text-3xl font-bold tracking-tight">
        Admin area
      </h1>
      <p className="text-ink-muted">
        Only members whose role grants <code className="font-mono">{PERMISSIONS.manageUsers}</code> see this page. You are signed in as{' '}
        <strong>{session.user.email}</strong> with the role <strong>{session.role ?? 'none'}</strong>.
      </p>
      {session.organizationId ? (
        <OrganizationAdmin session={session} organizationId={session.organizationId} query={await searchParams} />
      ) : null}
    </section>
  );
}
