/**
 * What every part of the store shares: configuration, signing keys, the
 * clock, the event log (./event-log.ts), the outbox (./outbox.ts) and the
 * webhooks that deliver the log (./webhooks.ts). Each
 * concern of the store is one class in this folder, layered on this one
 * (core → faults → directory → invitations → verifications → passkeys →
 * authorization → sessions), so the handlers keep one `MockWorkOSStore` object with all
 * operations on it.
 */
import { toEventResponse } from '../serializers.ts';
import type { SigningKeyRing } from '../signing-keys.ts';
import { EventLog } from './event-log.ts';
import { Outbox } from './outbox.ts';
import type { Clock, MockWorkOSConfig } from './records.ts';
import { Webhooks } from './webhooks.ts';

export abstract class StoreCore {
  readonly config: MockWorkOSConfig;
  readonly keys: SigningKeyRing;
  readonly #clock: Clock;
  /** One event per change, what `GET /events` serves and webhooks would carry. */
  readonly events: EventLog;
  /** Every email and SMS the mock "sends". */
  readonly outbox: Outbox;
  /** Webhook endpoints and the signed delivery of the log's events to them. */
  readonly webhooks: Webhooks;

  /** The layers declare no constructor of their own: they inherit this one (MockWorkOSStore's calls it). */
  protected constructor(config: MockWorkOSConfig, keys: SigningKeyRing, clock: Clock) {
    this.config = config;
    this.keys = keys;
    this.#clock = clock;
    this.events = new EventLog(() => this.now());
    this.outbox = new Outbox(() => this.now());
    this.webhooks = new Webhooks(() => this.now(), toEventResponse);
    this.events.subscribe(this.webhooks.onEvent);
  }

  now(): number {
    return this.#clock();
  }

  protected isoNow(): string {
    return new Date(this.now()).toISOString();
  }

  /** Forgets this layer's state; each layer clears its own and calls super. */
  protected clearState(): void {
    this.events.clear();
    this.outbox.clear();
    this.webhooks.clear();
  }
}
