/**
 * `GET /events`: the event log (../store/event-log.ts) as WorkOS' events API
 * serves it, oldest first — the live API returns this stream in ascending
 * order whatever `order` says (workos-node issue #1610), so the mock does
 * too and only checks `order`'s value. Filters: `events` (types the spec
 * knows; an unknown one is 422 `unknown_event_type`), `organization_id`,
 * `range_start`/`range_end` (ISO 8601; `range_start` excludes `after`),
 * then `after`/`before` cursors and `limit`.
 */
import type { HttpHandler } from 'msw';
import { WorkOSOpenApiSpec } from '../openapi-spec.ts';
import { toEventResponse, toListResponse } from '../serializers.ts';
import { invalidParameters, fieldError, type FieldError, type MockWorkOSStore } from '../store.ts';
import { apiOperation, listParam } from './api.ts';
import { paginate } from './pagination.ts';
import { jsonResponse, type HandlerOptions } from './shared.ts';

const isTimestamp = (value: string) => /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value));

export function eventHandlers(store: MockWorkOSStore, options: HandlerOptions): HttpHandler[] {
  return [
    apiOperation(store, options, { method: 'get', path: '/events', endpoint: 'list_events' }, ({ query }) => {
      const events = listParam(query, 'events');
      const known = WorkOSOpenApiSpec.shared().eventTypes();
      const errors: FieldError[] = events
        .filter((event) => !known.has(event))
        .map((event) => fieldError('events', 'unknown_event_type', `"${event}" is not an event type.`));
      const rangeStart = query.get('range_start') ?? undefined;
      const rangeEnd = query.get('range_end') ?? undefined;
      for (const [field, value] of [
        ['range_start', rangeStart],
        ['range_end', rangeEnd],
      ] as const) {
        if (value !== undefined && !isTimestamp(value))
          errors.push(fieldError(field, `${field}_invalid`, `${field} must be an ISO 8601 timestamp.`));
      }
      if (rangeStart !== undefined && query.get('after')) {
        errors.push(fieldError('after', 'after_and_range_start_exclusive', 'after and range_start cannot be used together.'));
      }
      if (rangeStart && rangeEnd && isTimestamp(rangeStart) && isTimestamp(rangeEnd) && Date.parse(rangeStart) > Date.parse(rangeEnd)) {
        errors.push(fieldError('range_end', 'range_end_before_range_start', 'range_end must not be before range_start.'));
      }
      if (errors.length > 0) throw invalidParameters(errors);
      const matching = store.events.list({ events, organizationId: query.get('organization_id') ?? undefined, rangeStart, rangeEnd });
      const { page, listMetadata } = paginate(matching, query, { order: 'asc' });
      return jsonResponse(toListResponse(page.map(toEventResponse), listMetadata));
    }),
  ];
}
