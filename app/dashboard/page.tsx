import type { Metadata } from 'next';
import { DashboardView } from '@/app/components/dashboard/dashboard-view';
import { parseReferenceId, requireSession } from '@/lib/auth';
import { listOrganizationsForUser } from '@/lib/features/organizations/organizations'; // demo:line organizations
import { getConnectedProvider } from '@/lib/features/provider-tokens/provider-tokens'; // demo:line provider-tokens
import { SESSIONS_NOTICE_PARAM, readSessionsNotice } from '@/lib/features/sessions/notices'; // demo:line sessions
import { listActiveSessions } from '@/lib/features/sessions/sessions'; // demo:line sessions
import { readSignInContext } from '@/lib/features/sign-in-context/sign-in-context'; // demo:line sign-in-context
import { readForPanel } from '@/lib/features/workos-reads'; // demo:line workos-reads

export const metadata: Metadata = { title: 'Dashboard' };

// What an action reports back (`?<action>=<outcome>`, with `&ref=` when it logged the failure).
// A Map, not an object literal: `?refresh=toString` must find nothing, not Object.prototype.toString.
const NOTICES = new Map([
  // demo:start organizations
  ['switch=refused', 'You are not a member of that organization.'],
  ['switch=failed', 'The organization could not be switched. Try again.'],
  // demo:end organizations
  ['refresh=failed', 'Your session could not be refreshed right now. Try again in a moment.'],
]);
const NOTICE_PARAMS = [
  'switch', // demo:line organizations
  'refresh',
];

export default async function DashboardPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const session = await requireSession();
  // demo:start workos-reads
  // Started here, awaited where they are used: the cookie and Redis reads run at once. The WorkOS
  // reads are not awaited at all: only the panels that show them wait (they stream). They never
  // reject: a failure is `{ ok: false }`, which its panel shows as "couldn't load" while the rest
  // of the page renders.
  // demo:end workos-reads
  // demo:start organizations
  const organizations = readForPanel('list_organization_memberships', session.user.id, () => listOrganizationsForUser(session.user.id));
  // demo:end organizations
  const sessions = readForPanel('list_sessions', session.user.id, () => listActiveSessions(session)); // demo:line sessions
  const provider = getConnectedProvider(session.user.id); // demo:line provider-tokens
  const signInContext = readSignInContext(session.user.id); // demo:line sign-in-context
  const query = await searchParams;
  const notice = NOTICE_PARAMS.map((name) => NOTICES.get(`${name}=${query[name]}`)).find(Boolean);
  const reference = parseReferenceId(query.ref);

  return (
    <DashboardView
      session={session}
      notice={notice && reference ? `${notice} (Reference: ${reference})` : notice}
      organizations={organizations} // demo:line organizations
      // demo:start sessions
      sessions={sessions}
      sessionsNotice={readSessionsNotice(query[SESSIONS_NOTICE_PARAM])}
      // demo:end sessions
      provider={await provider} // demo:line provider-tokens
      signInContext={await signInContext} // demo:line sign-in-context
    />
  );
}
