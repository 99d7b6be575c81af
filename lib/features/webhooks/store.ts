/**
 * What the webhook route keeps: which event ids it has processed (so a
 * duplicate delivery is never processed twice) and a bounded audit list of
 * the events themselves, for the admin's "Recent events" panel.
 *
 * - REDIS_URL set: both live in Redis, shared by every instance (an event id
 *   claimed with SET NX, the list trimmed with every push).
 * - otherwise, or while Redis is unavailable: in this process's memory, bounded.
 *   Several instances without Redis may then each process a duplicate that
 *   reaches them (the audit list is per instance too).
 *
 * Event ids are kept for 4 days: WorkOS retries a delivery for up to 3.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { RedisConnection } from '@/lib/redis/connection';
import { boundedCache, registerCacheSize } from '@/lib/cache-sizes';

/** How long a processed event id is remembered: past WorkOS' 3 days of retries. */
const PROCESSED_EVENT_TTL_MS = 4 * 24 * 60 * 60 * 1000;
/** Processed ids kept in memory (without Redis); past it the least recent go first. */
const MAX_PROCESSED_IN_MEMORY = 10_000;
/** Audit entries kept: the environment's last events, whatever organization they belong to. */
export const MAX_AUDIT_ENTRIES = 500;

const PROCESSED_KEY = (eventId: string) => `authkit:webhooks:processed:${eventId}`;
const AUDIT_KEY = 'authkit:webhooks:audit';

const auditEntry = z.object({
  eventId: z.string(),
  type: z.string(),
  /** When WorkOS made the change (the event's `created_at`): the panel's order, whatever order deliveries came in. */
  createdAt: z.string(),
  receivedAt: z.string(),
  organizationId: z.string().nullable(),
  userId: z.string().nullable(),
  /** One line for the panel (an email, a role): no token, no secret. */
  summary: z.string(),
});

export type AuditEntry = z.infer<typeof auditEntry>;

/** A delivery of an event id already processed: the same request again (`replay`), or the event delivered again (`duplicate`). */
type Claim = 'new' | 'duplicate' | 'replay';

export interface WebhookStore {
  /** Claims `eventId` for processing; `signature` (the delivery's header) tells a replay from a redelivery. */
  claim(eventId: string, signature: string): Promise<Claim>;
  append(entry: AuditEntry): Promise<void>;
  /** The audit list, newest event first. */
  recent(): Promise<AuditEntry[]>;
}

const fingerprint = (signature: string) => createHash('sha256').update(signature).digest('base64url');

const newestFirst = (entries: AuditEntry[]) =>
  entries.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.receivedAt.localeCompare(a.receivedAt));

export function memoryWebhookStore({ now = Date.now }: { now?: () => number } = {}): WebhookStore {
  const processed = boundedCache<string>('webhook-event-ids', { max: MAX_PROCESSED_IN_MEMORY, ttl: PROCESSED_EVENT_TTL_MS, now });
  const audit: AuditEntry[] = [];
  registerCacheSize('webhook-audit', MAX_AUDIT_ENTRIES, () => audit.length);
  return {
    async claim(eventId, signature) {
      const seen = processed.get(eventId);
      if (seen !== undefined) return seen === fingerprint(signature) ? 'replay' : 'duplicate';
      processed.set(eventId, fingerprint(signature));
      return 'new';
    },
    async append(entry) {
      audit.push(entry);
      if (audit.length > MAX_AUDIT_ENTRIES) audit.splice(0, audit.length - MAX_AUDIT_ENTRIES);
    },
    async recent() {
      return newestFirst([...audit]);
    },
  };
}

/** Redis when it answers; `fallback` (this process's memory) when it does not, so a delivery never fails on Redis. */
export function redisWebhookStore(redis: RedisConnection, fallback: WebhookStore = memoryWebhookStore()): WebhookStore {
  return {
    async claim(eventId, signature) {
      const mine = fingerprint(signature);
      const result = await redis.attempt(async (client) => {
        const set = await client.set(PROCESSED_KEY(eventId), mine, { NX: true, PX: PROCESSED_EVENT_TTL_MS });
        return set === 'OK' ? null : await client.get(PROCESSED_KEY(eventId));
      });
      if (!result.ok) return fallback.claim(eventId, signature);
      if (result.value === null) return 'new';
      return result.value === mine ? 'replay' : 'duplicate';
    },
    async append(entry) {
      const result = await redis.attempt((client) =>
        client
          .multi()
          .lPush(AUDIT_KEY, JSON.stringify(entry))
          .lTrim(AUDIT_KEY, 0, MAX_AUDIT_ENTRIES - 1)
          .exec(),
      );
      if (!result.ok) await fallback.append(entry);
    },
    async recent() {
      const result = await redis.attempt((client) => client.lRange(AUDIT_KEY, 0, -1));
      if (!result.ok) return fallback.recent();
      const entries = result.value.flatMap((raw) => {
        try {
          const parsed = auditEntry.safeParse(JSON.parse(raw));
          return parsed.success ? [parsed.data] : [];
        } catch {
          return [];
        }
      });
      return newestFirst(entries);
    },
  };
}
