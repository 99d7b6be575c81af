/**
 * Webhooks: the endpoints an app registers (`/webhook_endpoints`, or one given
 * at start-up, as the WorkOS dashboard keeps it) and the delivery of every
 * event of the log (./event-log.ts) an endpoint subscribes to, signed as WorkOS
 * signs them: `WorkOS-Signature: t=<ms>, v1=<hex HMAC-SHA256 of "<t>.<body>">`
 * with the endpoint's secret, the body being the event as `GET /events` lists it.
 *
 * Retries follow WorkOS' documented rule for production environments: a
 * delivery not answered 2xx within the timeout is retried up to 12 times with
 * exponential back-off over about 3 days (1 minute, then doubling: the last
 * retry comes 68 hours after the first attempt). Retries are due on the
 * store's clock: a test moves its clock and calls {@link Webhooks.runDue}, or
 * asks for them now ({@link Webhooks.retryNow}); a running mock also wakes
 * itself when the next one is due.
 *
 * Faults (`POST /__mock/webhook_faults`) send what a real endpoint must cope
 * with: a bad signature, a stale timestamp, a duplicate delivery (the same
 * event again, signed anew), a replay (the very same request again) and
 * out-of-order delivery (the event held back until the next matching one
 * has gone).
 *
 * Deliveries go to loopback hosts only (the endpoint API refuses others):
 * nothing leaves the machine.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { LoggedEvent } from './event-log.ts';
import { generateId, WorkOSError, type Clock } from './records.ts';

/** Delays before each retry, in minutes: 12 retries, doubling (WorkOS: "up to 12 times, exponential back-off over 3 days"). */
export const WEBHOOK_RETRY_DELAYS_MINUTES = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048] as const;
/** How long the mock waits for an answer before it counts the attempt as failed. */
const WEBHOOK_TIMEOUT_MS = 10_000;
/** How old a `stale_timestamp` fault's signature is: past the SDK's default tolerance of 3 minutes. */
export const STALE_SIGNATURE_AGE_MS = 6 * 60_000;
/** Deliveries kept for the control API; the oldest finished ones go first. */
const DELIVERY_LOG_LIMIT = 2_000;
/** What an attempt keeps of the endpoint's answer. */
const RESPONSE_EXCERPT_CHARS = 300;

export type WebhookEndpointStatus = 'enabled' | 'disabled';

export interface WebhookEndpointRecord {
  id: string;
  url: string;
  secret: string;
  status: WebhookEndpointStatus;
  events: string[];
  createdAt: string;
  updatedAt: string;
}

/** An endpoint registered at start-up (MOCK_WORKOS_WEBHOOK_URL): its secret is known to the app in advance. */
export interface WebhookEndpointSeed {
  url: string;
  secret?: string;
  events: readonly string[];
}

export const WEBHOOK_FAULT_MODES = ['bad_signature', 'stale_timestamp', 'duplicate', 'replay', 'out_of_order'] as const;
type WebhookFaultMode = (typeof WEBHOOK_FAULT_MODES)[number];

/** Which deliveries a fault (or a filter) is about: all given fields must match. */
export interface WebhookMatch {
  event?: string;
  eventId?: string;
  /** The event's organization (a membership's, an invitation's, a session's). */
  organizationId?: string;
  /** The user the event is about: `user_id` in its data, or the user itself for `user.*`. */
  userId?: string;
}

export interface WebhookFaultSpec {
  mode: WebhookFaultMode;
  /** How many deliveries it affects (default 1). */
  times?: number;
  match?: WebhookMatch;
}

export interface WebhookFault extends WebhookFaultSpec {
  id: string;
  remaining: number;
}

export interface WebhookAttempt {
  at: string;
  /** `delivery` (first), `retry`, or a fault's extra request: `duplicate` (signed anew), `replay` (the same bytes). */
  kind: 'delivery' | 'retry' | 'duplicate' | 'replay';
  /** How it was signed: `bad` with another secret, `stale` with an old timestamp. */
  signature: 'valid' | 'bad' | 'stale';
  /** The endpoint's status; null when it did not answer (refused, dropped, timed out). */
  status: number | null;
  /** The answer's body (its first 300 characters), or why there was none. */
  response: string;
}

export interface WebhookDelivery {
  id: string;
  endpointId: string;
  eventId: string;
  event: string;
  createdAt: string;
  organizationId: string | null;
  userId: string | null;
  /** `held`: an out-of-order fault keeps it back; `delivered`: answered 2xx; `failed`: no 2xx after every retry. */
  state: 'pending' | 'held' | 'delivered' | 'failed';
  attempts: WebhookAttempt[];
  /** When the next retry is due (pending deliveries that failed at least once). */
  nextAttemptAt: string | null;
  /** The faults applied to it. */
  faults: WebhookFaultMode[];
}

