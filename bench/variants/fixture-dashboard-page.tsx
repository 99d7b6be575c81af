/**
 * Peers (a) and (n) of `npm run bench`: app/dashboard/page.tsx in a temporary
 * copy of the repo. The same DashboardView markup as the real dashboard, from
 * fixed data, reading no session — what the page costs without authentication.
 */
import type { Metadata } from 'next';
import { connection } from 'next/server';
import { DashboardView } from '@/app/components/dashboard/dashboard-view';
import { BENCH_FIXTURE } from '@/bench/variants/fixture';

export const metadata: Metadata = { title: 'Dashboard' };

export default async function DashboardPage() {
  // Rendered per request, like the real page (never prerendered at build time).
  await connection();
  return (
    <DashboardView
      {...BENCH_FIXTURE}
      notice={undefined}
      organizations={Promise.resolve({ ok: true, value: BENCH_FIXTURE.organizations })} // demo:line organizations
      // demo:start sessions
      sessions={Promise.resolve({ ok: true, value: BENCH_FIXTURE.sessions })}
      sessionsNotice={undefined}
      // demo:end sessions
    />
  );
}
