/**
 * The user, organization and membership reads an app makes with its API key
 * (`Authorization: Bearer sk_…`).
 */
import { http, type HttpHandler } from 'msw';
import { toListResponse, toMembershipResponse, toOrganizationResponse, toUserResponse } from '../serializers.ts';
import { MEMBERSHIP_STATUSES, type MembershipStatus, type MockWorkOSStore } from '../store.ts';
import { paginate, PaginationError } from './pagination.ts';
import { handleApiCall, hasApiKey, jsonResponse, pathFor, unauthorized, workosError, type HandlerOptions } from './shared.ts';

const notFound = (kind: string, id: string) =>
  jsonResponse({ message: `${kind} not found: '${id}'.`, code: 'entity_not_found', entity_id: id }, 404);

const isMembershipStatus = (value: string): value is MembershipStatus => (MEMBERSHIP_STATUSES as readonly string[]).includes(value);

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
          return workosError(400, 'missing_user_id_or_organization_id', 'Either user_id or organization_id is required.');
        }
        if (organizationId && !store.organizations.has(organizationId)) return notFound('Organization', organizationId);
        // WorkOS: only active memberships unless `statuses` (comma-separated) asks for others.
        const statuses = query
          .getAll('statuses')
          .flatMap((value) => value.split(','))
          .filter(Boolean);
        const unknownStatus = statuses.find((status) => !isMembershipStatus(status));
        if (unknownStatus !== undefined) {
          return workosError(
            400,
            'invalid_request_parameters',
            `statuses must be a list of ${MEMBERSHIP_STATUSES.join(', ')}, got "${unknownStatus}".`,
          );
        }
        const wanted = new Set<string>(statuses.length > 0 ? statuses : ['active']);
        const matching = [...store.memberships.values()].filter(
          (membership) =>
            (!userId || membership.userId === userId) &&
            (!organizationId || membership.organizationId === organizationId) &&
            wanted.has(membership.status),
        );
        try {
          const { page, listMetadata } = paginate(matching, query);
          return jsonResponse(
            toListResponse(
              page.map((membership) => toMembershipResponse(store, membership)),
              listMetadata,
            ),
          );
        } catch (error) {
          if (error instanceof PaginationError) return workosError(400, 'invalid_request_parameters', error.message);
          throw error;
        }
      });
    }),
  ];
}
