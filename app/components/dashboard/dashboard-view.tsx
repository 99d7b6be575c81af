/**
 * The dashboard's markup, given the data the page loaded (app/dashboard/page.tsx),
 * one component per panel in this folder.
 *
 * Only what waits on WorkOS streams: the organization list and the session
 * list are WorkOS calls on a cache miss (once per user per minute, up to the
 * 4 s request timeout), so the organization name, the switcher and the session
 * list render inside their own Suspense boundaries. Everything else is in the
 * first flush. Those reads never reject (lib/features/workos-reads.ts): a
 * failed, slow or oddly-shaped answer shows a line in its own panel, never the
 * page's error boundary after the 200 has been sent. A page-level loading.tsx
 * used to hold the whole dashboard behind one boundary, and React reveals a
 * streamed boundary no sooner than the next animation frame (up to 300 ms
 * after a previous reveal): Lighthouse counted that as LCP render delay
 * (docs/performance.md).
 */
import Link from 'next/link';
import { Suspense } from 'react';
import { PERMISSIONS } from '@/lib/permissions';
import { hasPermission, type AppSession } from '@/lib/auth';
import type { SessionsNotice } from '@/lib/features/sessions/notices';
import type { ConnectedProviderState } from '@/lib/features/provider-tokens/provider-tokens';
import type { SignInContext } from '@/lib/features/sign-in-context/sign-in-context';
import { AccountPanel } from './account-panel';
import { ActiveSessionsPanel, type SessionsData } from './active-sessions-panel';
import { ConnectedAccountPanel } from './connected-account-panel';
import { OrganizationName, OrganizationSwitcher, type OrganizationsData } from './organization-panels';
import { SessionPanel } from './session-panel';
import { SignInContextNotice } from './sign-in-context-notice';

export interface DashboardViewProps {
  session: AppSession;
  /** Not awaited by the page: only the parts that show organizations wait for it. */
  organizations: OrganizationsData;
  /** Not awaited by the page: only the session list waits for it. */
  sessions: SessionsData;
  provider: ConnectedProviderState;
  signInContext: SignInContext | null;
  /** What an action reported back (a failed organization switch or refresh). */
  notice: string | undefined;
  sessionsNotice: SessionsNotice | undefined;
}

export function DashboardView({ session, organizations, sessions, provider, signInContext, notice, sessionsNotice }: DashboardViewProps) {
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <h1 className="text-3xl font-bold tracking-tight">Dashboard</h1>
        <div className="flex gap-4">
          <Link href="/dashboard/api-access" className="font-medium text-brand-700 underline">
            API access
          </Link>
          {hasPermission(session, PERMISSIONS.manageUsers) ? (
            <Link href="/dashboard/admin" className="font-medium text-brand-700 underline">
              Admin area
            </Link>
          ) : null}
        </div>
      </div>

      {notice ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900">
          {notice}
        </p>
      ) : null}

      <SignInContextNotice context={signInContext} />
      <AccountPanel user={session.user} />
      <SessionPanel
        session={session}
        organizationName={
          session.organizationId ? (
            <Suspense fallback={<span className="text-ink-muted">Loading…</span>}>
              <OrganizationName organizations={organizations} organizationId={session.organizationId} />
            </Suspense>
          ) : null
        }
      />
      <Suspense fallback={null}>
        <OrganizationSwitcher organizations={organizations} currentId={session.organizationId} />
      </Suspense>
      <ActiveSessionsPanel sessions={sessions} notice={sessionsNotice} impersonating={Boolean(session.impersonator)} />
      <ConnectedAccountPanel provider={provider} />
    </div>
  );
}
