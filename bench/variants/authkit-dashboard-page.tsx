/**
 * Peer (k) of `npm run bench`: app/dashboard/page.tsx in a temporary copy of
 * the repo. The plain pattern authkit-nextjs' README documents — the page reads
 * the session with `withAuth({ ensureSignedIn: true })` behind `authkitProxy()`
 * (bench/variants/authkit-proxy.ts) — rendering the same DashboardView markup
 * with the user and claims it returned, the rest from the fixture.
 */
import { withAuth } from '@workos-inc/authkit-nextjs';
import type { Metadata } from 'next';
import { DashboardView } from '@/app/components/dashboard/dashboard-view';
import { BENCH_FIXTURE } from '@/bench/variants/fixture';

export const metadata: Metadata = { title: 'Dashboard' };

export default async function DashboardPage() {
  const auth = await withAuth({ ensureSignedIn: true });
  const session = {
    ...BENCH_FIXTURE.session,
    user: auth.user,
    sessionId: auth.sessionId,
    organizationId: auth.organizationId,
    role: auth.role,
    roles: auth.roles ?? (auth.role ? [auth.role] : []),
    permissions: auth.permissions ?? [],
    entitlements: auth.entitlements ?? [],
    featureFlags: auth.featureFlags ?? [],
    impersonator: auth.impersonator,
  };
  return (
    <DashboardView
      {...BENCH_FIXTURE}
      session={session}
      notice={undefined}
      organizations={Promise.resolve({ ok: true, value: BENCH_FIXTURE.organizations })} // demo:line organizations
      // demo:start sessions
      sessions={Promise.resolve({ ok: true, value: BENCH_FIXTURE.sessions })}
      sessionsNotice={undefined}
      // demo:end sessions
    />
  );
}
