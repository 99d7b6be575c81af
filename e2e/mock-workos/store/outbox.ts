/**
 * The outbox: every email (and SMS) the mock "sends" — magic codes from the
 * hosted page and the API, email verification codes, password reset links,
 * invitations, SMS challenge codes. Nothing leaves the machine; tests read it
 * through the control API (`GET /__mock/outbox`, `control.outbox()`), so no
 * test parses a page for a code, and a person reads it at `GET /__mock/outbox`
 * too (a page in a browser: ../handlers/outbox-page.ts).
 */
import { generateId, type Clock } from './records.ts';

/** Oldest messages are dropped past this. */
const OUTBOX_LIMIT = 5_000;

export type OutboxKind = 'magic_auth' | 'email_verification' | 'password_reset' | 'invitation' | 'sms_challenge';

export const OUTBOX_KINDS: readonly OutboxKind[] = ['magic_auth', 'email_verification', 'password_reset', 'invitation', 'sms_challenge'];

export interface OutboxMessage {
  id: string;
  kind: OutboxKind;
  /** An email address, or a phone number for `sms_challenge`. */
  to: string;
  subject: string;
  text: string;
  /** The one-time code the message carries, if any. */
  code: string | null;
  /** The link the message carries (invitation, password reset), if any. */
  link: string | null;
  /** The WorkOS object it was sent for (magic auth, invitation, …). */
  objectId: string;
  sentAt: string;
}

export interface OutboxFilter {
  to?: string;
  kind?: OutboxKind;
}

export class Outbox {
  readonly #clock: Clock;
  #messages: OutboxMessage[] = [];

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  send(message: Omit<OutboxMessage, 'id' | 'sentAt' | 'code' | 'link'> & { code?: string; link?: string }): OutboxMessage {
    const sent: OutboxMessage = {
      ...message,
      to: message.kind === 'sms_challenge' ? message.to : message.to.toLowerCase(),
      code: message.code ?? null,
      link: message.link ?? null,
      id: generateId('message'),
      sentAt: new Date(this.#clock()).toISOString(),
    };
    this.#messages.push(sent);
    if (this.#messages.length > OUTBOX_LIMIT) this.#messages.shift();
    return sent;
  }

  /** Messages matching `filter`, oldest first. */
  list(filter: OutboxFilter = {}): OutboxMessage[] {
    const to = filter.to?.trim().toLowerCase();
    return this.#messages.filter((message) => (!to || message.to.toLowerCase() === to) && (!filter.kind || message.kind === filter.kind));
  }

  clear(): void {
    this.#messages = [];
  }
}
