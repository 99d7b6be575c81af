/**
 * The webhook feature as the app wires it: one store per process (Redis when
 * REDIS_URL is set), the route handler, and the admin panel's read.
 * `npm run make-it-yours` removes it with its route, panel and marked lines
 * (scripts/make-it-yours/manifest.ts, "webhooks"), and the flow still works.
 */
import 'server-only';

import { getAuthConfig, redisConnection } from '@/lib/auth';
import { entriesOfOrganization, webhookReceiver } from './receive';
import { memoryWebhookStore, redisWebhookStore, type AuditEntry, type WebhookStore } from './store';

/** Entries the "Recent events" panel shows. */
const PANEL_ENTRIES = 20;

// Next bundles the route and the pages separately: one store per process, on globalThis.
const PROCESS_KEY = Symbol.for('authkit-starter.webhook-store');

function webhookStore(): WebhookStore {
  const holder = globalThis as typeof globalThis & { [PROCESS_KEY]?: WebhookStore };
  if (!holder[PROCESS_KEY]) {
    const redis = redisConnection();
    holder[PROCESS_KEY] = redis ? redisWebhookStore(redis) : memoryWebhookStore();
  }
  return holder[PROCESS_KEY];
}

/** POST /api/webhooks/workos. */
export function receiveWorkOSWebhook(request: Request): Promise<Response> {
  return webhookReceiver({ secret: getAuthConfig().webhookSecret, store: webhookStore() })(request);
}

/** The organization's latest webhook events, newest first. */
export async function recentEventsOf(organizationId: string): Promise<AuditEntry[]> {
  return entriesOfOrganization(await webhookStore().recent(), organizationId).slice(0, PANEL_ENTRIES);
}

/** Whether this server can receive webhooks at all (the panel says so when it cannot). */
export const webhooksConfigured = (): boolean => getAuthConfig().webhookSecret !== undefined;
