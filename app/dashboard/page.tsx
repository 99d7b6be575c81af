import type { Metadata } from 'next';
import { DashboardView } from '@/app/components/dashboard/dashboard-view';
import { requireSession } from '@/lib/auth/session';
import { listOrganizationsForUser } from '@/lib/features/organizations/organizations';
import { getConnectedProvider } from '@/lib/features/provider-tokens/provider-tokens';
import { readSignInContext } from '@/lib/features/sign-in-context/sign-in-context';

export const metadata: Metadata = { title: 'Dashboard' };

const SWITCH_MESSAGES: Record<string, string> = {
  refused: 'You are not a member of that organization.',
  failed: 'The organization could not be switched. Try again.',
};

export default async function DashboardPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const session = await requireSession('/dashboard');
  // Not awaited here: it can be a WorkOS call, and only the organization parts of
  // the view wait for it (they stream). The no-op catch keeps a failure from
  // being an unhandled rejection before React subscribes; React still sees it.
  const organizations = listOrganizationsForUser(session.user.id);
  organizations.catch(() => {});
  const [provider, signInContext, query] = await Promise.all([
    getConnectedProvider(session.user.id),
    readSignInContext(),
    searchParams,
  ]);
  const switchMessage = typeof query.switch === 'string' ? SWITCH_MESSAGES[query.switch] : undefined;

  return (
    <DashboardView session={session} organizations={organizations} provider={provider} signInContext={signInContext} switchMessage={switchMessage} />
  );
}
