/**
 * How recently the user signed in, next to a sensitive action (step-up): checked on the server, with
 * the rule the action enforces (checkRecentAuth). Presentation only: the action checks again. (The
 * browser's view of the same, authkit's useRecentAuth(), is on /dashboard/api-access: it fetches the
 * access token into the page, which this panel does not need.)
 */
import { checkRecentAuth } from '@/lib/auth';
import { Timestamp } from './timestamp';

export async function RecentSignInNotice({ maxAge, action }: { maxAge: number; action: string }) {
  const { isStale, authenticatedAt } = await checkRecentAuth({ maxAge });
  return (
    <p className="mt-3 text-sm text-ink-muted" data-testid="recent-sign-in" data-stale={isStale ? 'true' : 'false'}>
      {authenticatedAt ? (
        <>
          You signed in <Timestamp value={authenticatedAt} />
        </>
      ) : (
        <>We don&apos;t know when you signed in</>
      )}
      {isStale
        ? `: to ${action}, you will be asked to sign in again first.`
        : `: you can ${action} without signing in again for up to ${maxAge / 60} minutes after signing in.`}
    </p>
  );
}
