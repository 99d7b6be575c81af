/**
 * The event log: one WorkOS event per change the mock makes (users,
 * organizations, memberships, roles, invitations, sessions, one-time codes),
 * in the order it made them. `GET /events` serves it (../handlers/events.ts),
 * and anything that delivers webhooks subscribes to it, so both carry the same
 * events with the same ids.
 *
 * The store appends; this module only keeps, filters and hands out. Seeding
 * appends nothing: the demo world is older than any event a test can ask for.
 */
import { generateId, type Clock } from './records.ts';

/** Oldest events are dropped past this (WorkOS keeps 30 days). */
const EVENT_LOG_LIMIT = 10_000;

export interface LoggedEvent {
  id: string;
  /** The event type, e.g. `user.created`. */
  event: string;
  /** The WorkOS-shaped payload, as it was when the change was made. */
  data: Record<string, unknown>;
  createdAt: string;
  /** The organization the event belongs to (the `organization_id` filter); null for a user's own events. */
  organizationId: string | null;
}

export interface EventFilter {
  events?: readonly string[];
  organizationId?: string;
  /** ISO timestamps, inclusive. */
  rangeStart?: string;
  rangeEnd?: string;
}

export type EventListener = (event: LoggedEvent) => void;

export class EventLog {
  readonly #clock: Clock;
  #events: LoggedEvent[] = [];
  readonly #listeners = new Set<EventListener>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Records one change. `data` is copied, so later changes to the record do not rewrite history. */
  append(event: string, data: Record<string, unknown>, organizationId: string | null): LoggedEvent {
    const logged: LoggedEvent = {
      id: generateId('event'),
      event,
      data: structuredClone(data),
      createdAt: new Date(this.#clock()).toISOString(),
      organizationId,
    };
    this.#events.push(logged);
    if (this.#events.length > EVENT_LOG_LIMIT) this.#events.shift();
    for (const listener of this.#listeners) listener(logged);
    return logged;
  }

  /** The events matching `filter`, oldest first. */
  list(filter: EventFilter = {}): LoggedEvent[] {
    const types = filter.events && filter.events.length > 0 ? new Set(filter.events) : null;
    const start = filter.rangeStart ? Date.parse(filter.rangeStart) : -Infinity;
    const end = filter.rangeEnd ? Date.parse(filter.rangeEnd) : Infinity;
    return this.#events.filter((logged) => {
      const at = Date.parse(logged.createdAt);
      return (
        (!types || types.has(logged.event)) &&
        (filter.organizationId === undefined || logged.organizationId === filter.organizationId) &&
        at >= start &&
        at <= end
      );
    });
  }

  /** Calls `listener` with every event appended from now on; returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Forgets every event (the store's reset); subscribers stay. */
  clear(): void {
    this.#events = [];
  }
}
