/**
 * WorkOS reads a page can do without: memberships, sessions, … Each one feeds
 * one dashboard panel, so a failed, slow (past the SDK's 4 s timeout) or
 * oddly-shaped answer must cost that panel, not the page.
 *
 * - {@link parseWorkOSAnswer}: the SDK deserialises without checking, so a
 *   missing field arrives as `undefined` and fails far from the cause
 *   (`localeCompare` of undefined took the whole dashboard down). Each feature
 *   checks the fields it uses with a schema, right where the answer arrives.
 * - {@link readForPanel}: turns the read into a value that never rejects. A
 *   rejected promise inside a streamed Suspense boundary would reach the page's
 *   error boundary after the 200 was sent; a panel instead renders its own
 *   "couldn't load" line from `{ ok: false }`.
 */
import 'server-only';

import type { z } from 'zod';
import { describeError, logAuthEvent } from '@/lib/auth/errors/log';

/** What a panel gets: the value, or that it could not be loaded (the reason is in the log). */
export type PanelData<T> = { ok: true; value: T } | { ok: false };

/** WorkOS answered, but not with the shape the app relies on. */
export class UnexpectedWorkOSAnswerError extends Error {
  readonly code = 'unexpected_answer';
  /** Where the answer differed (`data.0.organizationName`), for the log: field paths, never values. */
  readonly fields: string[];

  constructor(read: string, fields: string[]) {
    super(`WorkOS answered ${read} with an unexpected shape at ${fields.join(', ')}`);
    this.name = 'UnexpectedWorkOSAnswerError';
    this.fields = fields;
  }
}

/** The answer, typed by `schema`, or an {@link UnexpectedWorkOSAnswerError} naming the fields that differ. */
export function parseWorkOSAnswer<Schema extends z.ZodType>(read: string, schema: Schema, answer: unknown): z.infer<Schema> {
  const result = schema.safeParse(answer);
  if (result.success) return result.data;
  const fields = [...new Set(result.error.issues.map((issue) => issue.path.map(String).join('.') || '(root)'))];
  throw new UnexpectedWorkOSAnswerError(read, fields);
}

/** Runs `load` and never rejects: any failure is logged and becomes `{ ok: false }`. */
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
