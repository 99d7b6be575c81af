/**
 * Phase 1 → 3 — the app's own state, carried through AuthKit.
 *
 * authkit-nextjs seals `state` (together with the PKCE verifier and return
 * path) into the OAuth `state` parameter, so it comes back tamper-proof. We
 * still validate it on the way back: the shape is ours to version, and a stale
 * deploy may send an old shape.
 */
import { z } from 'zod';
import { sanitizeReturnTo } from '@/lib/auth';

/** Bytes of serialised custom state we are willing to put in a URL and a cookie. */
export const MAX_CUSTOM_STATE_BYTES = 512;

/** Characters of `startedFrom` we keep; a safe path can be up to 2048 (see return-to.ts). */
const MAX_STARTED_FROM_LENGTH = 256;

const customStateSchema = z.object({
  v: z.literal(1),
  /** The page the person was on when they chose to sign in or sign up. */
  startedFrom: z.string().max(MAX_STARTED_FROM_LENGTH),
  intent: z.enum(['sign-in', 'sign-up']),
  /** Epoch milliseconds when the flow started. The dashboard does not show it; a timing metric could use it. */
  startedAt: z.number().int().nonnegative(),
});

export type CustomState = z.infer<typeof customStateSchema>;

export class CustomStateTooLargeError extends Error {
  constructor(bytes: number) {
    super(`Custom state is ${bytes} bytes; the limit is ${MAX_CUSTOM_STATE_BYTES}.`);
    this.name = 'CustomStateTooLargeError';
  }
}

/**
 * A safe path short enough for the schema: a long one (search filters, UTM
 * tags) keeps only its pathname, or becomes `/`. Otherwise serializing would
 * throw and signing in from that page would fail.
 */
function startedFromOf(value: unknown): string {
  const path = sanitizeReturnTo(value, '/');
  if (path.length <= MAX_STARTED_FROM_LENGTH) return path;
  // Normalised by the URL parser, so the first `?` or `#` ends the pathname.
  const pathname = sanitizeReturnTo(path.split(/[?#]/, 1)[0], '/');
  return pathname.length <= MAX_STARTED_FROM_LENGTH ? pathname : '/';
}

export function createCustomState(input: { startedFrom: unknown; intent: CustomState['intent']; now?: number }): CustomState {
  return {
    v: 1,
    startedFrom: startedFromOf(input.startedFrom),
    intent: input.intent,
    startedAt: input.now ?? Date.now(),
  };
}

export function serializeCustomState(state: CustomState): string {
  const json = JSON.stringify(customStateSchema.parse(state));
  const bytes = new TextEncoder().encode(json).length;
  if (bytes > MAX_CUSTOM_STATE_BYTES) throw new CustomStateTooLargeError(bytes);
  return json;
}

/** Returns the state, or `undefined` for anything missing, oversized, malformed or of another shape. */
export function parseCustomState(raw: unknown): CustomState | undefined {
  if (typeof raw !== 'string' || raw.length === 0 || new TextEncoder().encode(raw).length > MAX_CUSTOM_STATE_BYTES) {
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const result = customStateSchema.safeParse(json);
  if (!result.success) return undefined;
  // Re-sanitise: a path is only trusted after it has passed the same guard as returnTo.
  return { ...result.data, startedFrom: sanitizeReturnTo(result.data.startedFrom, '/') };
}
