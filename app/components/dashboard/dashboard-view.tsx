/**
 * The dashboard's markup, given the data the page loaded (app/dashboard/page.tsx),
 * one component per panel in this folder.
 * demo:start workos-reads
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
 * demo:end workos-reads
 */
import Link from 'next/link';
import { Suspense } from 'react'; // demo:line organizations
import { PERMISSIONS } from '@/lib/permissions';
import { WorkspacePrompt } from '@/app/workspace/workspace-prompt'; // demo:line workspace
import { hasPermission, type AppSession } from '@/lib/auth';
import type { SessionsNotice } from '@/lib/features/sessions/notices'; // demo:line sessions
import type { ConnectedProviderState } from '@/lib/features/provider-tokens/provider-tokens'; // demo:line provider-tokens
import type { SignInContext } from '@/lib/features/sign-in-context/sign-in-context'; // demo:line sign-in-context
import { AccountPanel } from './account-panel';
import { ActiveSessionsPanel, type SessionsData } from './active-sessions-panel'; // demo:line sessions
import { ConnectedAccountPanel } from './connected-account-panel'; // demo:line provider-tokens
import { OrganizationName, OrganizationSwitcher, type OrganizationsData } from './organization-panels'; // demo:line organizations
import { SessionPanel } from './session-panel';
import { SignInContextNotice } from './sign-in-context-notice'; // demo:line sign-in-context

export interface DashboardViewProps {
  session: AppSession;
  /** What an action reported back (a failed refresh, say). */
  notice: string | undefined;
  // demo:start organizations
  /** Not awaited by the page: only the parts that show organizations wait for it. */
  organizations: OrganizationsData;
  // demo:end organizations
  // demo:start sessions
  /** Not awaited by the page: only the session list waits for it. */
  sessions: SessionsData;
  sessionsNotice: SessionsNotice | undefined;
  // demo:end sessions
  provider: ConnectedProviderState; // demo:line provider-tokens
  signInContext: SignInContext | null; // demo:line sign-in-context
}

export function DashboardView({
  session,
  notice,
  organizations, // demo:line organizations
  sessions, // demo:line sessions
  sessionsNotice, // demo:line sessions
  provider, // demo:line provider-tokens
  signInContext, // demo:line sign-in-context
}: DashboardViewProps) {
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

      {/* demo:start workspace */}
      {session.organizationId ? null : <WorkspacePrompt />}
      {/* demo:end workspace */}
      {/* demo:start sign-in-context */}
      <SignInContextNotice context={signInContext} />
      {/* demo:end sign-in-context */}
      <AccountPanel user={session.user} />
      <SessionPanel
        session={session}
        // demo:start organizations
        organizationName={
          session.organizationId ? (
            <Suspense fallback={<span className="text-ink-muted">Loading…</span>}>
              <OrganizationName organizations={organizations} organizationId={session.organizationId} />
            </Suspense>
          ) : null
        }
        // demo:end organizations
      />
      {/* demo:start organizations */}
      <Suspense fallback={null}>
        <OrganizationSwitcher organizations={organizations} currentId={session.organizationId} />
      </Suspense>
      {/* demo:end organizations */}
      {/* demo:start sessions */}
      <ActiveSessionsPanel sessions={sessions} notice={sessionsNotice} impersonating={Boolean(session.impersonator)} />
      {/* demo:end sessions */}
      {/* demo:start provider-tokens */}
      <ConnectedAccountPanel provider={provider} />
      {/* demo:end provider-tokens */}
    </div>
  );
}
