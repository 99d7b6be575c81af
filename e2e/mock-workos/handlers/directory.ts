/**
 * The user, organization and membership reads an app makes with its API key
 * (`Authorization: Bearer sk_…`).
 */
import { http, type HttpHandler } from 'msw';
import { toListResponse, toMembershipResponse, toOrganizationResponse, toUserResponse } from '../serializers.ts';
import type { MembershipRecord, MockWorkOSStore } from '../store.ts';
import { handleApiCall, hasApiKey, jsonResponse, pathFor, unauthorized, type HandlerOptions } from './shared.ts';

const notFound = (kind: string, id: string) =>
  jsonResponse({ message: `${kind} not found: '${id}'.`, code: 'entity_not_found', entity_id: id }, 404);

/** WorkOS list pagination: `limit` (1–100, default 10), `before`/`after` cursors, `order` (default desc). */
function paginate(items: MembershipRecord[], query: URLSearchParams) {
  const limit = Math.min(Math.max(Number(query.get('limit') ?? 10) || 10, 1), 100);
  // Stable sort: equal timestamps keep creation (insertion) order.
  const ordered = [...items].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  if (query.get('order') !== 'asc') ordered.reverse();
  const after = query.get('after');
  const before = query.get('before');
  let start = 0;
  let end = ordered.length;
  if (after) start = ordered.findIndex((item) => item.id === after) + 1;
  if (before) {
    end = Math.max(ordered.findIndex((item) => item.id === before), 0);
    start = Math.max(end - limit, 0);
  }
  const page = ordered.slice(start, Math.min(start + limit, end));
  const first = page[0];
  const last = page.at(-1);
  return {
    page,
    listMetadata: {
      before: first && start > 0 ? first.id : null,
      after: last && start + page.length < ordered.length ? last.id : null,
    },
  };
}

export function directoryHandlers(store: MockWorkOSStore, options: HandlerOptions): HttpHandler[] {
  return [
    http.get<{ id: string }>(pathFor(options, '/user_management/users/:id'), ({ request, params }) =>
      handleApiCall(store, request, 'get_user', { userId: params.id }, () => {
        if (!hasApiKey(store, request)) return unauthorized();
        const user = store.users.get(params.id);
        return user ? jsonResponse(toUserResponse(user)) : notFound('User', params.id);
      }),
    ),

    http.get<{ id: string }>(pathFor(options, '/organizations/:id'), ({ request, params }) =>
      handleApiCall(store, request, 'get_organization', {}, () => {
        if (!hasApiKey(store, request)) return unauthorized();
        const organization = store.organizations.get(params.id);
        return organization ? jsonResponse(toOrganizationResponse(organization)) : notFound('Organization', params.id);
      }),
    ),

    http.get(pathFor(options, '/user_management/organization_memberships'), ({ request }) => {
      const query = new URL(request.url).searchParams;
      const userId = query.get('user_id') ?? undefined;
      return handleApiCall(store, request, 'list_organization_memberships', { userId }, () => {
        if (!hasApiKey(store, request)) return unauthorized();
        const organizationId = query.get('organization_id') ?? undefined;
        if (!userId && !organizationId) {
          return jsonResponse({ code: 'invalid_request_parameters', message: 'Either user_id or organization_id is required.', errors: [] }, 422);
        }
        const statuses = query.getAll('statuses').flatMap((value) => value.split(','));
        const matching = [...store.memberships.values()].filter(
          (membership) =>
            (!userId || membership.userId === userId) &&
            (!organizationId || membership.organizationId === organizationId) &&
            (statuses.length === 0 || statuses.includes(membership.status)),
        );
        const { page, listMetadata } = paginate(matching, query);
        return jsonResponse(
          toListResponse(
            page.map((membership) => toMembershipResponse(membership, store.organizations.get(membership.organizationId))),
            listMetadata,
          ),
        );
      });
    }),
  ];
}
