/**
 * Demo feature: WorkOS webhooks, received at POST /api/webhooks/workos
 * (app/api/webhooks/workos/route.ts).
 *
 * Each delivery: the raw body and its `WorkOS-Signature` verified by the SDK
 * (HMAC with WORKOS_WEBHOOK_SECRET, constant-time, timestamp within 3 minutes:
 * lib/auth/authkit/webhooks.ts), then claimed by its event id (./store.ts) so
 * it is processed once, whatever WorkOS or anyone else sends again, then
 * processed: a line in the audit list and what the app must forget or refuse.
 * Nothing here calls WorkOS, so the 2xx comes back at once.
 *
 * Answers (JSON): 200 processed, or 200 `duplicate` for an event already
 * processed and delivered again (WorkOS stops retrying on any 2xx); otherwise
 * the exact refusal, never a 500: 503 without a secret configured, 413 body too
 * large, 400 no, unreadable or malformed signature or body, 401 a signature that
 * does not match or is older than the tolerance, 409 the very same request
 * again (a replay), 422 an event type this endpoint does not handle (subscribe
 * the endpoint to the handled ones only: WorkOS retries a 4xx).
 *
 * Deliveries may come out of order (WorkOS says so): the audit list is shown in
 * event time, and every effect below gives the same result in any order.
 */
import 'server-only';

import {
  addRevokedSession,
  logAuthEvent,
  revokedUntil,
  verifyWebhook,
  WEBHOOK_EVENT_TYPES,
  WebhookRejectedError,
  type WebhookEvent,
  type WebhookRefusal,
} from '@/lib/auth';
import { forgetOrganizationsOf } from '../organizations/organizations';
import type { AuditEntry, WebhookStore } from './store';

/** The SDK's default tolerance, written out: a signature older than this is refused (a captured request replayed later). */
const WEBHOOK_TOLERANCE_MS = 3 * 60_000;
/** WorkOS events are a few kilobytes; anything much larger is not one. */
export const MAX_WEBHOOK_BYTES = 256 * 1024;

const REFUSAL_STATUS: Record<WebhookRefusal, number> = {
  missing_signature: 400,
  malformed_signature: 400,
  malformed_event: 400,
  invalid_signature: 401,
  stale_timestamp: 401,
};

const REFUSAL_MESSAGE: Record<WebhookRefusal, string> = {
  missing_signature: 'The request has no WorkOS-Signature header.',
  malformed_signature: 'The WorkOS-Signature header is not "t=<timestamp>, v1=<signature>".',
  malformed_event: 'The body is not a WorkOS event this endpoint can read.',
  invalid_signature: 'The signature does not match the body: check WORKOS_WEBHOOK_SECRET against the endpoint in the WorkOS dashboard.',
  stale_timestamp: `The signature is older than ${WEBHOOK_TOLERANCE_MS / 60_000} minutes.`,
};

const answer = (status: number, body: Record<string, unknown>) => Response.json(body, { status, headers: { 'Cache-Control': 'no-store' } });

function refuse(status: number, error: string, message: string, context: { eventId?: string; type?: string } = {}): Response {
  logAuthEvent({ event: 'webhook_refused', reason: error, ...context });
  return answer(status, { error, message });
}

/** The organization and user an event is about, and its line in the panel. */
function auditOf(event: WebhookEvent): Pick<AuditEntry, 'organizationId' | 'userId' | 'summary'> {
  switch (event.event) {
    case 'user.created':
    case 'user.updated':
    case 'user.deleted':
      return { organizationId: null, userId: event.data.id, summary: event.data.email };
    case 'organization_membership.created':
    case 'organization_membership.updated':
    case 'organization_membership.deleted':
      return {
        organizationId: event.data.organizationId,
        userId: event.data.userId,
        summary: `${event.data.userId}: ${event.data.role}, ${event.data.status}`,
      };
    case 'invitation.accepted':
      return { organizationId: event.data.organizationId, userId: event.data.acceptedUserId ?? null, summary: event.data.email };
    case 'session.revoked':
      return { organizationId: event.data.organizationId ?? null, userId: event.data.userId, summary: `session ${event.data.id}` };
  }
}

