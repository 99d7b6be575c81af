/**
 * Benchmark control page — not part of the template in normal use.
 *
 * `npm run bench` compares the signed-in dashboard (through the proxy, session
 * verified and read) with this page: the same dashboard markup rendered from
 * fixed data, outside the proxy matcher (see proxy.ts), reading no session.
 * The difference is what authentication costs per request.
 *
 * It 404s unless the server was started with BENCH_CONTROL_ROUTE=1.
 */
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { DashboardView } from '../components/dashboard/dashboard-view';
import { BENCH_FIXTURE, isBenchControlRouteEnabled } from './fixture';

export const metadata: Metadata = { title: 'Dashboard', robots: { index: false, follow: false } };

export default async function BenchControlPage() {
  // Decide per request, from the runtime environment (never prerendered as a 404 at build time).
  await connection();
  if (!isBenchControlRouteEnabled()) notFound();
  return <DashboardView {...BENCH_FIXTURE} organizations={Promise.resolve(BENCH_FIXTURE.organizations)} switchMessage={undefined} />;
}
