import type { Metadata } from 'next';
import { DashboardView } from '@/app/components/dashboard/dashboard-view';
import { parseReferenceId, requireSession } from '@/lib/auth';
import { listOrganizationsForUser } from '@/lib/features/organizations/organizations';
import { getConnectedProvider } from '@/lib/features/provider-tokens/provider-tokens';
import { SESSIONS_NOTICE_PARAM, readSessionsNotice } from '@/lib/features/sessions/notices';
import { listActiveSessions } from '@/lib/features/sessions/sessions';
import { readSignInContext } from '@/lib/features/sign-in-context/sign-in-context';
import { readForPanel } from '@/lib/features/workos-reads';

export const metadata: Metadata = { title: 'Dashboard' };

// What an action reports back (`?switch=…`, `?refresh=…`, with `&ref=` when it logged the failure).
// A Map, not an object literal: `?switch=toString` must find nothing, not Object.prototype.toString.
const NOTICES = new Map([
  ['switch=refused', 'You are not a member of that organization.'],
  ['switch=failed', 'The organization could not be switched. Try again.'],
  ['refresh=failed', 'Your session could not be refreshed right now. Try again in a moment.'],
]);

export default async function DashboardPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const session = await requireSession();
  // Not awaited here: WorkOS calls on a cache miss, and only the panels that show
  // them wait (they stream). They never reject: a failure is `{ ok: false }`,
  // which its panel shows as "couldn't load" while the rest of the page renders.
  const organizations = readForPanel('list_organization_memberships', session.user.id, () => listOrganizationsForUser(session.user.id));
  const sessions = readForPanel('list_sessions', session.user.id, () => listActiveSessions(session));
  const [provider, signInContext, query] = await Promise.all([
    getConnectedProvider(session.user.id),
    readSignInContext(session.user.id),
    searchParams,
  ]);
  const notice = ['switch', 'refresh'].map((name) => NOTICES.get(`${name}=${query[name]}`)).find(Boolean);
  const reference = parseReferenceId(query.ref);

  return (
    <DashboardView
      session={session}
      organizations={organizations}
      sessions={sessions}
      provider={provider}
      signInContext={signInContext}
      notice={notice && reference ? `${notice} (Reference: ${reference})` : notice}
      sessionsNotice={readSessionsNotice(query[SESSIONS_NOTICE_PARAM])}
    />
  );
}
