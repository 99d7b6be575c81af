/**
 * WorkOS webhooks, verified by the SDK and reshaped into the app's types.
 *
 * What the SDK does: `webhooks.constructEvent` checks the `WorkOS-Signature`
 * header against the raw body (HMAC-SHA256 with the endpoint's secret, compared
 * in constant time, the timestamp within a tolerance), then parses the event
 * into its own camelCase shapes; every failure is one SignatureVerificationException
 * told apart only by its message.
 * What we need: why a delivery was refused, as a code the route can answer
 * (missing, malformed, stale, wrong), and the handled events as the app's own
 * types, their fields checked (a changed payload is a refused delivery with the
 * fields named, never a crash). webhooks.test.ts pins the SDK's messages.
 * This file stays as long as the app receives webhooks: it is where their vendor shapes stop.
 */
import { SignatureVerificationException } from '@workos-inc/node';
import { z } from 'zod';
import { workos } from './client';
import { parseWorkOSAnswer } from './workos-api';

export type WebhookRefusal = 'missing_signature' | 'malformed_signature' | 'stale_timestamp' | 'invalid_signature' | 'malformed_event';

/** The delivery is not one the app can trust or read. */
export class WebhookRejectedError extends Error {
  readonly reason: WebhookRefusal;

  constructor(reason: WebhookRefusal, detail: string) {
    super(detail);
    this.name = 'WebhookRejectedError';
    this.reason = reason;
  }
}

/** The SDK's messages (@workos-inc/node 10, signature-provider.ts) → why. */
function refusalOf(error: SignatureVerificationException): WebhookRefusal {
  if (error.message.includes('tolerance')) return 'stale_timestamp';
  if (error.message.includes('does not match')) return 'invalid_signature';
  return 'malformed_signature';
}

const timestamp = z.iso.datetime({ offset: true }).transform((value) => new Date(value));
const base = { id: z.string().min(1), createdAt: timestamp };
const user = z.object({ id: z.string().min(1), email: z.string() });
const membership = z.object({
  id: z.string().min(1),
  userId: z.string().min(1),
  organizationId: z.string().min(1),
  status: z.enum(['active', 'inactive', 'pending']),
  role: z.object({ slug: z.string().min(1) }).transform((role) => role.slug),
  updatedAt: timestamp,
});

const webhookEvent = z.discriminatedUnion('event', [
  z.object({ ...base, event: z.enum(['user.created', 'user.updated', 'user.deleted']), data: user }),
  z.object({
    ...base,
    event: z.enum(['organization_membership.created', 'organization_membership.updated', 'organization_membership.deleted']),
    data: membership,
  }),
  z.object({
    ...base,
    event: z.literal('invitation.accepted'),
    data: z.object({
      id: z.string().min(1),
      email: z.string(),
      organizationId: z.string().nullable(),
      acceptedUserId: z.string().nullish(),
    }),
  }),
  z.object({
    ...base,
    event: z.literal('session.revoked'),
    data: z.object({ id: z.string().min(1), userId: z.string().min(1), organizationId: z.string().nullish() }),
  }),
]);

/** The events the app reads, with the fields it uses. */
export type WebhookEvent = z.infer<typeof webhookEvent>;
export type WebhookEventType = WebhookEvent['event'];

export const WEBHOOK_EVENT_TYPES: readonly WebhookEventType[] = webhookEvent.options.flatMap((option) =>
  'options' in option.shape.event ? option.shape.event.options : [option.shape.event.value],
);

/** A verified delivery: an event the app reads, or another type (`event: null`) it was not subscribed to. */
export type VerifiedWebhook = { id: string; type: string; event: WebhookEvent | null };

/**
 * Verifies `payload` (the raw body, as received) against `signature` (the
 * `WorkOS-Signature` header) with the SDK, then reads it. Throws
 * WebhookRejectedError with the reason.
 */
export async function verifyWebhook(
  payload: string,
  signature: string | null,
  secret: string,
  toleranceMs: number,
): Promise<VerifiedWebhook> {
  if (!signature) throw new WebhookRejectedError('missing_signature', 'No WorkOS-Signature header.');
  let parsed: { id?: unknown; event?: unknown };
  try {
    parsed = (await workos().webhooks.constructEvent({ payload, sigHeader: signature, secret, tolerance: toleranceMs })) as typeof parsed;
  } catch (error) {
    if (error instanceof SignatureVerificationException) throw new WebhookRejectedError(refusalOf(error), error.message);
    // Signed right, but not JSON (or not an object the SDK can read).
    throw new WebhookRejectedError('malformed_event', 'The body is not a WorkOS event.');
  }
  const envelope = z.object({ id: z.string().min(1), event: z.string().min(1) }).safeParse(parsed);
  if (!envelope.success) throw new WebhookRejectedError('malformed_event', 'The body has no event id or type.');
  const { id, event: type } = envelope.data;
  if (!(WEBHOOK_EVENT_TYPES as readonly string[]).includes(type)) return { id, type, event: null };
  try {
    return { id, type, event: parseWorkOSAnswer(`webhook ${type}`, webhookEvent, parsed) };
  } catch (error) {
    throw new WebhookRejectedError('malformed_event', error instanceof Error ? error.message : String(error));
  }
}