/** What the app does about each event, besides recording it. Order-independent. */
async function applyEffects(event: WebhookEvent): Promise<void> {
  switch (event.event) {
    case 'organization_membership.created':
    case 'organization_membership.updated':
    case 'organization_membership.deleted':
      // The organization switcher's cached list of this user's memberships is out of date.
      forgetOrganizationsOf(event.data.userId);
      return;
    case 'user.deleted':
      forgetOrganizationsOf(event.data.id);
      return;
    case 'session.revoked':
      // Ended at WorkOS (the dashboard, another app, an admin): refused here at once, not when its access token expires.
      await addRevokedSession(event.data.id, revokedUntil({}));
      return;
    default:
      return;
  }
}

/** The body as text, or null once it is longer than `limit` bytes (declared or streamed: nothing more is read). */
async function readAtMost(request: Request, limit: number): Promise<string | null> {
  if (Number(request.headers.get('content-length') ?? 0) > limit) return null;
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body?.getReader();
  for (let chunk = await reader?.read(); chunk && !chunk.done; chunk = await reader?.read()) {
    size += chunk.value.byteLength;
    if (size > limit) {
      await reader?.cancel();
      return null;
    }
    chunks.push(chunk.value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export interface WebhookReceiverOptions {
  /** WORKOS_WEBHOOK_SECRET; undefined: every delivery is answered 503. */
  secret: string | undefined;
  store: WebhookStore;
  now?: () => number;
}

/** The route handler: POST with the raw body. */
export function webhookReceiver({ secret, store, now = Date.now }: WebhookReceiverOptions): (request: Request) => Promise<Response> {
  return async (request) => {
    if (!secret) {
      return refuse(
        503,
        'webhooks_not_configured',
        'Set WORKOS_WEBHOOK_SECRET to the secret of this endpoint (WorkOS dashboard → Webhooks) to receive webhooks.',
      );
    }
    const payload = await readAtMost(request, MAX_WEBHOOK_BYTES);
    if (payload === null) return refuse(413, 'payload_too_large', `A WorkOS event is at most ${MAX_WEBHOOK_BYTES / 1024} KB.`);
    const signature = request.headers.get('workos-signature');
    let verified: Awaited<ReturnType<typeof verifyWebhook>>;
    try {
      verified = await verifyWebhook(payload, signature, secret, WEBHOOK_TOLERANCE_MS);
    } catch (error) {
      if (!(error instanceof WebhookRejectedError)) throw error;
      return refuse(REFUSAL_STATUS[error.reason], error.reason, REFUSAL_MESSAGE[error.reason]);
    }
    const { id: eventId, type, event } = verified;
    if (!event) {
      return refuse(422, 'unhandled_event', `This endpoint handles ${WEBHOOK_EVENT_TYPES.join(', ')}: subscribe it to those events only.`, {
        eventId,
        type,
      });
    }
    const claim = await store.claim(eventId, signature ?? '');
    if (claim === 'replay') return refuse(409, 'replayed_delivery', 'This exact request was already received.', { eventId, type });
    if (claim === 'duplicate') {
      logAuthEvent({ event: 'webhook_received', eventId, type, outcome: 'duplicate' });
      return answer(200, { received: true, duplicate: true });
    }
    await store.append({
      eventId,
      type,
      createdAt: event.createdAt.toISOString(),
      receivedAt: new Date(now()).toISOString(),
      ...auditOf(event),
    });
    await applyEffects(event);
    logAuthEvent({ event: 'webhook_received', eventId, type, outcome: 'processed' });
    return answer(200, { received: true });
  };
}

/**
 * The entries of the audit list `organizationId` may see: its own events, and the
 * user events of people its own events name (a member's profile changed).
 */
export function entriesOfOrganization(entries: readonly AuditEntry[], organizationId: string): AuditEntry[] {
  const members = new Set(entries.flatMap((entry) => (entry.organizationId === organizationId && entry.userId ? [entry.userId] : [])));
  return entries.filter(
    (entry) =>
      entry.organizationId === organizationId || (entry.organizationId === null && entry.userId !== null && members.has(entry.userId)),
  );
}
