/** What "Sign out of other sessions" reports back on the dashboard (`?sessions=…`). */
export const SESSIONS_NOTICE_PARAM = 'sessions';

export const SESSIONS_NOTICES = {
  'signed-out': { tone: 'success', text: 'Your other sessions are signed out.' },
  partly: { tone: 'error', text: 'Some of your other sessions could not be signed out. Try again.' },
  failed: { tone: 'error', text: 'Your other sessions could not be signed out. Try again.' },
  impersonating: { tone: 'error', text: 'Signing the user out of their other sessions is not available while impersonating.' },
} as const;

export type SessionsNotice = keyof typeof SESSIONS_NOTICES;

export function readSessionsNotice(value: unknown): SessionsNotice | undefined {
  return typeof value === 'string' && Object.hasOwn(SESSIONS_NOTICES, value) ? (value as SessionsNotice) : undefined;
}
