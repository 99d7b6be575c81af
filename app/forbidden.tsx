import type { Metadata } from 'next';
import Link from 'next/link';

export const metadata: Metadata = { title: 'Access denied' };

// Rendered with status 403 when a page calls forbidden() (see requirePermission).
export default function Forbidden() {
  return (
    <section aria-labelledby="forbidden-title" className="space-y-4">
      <h1 id="forbidden-title" className="text-2xl font-bold">
        You don’t have access to this page
      </h1>
      <p className="text-ink-muted">
        Your role in this organization does not include the permission this page needs. Ask an administrator, or switch to an organization
        where you have it.
      </p>
      <Link href="/dashboard" className="font-medium text-brand-700 underline">
        Back to the dashboard
      </Link>
    </section>
  );
}