interface DeliveryState {
  delivery: WebhookDelivery;
  event: LoggedEvent;
  /** Faults not yet spent on an attempt. */
  pending: Set<WebhookFaultMode>;
  /** For a held delivery: what releases it (the next delivery matching this). */
  holdMatch: WebhookMatch | null;
  inFlight: boolean;
}

/** The user an event is about, for matching: `user_id` in its data, or the user of a `user.*` event. */
function eventUserId(event: Pick<LoggedEvent, 'event' | 'data'>): string | null {
  const data = event.data;
  if (typeof data.user_id === 'string') return data.user_id;
  if (event.event.startsWith('user.') && typeof data.id === 'string') return data.id;
  if (typeof data.accepted_user_id === 'string') return data.accepted_user_id;
  return null;
}

const matches = (match: WebhookMatch | undefined, delivery: WebhookDelivery) =>
  !match ||
  ((match.event === undefined || match.event === delivery.event) &&
    (match.eventId === undefined || match.eventId === delivery.eventId) &&
    (match.organizationId === undefined || match.organizationId === delivery.organizationId) &&
    (match.userId === undefined || match.userId === delivery.userId));

export const isLoopbackUrl = (value: string) => {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'http:' || url.protocol === 'https:') && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
};

/** `WorkOS-Signature` for `body` at `timestamp` (ms). */
export function webhookSignature(body: string, secret: string, timestamp: number): string {
  const hash = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp}, v1=${hash}`;
}

const newSecret = () => `whsec_${randomBytes(24).toString('base64url')}`;

export class Webhooks {
  readonly #clock: Clock;
  /** The event as `GET /events` serves it: what a delivery's body is. */
  readonly #serialize: (event: LoggedEvent) => unknown;
  readonly endpoints = new Map<string, WebhookEndpointRecord>();
  #seed: WebhookEndpointSeed | null = null;
  #seededId: string | null = null;
  #deliveries: DeliveryState[] = [];
  #faults: WebhookFault[] = [];
  #timer: NodeJS.Timeout | undefined;
  readonly #inFlight = new Set<Promise<void>>();

  constructor(clock: Clock, serialize: (event: LoggedEvent) => unknown) {
    this.#clock = clock;
    this.#serialize = serialize;
  }

  #iso(at = this.#clock()): string {
    return new Date(at).toISOString();
  }

  // ── endpoints ──────────────────────────────────────────────────────────

  /** The endpoint registered at start-up; it comes back with the same id and secret after every reset. */
  setSeed(seed: WebhookEndpointSeed | null): void {
    this.#seed = seed && { ...seed, secret: seed.secret ?? newSecret() };
    this.#seededId = seed ? generateId('we') : null;
    this.restoreSeed();
  }

  restoreSeed(): void {
    if (!this.#seed || !this.#seededId || this.endpoints.has(this.#seededId)) return;
    const now = this.#iso();
    this.endpoints.set(this.#seededId, {
      id: this.#seededId,
      url: this.#seed.url,
      secret: this.#seed.secret ?? newSecret(),
      status: 'enabled',
      events: [...this.#seed.events],
      createdAt: now,
      updatedAt: now,
    });
  }

  #assertUrl(url: string, ownId: string | null): void {
    if (!isLoopbackUrl(url)) {
      throw new WorkOSError(
        422,
        'invalid_url',
        `"${url}" is not an http(s) URL on a loopback host: the mock delivers to this machine only.`,
      );
    }
    if ([...this.endpoints.values()].some((endpoint) => endpoint.url === url && endpoint.id !== ownId)) {
      throw new WorkOSError(409, 'duplicate_endpoint', `A webhook endpoint for ${url} already exists.`);
    }
  }

  requireEndpoint(id: string): WebhookEndpointRecord {
    const endpoint = this.endpoints.get(id);
    if (!endpoint) throw new WorkOSError(404, 'entity_not_found', `Webhook endpoint not found: '${id}'.`);
    return endpoint;
  }

  createEndpoint(input: { url: string; events: readonly string[] }): WebhookEndpointRecord {
    this.#assertUrl(input.url, null);
    const now = this.#iso();
    const endpoint: WebhookEndpointRecord = {
      id: generateId('we'),
      url: input.url,
      secret: newSecret(),
      status: 'enabled',
      events: [...new Set(input.events)],
      createdAt: now,
      updatedAt: now,
    };
    this.endpoints.set(endpoint.id, endpoint);
    return endpoint;
  }

  updateEndpoint(id: string, changes: { url?: string; status?: WebhookEndpointStatus; events?: readonly string[] }): WebhookEndpointRecord {
    const endpoint = this.requireEndpoint(id);
    if (changes.url !== undefined) this.#assertUrl(changes.url, id);
    if (changes.url !== undefined) endpoint.url = changes.url;
    if (changes.status !== undefined) endpoint.status = changes.status;
    if (changes.events !== undefined) endpoint.events = [...new Set(changes.events)];
    endpoint.updatedAt = this.#iso();
    return endpoint;
  }

  deleteEndpoint(id: string): void {
    this.requireEndpoint(id);
    this.endpoints.delete(id);
  }

  // ── faults ─────────────────────────────────────────────────────────────

  addFault(spec: WebhookFaultSpec): WebhookFault {
    const fault: WebhookFault = { ...spec, id: generateId('webhook_fault'), remaining: spec.times ?? 1 };
    this.#faults.push(fault);
    return fault;
  }

  get faults(): readonly WebhookFault[] {
    return this.#faults;
  }

  clearFaults(): void {
    this.#faults = [];
  }

  /** The faults this new delivery triggers (each used up once per delivery), one per mode. */
  #takeFaults(delivery: WebhookDelivery): WebhookFault[] {
    const taken = new Map<WebhookFaultMode, WebhookFault>();
    for (const fault of this.#faults) {
      if (fault.remaining <= 0 || taken.has(fault.mode) || !matches(fault.match, delivery)) continue;
      fault.remaining -= 1;
      taken.set(fault.mode, fault);
    }
    this.#faults = this.#faults.filter((fault) => fault.remaining > 0);
    return [...taken.values()];
  }

  // ── delivery ───────────────────────────────────────────────────────────

  /** The event log's listener: one delivery per enabled endpoint subscribed to the event. */
  readonly onEvent = (event: LoggedEvent): void => {
    for (const endpoint of this.endpoints.values()) {
      if (endpoint.status !== 'enabled' || !endpoint.events.includes(event.event)) continue;
      const delivery: WebhookDelivery = {
        id: generateId('webhook_delivery'),
        endpointId: endpoint.id,
        eventId: event.id,
        event: event.event,
        createdAt: event.createdAt,
        organizationId: event.organizationId,
        userId: eventUserId(event),
        state: 'pending',
        attempts: [],
        nextAttemptAt: event.createdAt,
        faults: [],
      };
      const faults = this.#takeFaults(delivery);
      delivery.faults = faults.map((fault) => fault.mode);
      const hold = faults.find((fault) => fault.mode === 'out_of_order');
      const state: DeliveryState = {
        delivery,
        event,
        pending: new Set(delivery.faults),
        holdMatch: hold ? (hold.match ?? {}) : null,
        inFlight: false,
      };
      if (hold) delivery.state = 'held';
      this.#deliveries.push(state);
      this.#trim();
      if (!hold) this.#start(state);
    }
  };

  #trim(): void {
    let excess = this.#deliveries.length - DELIVERY_LOG_LIMIT;
    if (excess <= 0) return;
    this.#deliveries = this.#deliveries.filter((state) => {
      if (excess > 0 && (state.delivery.state === 'delivered' || state.delivery.state === 'failed')) {
        excess -= 1;
        return false;
      }
      return true;
    });
  }

  #start(state: DeliveryState): void {
    const run = this.#attempt(state).finally(() => this.#inFlight.delete(run));
    this.#inFlight.add(run);
  }

  async #post(url: string, body: string, signature: string, record: Pick<WebhookAttempt, 'kind' | 'signature'>): Promise<WebhookAttempt> {
    const at = this.#iso();
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'workos-signature': signature, 'user-agent': 'WorkOS Webhooks (mock)' },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      });
      const text = await response.text();
      return { at, ...record, status: response.status, response: text.slice(0, RESPONSE_EXCERPT_CHARS) };
    } catch (error) {
      return { at, ...record, status: null, response: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    }
  }

  async #attempt(state: DeliveryState): Promise<void> {
    const { delivery, event, pending } = state;
    const endpoint = this.endpoints.get(delivery.endpointId);
    if (state.inFlight || delivery.state === 'delivered' || delivery.state === 'failed') return;
    if (!endpoint) {
      delivery.state = 'failed';
      delivery.nextAttemptAt = null;
      return;
    }
    state.inFlight = true;
    const first = delivery.attempts.length === 0;
    const body = JSON.stringify(this.#serialize(event));
    const now = this.#clock();
    let signature: WebhookAttempt['signature'] = 'valid';
    let header = webhookSignature(body, endpoint.secret, now);
    if (pending.delete('bad_signature')) {
      signature = 'bad';
      header = webhookSignature(body, newSecret(), now);
    } else if (pending.delete('stale_timestamp')) {
      signature = 'stale';
      header = webhookSignature(body, endpoint.secret, now - STALE_SIGNATURE_AGE_MS);
    }
    const attempt = await this.#post(endpoint.url, body, header, { kind: first ? 'delivery' : 'retry', signature });
    delivery.attempts.push(attempt);
    if (pending.delete('replay')) delivery.attempts.push(await this.#post(endpoint.url, body, header, { kind: 'replay', signature }));
    const ok = attempt.status !== null && attempt.status >= 200 && attempt.status < 300;
    if (ok) {
      delivery.state = 'delivered';
      delivery.nextAttemptAt = null;
      if (pending.delete('duplicate')) {
        const again = webhookSignature(body, endpoint.secret, this.#clock());
        delivery.attempts.push(await this.#post(endpoint.url, body, again, { kind: 'duplicate', signature: 'valid' }));
      }
    } else {
      const retries = delivery.attempts.filter((candidate) => candidate.kind === 'delivery' || candidate.kind === 'retry').length - 1;
      const delay = WEBHOOK_RETRY_DELAYS_MINUTES[retries];
      delivery.state = delay === undefined ? 'failed' : 'pending';
      delivery.nextAttemptAt = delay === undefined ? null : this.#iso(this.#clock() + delay * 60_000);
    }
    state.inFlight = false;
    if (first) this.#releaseHeldAfter(delivery);
    this.#schedule();
  }

  /** An out-of-order fault's held delivery goes once another delivery it was waiting for has had its first attempt. */
  #releaseHeldAfter(delivery: WebhookDelivery): void {
    for (const state of this.#deliveries) {
      if (state.delivery.state !== 'held' || state.delivery === delivery || !matches(state.holdMatch ?? undefined, delivery)) continue;
      state.delivery.state = 'pending';
      this.#start(state);
    }
  }

  /** One timer for the next due retry (it never keeps the process alive). */
  #schedule(): void {
    clearTimeout(this.#timer);
    const due = this.#deliveries
      .filter((state) => state.delivery.state === 'pending' && state.delivery.attempts.length > 0 && !state.inFlight)
      .map((state) => Date.parse(state.delivery.nextAttemptAt ?? ''))
      .filter((at) => !Number.isNaN(at));
    if (due.length === 0) return;
    const wait = Math.max(0, Math.min(...due) - this.#clock());
    // setTimeout's limit is about 24.8 days; a later retry wakes the timer again first.
    this.#timer = setTimeout(() => void this.runDue(), Math.min(wait, 2 ** 31 - 1));
    this.#timer.unref();
  }

  /** Attempts every retry due by the store's clock; resolves when they are answered. */
  async runDue(): Promise<void> {
    const now = this.#clock();
    for (const state of this.#deliveries) {
      const { delivery } = state;
      if (delivery.state === 'pending' && delivery.attempts.length > 0 && Date.parse(delivery.nextAttemptAt ?? '') <= now)
        this.#start(state);
    }
    await this.settled();
  }

  /**
   * The pending retries (and held deliveries) matching `match`, attempted now instead of at their due
   * time: a parallel-safe way for an e2e test to skip a retry's wait without moving any clock.
   */
  async retryNow(match?: WebhookMatch): Promise<WebhookDelivery[]> {
    const chosen = this.#deliveries.filter(
      (state) =>
        (state.delivery.state === 'held' || (state.delivery.state === 'pending' && state.delivery.attempts.length > 0)) &&
        matches(match, state.delivery),
    );
    for (const state of chosen) {
      state.delivery.state = 'pending';
      this.#start(state);
    }
    await this.settled();
    return chosen.map((state) => state.delivery);
  }

  /** Resolves when no attempt is in flight. */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  deliveries(filter: WebhookMatch = {}): WebhookDelivery[] {
    return this.#deliveries.map((state) => state.delivery).filter((delivery) => matches(filter, delivery));
  }

  /** Forgets endpoints, deliveries and faults (the store's reset); the start-up endpoint comes back with restoreSeed(). */
  clear(): void {
    clearTimeout(this.#timer);
    this.endpoints.clear();
    this.#deliveries = [];
    this.#faults = [];
  }
}
