'use server';

/** Server action behind the dashboard's "Sign out of other sessions". */
import { redirect } from 'next/navigation';
import { requireSession } from '@/lib/auth';
import { revokeOtherSessions } from './sessions';
import { SESSIONS_NOTICE_PARAM, type SessionsNotice } from './notices';

export async function signOutOtherSessionsAction(): Promise<void> {
  const session = await requireSession();
  let notice: SessionsNotice;
  if (session.impersonator) redirect(`/dashboard?${SESSIONS_NOTICE_PARAM}=impersonating`);
  try {
    const { failed } = await revokeOtherSessions(session);
    notice = failed === 0 ? 'signed-out' : 'partly';
  } catch {
    notice = 'failed';
  }
  redirect(`/dashboard?${SESSIONS_NOTICE_PARAM}=${notice}`);
}
