/**
 * WorkOS reads a page can do without: memberships, sessions, … Each one feeds
 * one dashboard panel, so a failed, slow (past the SDK's 4 s timeout) or
 * oddly-shaped answer (the adapter checks each answer's fields:
 * UnexpectedWorkOSAnswerError) must cost that panel, not the page.
 *
 * {@link readForPanel} turns the read into a value that never rejects. A
 * rejected promise inside a streamed Suspense boundary would reach the page's
 * error boundary after the 200 was sent; a panel instead renders its own
 * "couldn't load" line from `{ ok: false }`.
 */
import 'server-only';

import { describeError, logAuthEvent, UnexpectedWorkOSAnswerError } from '@/lib/auth';

/** What a panel gets: the value, or that it could not be loaded (the reason is in the log). */
export type PanelData<T> = { ok: true; value: T } | { ok: false };

/** Runs a read for one panel: its value, or `{ ok: false }` with one log line. */
export async function readForPanel<T>(read: string, userId: string, load: () => Promise<T>): Promise<PanelData<T>> {
  try {
    return { ok: true, value: await load() };
  } catch (error) {
    logAuthEvent({
      event: 'workos_read_failed',
      read,
      userId,
      reason: describeError(error),
      ...(error instanceof UnexpectedWorkOSAnswerError ? { fields: error.fields } : {}),
    });
    return { ok: false };
  }
}
