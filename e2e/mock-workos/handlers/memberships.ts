/**
 * Organization memberships, with the API key: list (by user and/or
 * organization, active unless `statuses` says otherwise), create, get, change
 * the role, deactivate, reactivate, delete. A role change reaches the member's
 * next access token (refresh): tokens read the membership when issued.
 */
import type { HttpHandler } from 'msw';
import { toListResponse, toMembershipResponse } from '../serializers.ts';
import { MEMBERSHIP_STATUSES, WorkOSError, type MembershipRecord, type MembershipStatus, type MockWorkOSStore } from '../store.ts';
import { apiOperation, created, listParam, listResponse, noContent, text, type Body } from './api.ts';
import { paginate } from './pagination.ts';
import { jsonResponse, type HandlerOptions } from './shared.ts';

const isMembershipStatus = (value: string): value is MembershipStatus => (MEMBERSHIP_STATUSES as readonly string[]).includes(value);

/** `role_slug`, or `role_slugs` with one role (the mock, like an environment without Multiple Roles, has one per membership). */
function roleOf(body: Body): string | undefined {
  const slugs = body.role_slugs as string[] | undefined;
  if (slugs !== undefined) {
    if (slugs.length !== 1) {
      throw new WorkOSError(422, 'multiple_roles_not_enabled', 'Multiple roles are not enabled: send exactly one role.');
    }
    return slugs[0];
  }
  return text(body, 'role_slug');
}

export function membershipHandlers(store: MockWorkOSStore, options: HandlerOptions): HttpHandler[] {
  const membership = (record: MembershipRecord) => jsonResponse(toMembershipResponse(store, record));
  const byMembership = ({ params }: { params: Record<string, string> }) => ({ userId: store.memberships.get(params.id ?? '')?.userId });

  return [
    apiOperation(
      store,
      options,
      {
        method: 'get',
        path: '/user_management/organization_memberships',
        endpoint: 'list_organization_memberships',
        subject: ({ query }) => ({ userId: query.get('user_id') ?? undefined }),
        paginationErrorStatus: 400,
      },
      ({ query }) => {
        const userId = query.get('user_id') ?? undefined;
        const organizationId = query.get('organization_id') ?? undefined;
        if (!userId && !organizationId) {
          throw new WorkOSError(400, 'missing_user_id_or_organization_id', 'Either user_id or organization_id is required.');
        }
        if (organizationId) store.requireOrganization(organizationId);
        // WorkOS: only active memberships unless `statuses` (comma-separated) asks for others.
        const statuses = listParam(query, 'statuses');
        const unknownStatus = statuses.find((status) => !isMembershipStatus(status));
        if (unknownStatus !== undefined) {
          throw new WorkOSError(
            400,
            'invalid_request_parameters',
            `statuses must be a list of ${MEMBERSHIP_STATUSES.join(', ')}, got "${unknownStatus}".`,
          );
        }
        const wanted = new Set<string>(statuses.length > 0 ? statuses : ['active']);
        const matching = [...store.memberships.values()].filter(
          (candidate) =>
            (!userId || candidate.userId === userId) &&
            (!organizationId || candidate.organizationId === organizationId) &&
            wanted.has(candidate.status),
        );
        return listResponse(matching, query, (record) => toMembershipResponse(store, record));
      },
    ),

    apiOperation(
      store,
      options,
      {
        method: 'post',
        path: '/user_management/organization_memberships',
        endpoint: 'create_organization_membership',
        subject: ({ body }) => ({ userId: text(body, 'user_id') }),
      },
      ({ body }) =>
        created(
          toMembershipResponse(
            store,
            store.createMembership(text(body, 'user_id') ?? '', text(body, 'organization_id') ?? '', roleOf(body) ?? 'member'),
          ),
        ),
    ),

    apiOperation(
      store,
      options,
      {
        method: 'get',
        path: '/user_management/organization_memberships/{id}',
        endpoint: 'get_organization_membership',
        subject: byMembership,
      },
      ({ params }) => membership(store.requireMembership(params.id ?? '')),
    ),

    apiOperation(
      store,
      options,
      {
        method: 'put',
        path: '/user_management/organization_memberships/{id}',
        endpoint: 'update_organization_membership',
        subject: byMembership,
      },
      ({ params, body }) => {
        const role = roleOf(body);
        const record = store.requireMembership(params.id ?? '');
        return membership(role === undefined ? record : store.updateMembershipRole(record.id, role));
      },
    ),

    apiOperation(
      store,
      options,
      {
        method: 'delete',
        path: '/user_management/organization_memberships/{id}',
        endpoint: 'delete_organization_membership',
        subject: byMembership,
      },
      ({ params }) => {
        store.deleteMembership(params.id ?? '');
        return noContent(200);
      },
    ),

    apiOperation(
      store,
      options,
      {
        method: 'put',
        path: '/user_management/organization_memberships/{id}/deactivate',
        endpoint: 'deactivate_organization_membership',
        subject: byMembership,
      },
      ({ params }) => membership(store.deactivateMembership(params.id ?? '')),
    ),

    // The mock has no groups (the SDK's groups module is not served), so every membership's list is empty.
    apiOperation(
      store,
      options,
      {
        method: 'get',
        path: '/user_management/organization_memberships/{omId}/groups',
        endpoint: 'list_organization_membership_groups',
        subject: ({ params }) => ({ userId: store.memberships.get(params.omId ?? '')?.userId }),
      },
      ({ params, query }) => {
        store.requireMembership(params.omId ?? '');
        return jsonResponse(toListResponse([], paginate([], query).listMetadata));
      },
    ),

    apiOperation(
      store,
      options,
      {
        method: 'put',
        path: '/user_management/organization_memberships/{id}/reactivate',
        endpoint: 'reactivate_organization_membership',
        subject: byMembership,
      },
      ({ params }) => membership(store.reactivateMembership(params.id ?? '')),
    ),
  ];
}
