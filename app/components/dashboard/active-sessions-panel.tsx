/**
 * The user's active sessions (every browser or device signed in) and "Sign out
 * of other sessions". The list is a WorkOS call on a cache miss, so the panel
 * streams in its own Suspense boundary (dashboard-view.tsx) and says so itself
 * when the call fails.
 */
import { Suspense } from 'react';
import { signOutOtherSessionsAction } from '@/lib/features/sessions/actions';
import { SESSIONS_NOTICES, type SessionsNotice } from '@/lib/features/sessions/notices';
import type { ActiveSession } from '@/lib/features/sessions/sessions';
import { STEP_UP_MAX_AGE_SECONDS } from '@/lib/auth';
import type { PanelData } from '@/lib/features/workos-reads';
import { RecentSignInNotice } from './recent-sign-in-notice';
import { Timestamp } from './timestamp';
import { Card, Field, Unavailable } from './ui';

export type SessionsData = Promise<PanelData<ActiveSession[]>>;

export function ActiveSessionsPanel({
  sessions,
  notice,
  impersonating,
}: {
  sessions: SessionsData;
  notice: SessionsNotice | undefined;
  impersonating: boolean;
}) {
  return (
    <Card title="Active sessions">
      {notice ? <Notice notice={notice} /> : null}
      <Suspense fallback={<p className="text-sm text-ink-muted">Loading…</p>}>
        <SessionList sessions={sessions} impersonating={impersonating} />
      </Suspense>
    </Card>
  );
}

const NOTICE_STYLE = {
  success: { role: 'status', className: 'border-green-200 bg-green-50 text-green-900' },
  error: { role: 'alert', className: 'border-red-200 bg-red-50 text-red-900' },
} as const;

function Notice({ notice }: { notice: SessionsNotice }) {
  const { tone, text } = SESSIONS_NOTICES[notice];
  const { role, className } = NOTICE_STYLE[tone];
  return (
    <p role={role} className={`mb-3 rounded-md border px-3 py-2 text-sm ${className}`}>
      {text}
    </p>
  );
}

/** Sessions listed before the rest fold under "Show N older sessions". */
const SHOWN_SESSIONS = 5;

async function SessionList({ sessions: pending, impersonating }: { sessions: SessionsData; impersonating: boolean }) {
  const loaded = await pending;
  if (!loaded.ok) return <Unavailable what="your sessions" />;
  // Listed this browser's first, then the most recently active (sessions.ts).
  const sessions = loaded.value;
  const older = sessions.slice(SHOWN_SESSIONS);
  const others = sessions.filter((session) => !session.current).length;
  return (
    <>
      <SessionItems sessions={sessions.slice(0, SHOWN_SESSIONS)} />
      {older.length > 0 ? (
        <details className="mt-2">
          <summary className="cursor-pointer text-sm font-medium text-brand-700">
            Show {older.length} older {older.length === 1 ? 'session' : 'sessions'}
          </summary>
          <SessionItems sessions={older} />
        </details>
      ) : null}
      {others === 0 ? (
        <p className="mt-3 text-sm text-ink-muted">No other sessions.</p>
      ) : impersonating ? (
        <p className="mt-3 text-sm text-ink-muted">While impersonating, the user&apos;s other sessions are left alone.</p>
      ) : (
        <form action={signOutOtherSessionsAction} className="mt-4">
          <button type="submit" className="rounded-md border border-gray-300 px-3 py-2 text-sm font-medium hover:bg-gray-100">
            Sign out of other sessions
          </button>
          <RecentSignInNotice maxAge={STEP_UP_MAX_AGE_SECONDS} action="sign out of other sessions" />
        </form>
      )}
    </>
  );
}

function SessionItems({ sessions }: { sessions: ActiveSession[] }) {
  return (
    <ul className="divide-y divide-gray-200">
      {sessions.map((session) => (
        <li key={session.id} data-testid="active-session" className="py-3 first:pt-0">
          <p className="flex flex-wrap items-center gap-2 text-sm font-medium">
            <span title={session.userAgent ?? undefined}>{session.device}</span>
            {session.current ? <span className="rounded bg-brand-50 px-2 py-0.5 text-xs text-brand-800">This browser</span> : null}
          </p>
          <dl>
            <Field label="Last active" testId="session-last-active">
              <Timestamp value={session.lastActiveAt} />
            </Field>
            <Field label="Signed in" testId="session-created">
              <Timestamp value={session.createdAt} />
            </Field>
            <Field label="IP address" testId="session-ip">
              {session.ipAddress ?? <span className="text-ink-muted">Unknown</span>}
            </Field>
            <Field label="Method" testId="session-method">
              {session.authMethod}
            </Field>
          </dl>
        </li>
      ))}
    </ul>
  );
}
