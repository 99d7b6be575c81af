'use server';

/** Server action behind the dashboard's "Sign out of other sessions". */
import { redirect } from 'next/navigation';
import { requireRecentAuth, requireSession, STEP_UP_MAX_AGE_SECONDS } from '@/lib/auth';
import { revokeOtherSessions } from './sessions';
import { SESSIONS_NOTICE_PARAM, type SessionsNotice } from './notices';

export async function signOutOtherSessionsAction(): Promise<void> {
  let session = await requireSession();
  let notice: SessionsNotice;
  if (session.impersonator) redirect(`/dashboard?${SESSIONS_NOTICE_PARAM}=impersonating`);
  // Step-up, enforced here whatever the page showed: a sign-in older than 10 minutes (or of unknown
  // age) signs in again first (max_age), and comes back to the dashboard to do it.
  session = await requireRecentAuth({ maxAge: STEP_UP_MAX_AGE_SECONDS });
  try {
    const { failed } = await revokeOtherSessions(session);
    notice = failed === 0 ? 'signed-out' : 'partly';
  } catch {
    notice = 'failed';
  }
  redirect(`/dashboard?${SESSIONS_NOTICE_PARAM}=${notice}`);
}
