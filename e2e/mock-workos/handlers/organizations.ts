/**
 * Organizations and their roles, with the API key: list (by domain, by a
 * search of the name), create (with an `Idempotency-Key`, as WorkOS honours
 * it), get (by id or external id), update, delete; an organization's roles
 * (the environment's and its own) and their permissions.
 */
import type { HttpHandler } from 'msw';
import { toOrganizationResponse, toRoleResponse } from '../serializers.ts';
import { fieldError, invalidParameters, WorkOSError, type DomainState, type MockWorkOSStore, type OrganizationRecord } from '../store.ts';
import { apiOperation, created, listParam, listResponse, noContent, text, type Body } from './api.ts';
import { jsonResponse, type HandlerOptions } from './shared.ts';

/** How long WorkOS remembers an idempotency key. */
const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

/** Domains from `domain_data` (with their state) or the deprecated `domains` (verified). */
function domainDataOf(body: Body): { domain: string; state: DomainState }[] | undefined {
  if (Array.isArray(body.domain_data)) return body.domain_data as { domain: string; state: DomainState }[];
  if (Array.isArray(body.domains)) return (body.domains as string[]).map((domain) => ({ domain, state: 'verified' }));
  return undefined;
}

function nameOf(body: Body): string | undefined {
  const name = text(body, 'name');
  if (name !== undefined && !name.trim()) throw invalidParameters([fieldError('name', 'name_required', 'name must not be empty.')]);
  return name?.trim();
}

const nullableText = (body: Body, name: string): string | null | undefined =>
  body[name] === null ? null : typeof body[name] === 'string' ? body[name] : undefined;

export function organizationHandlers(store: MockWorkOSStore, options: HandlerOptions): HttpHandler[] {
  const idempotency = store.idempotencyKeys;
  const organization = (record: OrganizationRecord) => jsonResponse(toOrganizationResponse(record));
  const roleParams = (params: Record<string, string>) => [params.organizationId ?? '', params.slug ?? ''] as const;

  return [
    apiOperation(store, options, { method: 'get', path: '/organizations', endpoint: 'list_organizations' }, ({ query }) => {
      const domains = new Set(listParam(query, 'domains').map((domain) => domain.toLowerCase()));
      const search = query.get('search')?.trim().toLowerCase();
      const organizations = [...store.organizations.values()].filter(
        (candidate) =>
          (domains.size === 0 || candidate.domains.some((record) => domains.has(record.domain))) &&
          (!search || candidate.name.toLowerCase().includes(search)),
      );
      return listResponse(organizations, query, toOrganizationResponse);
    }),

    // WorkOS answers a repeated Idempotency-Key with the organization the first call created (for 24 hours);
    // the same key with another body is a conflict.
    apiOperation(store, options, { method: 'post', path: '/organizations', endpoint: 'create_organization' }, ({ request, body }) => {
      const key = request.headers.get('idempotency-key');
      const remembered = key ? idempotency.get(key) : undefined;
      if (remembered && store.now() - remembered.at < IDEMPOTENCY_KEY_TTL_MS) {
        if (remembered.body !== JSON.stringify(body)) {
          throw new WorkOSError(409, 'idempotency_key_reused', `The Idempotency-Key "${key}" was used with a different request.`);
        }
        const original = store.organizations.get(remembered.objectId);
        if (original) return created(toOrganizationResponse(original));
      }
      const record = store.createOrganization({
        name: nameOf(body) ?? '',
        domainData: domainDataOf(body),
        externalId: nullableText(body, 'external_id'),
        metadata: (body.metadata as Record<string, string> | null | undefined) ?? undefined,
        allowProfilesOutsideOrganization: body.allow_profiles_outside_organization === true,
      });
      if (key) idempotency.set(key, { objectId: record.id, body: JSON.stringify(body), at: store.now() });
      return created(toOrganizationResponse(record));
    }),

    apiOperation(store, options, { method: 'get', path: '/organizations/{id}', endpoint: 'get_organization' }, ({ params }) =>
      organization(store.requireOrganization(params.id ?? '')),
    ),

    apiOperation(
      store,
      options,
      { method: 'get', path: '/organizations/external_id/{external_id}', endpoint: 'get_organization_by_external_id' },
      ({ params }) => {
        const found = store.findOrganizationByExternalId(params.external_id ?? '');
        if (!found) throw new WorkOSError(404, 'entity_not_found', `Organization not found: '${params.external_id ?? ''}'.`);
        return organization(found);
      },
    ),

    apiOperation(store, options, { method: 'put', path: '/organizations/{id}', endpoint: 'update_organization' }, ({ params, body }) =>
      organization(
        store.updateOrganization(params.id ?? '', {
          name: nameOf(body),
          domainData: domainDataOf(body),
          externalId: nullableText(body, 'external_id'),
          metadata: body.metadata === null ? null : (body.metadata as Record<string, string> | undefined),
          stripeCustomerId: nullableText(body, 'stripe_customer_id'),
          allowProfilesOutsideOrganization:
            typeof body.allow_profiles_outside_organization === 'boolean' ? body.allow_profiles_outside_organization : undefined,
        }),
      ),
    ),

    apiOperation(store, options, { method: 'delete', path: '/organizations/{id}', endpoint: 'delete_organization' }, ({ params }) => {
      store.deleteOrganization(params.id ?? '');
      return noContent(200);
    }),

    // ── roles ────────────────────────────────────────────────────────────
    apiOperation(
      store,
      options,
      { method: 'get', path: '/authorization/organizations/{organizationId}/roles', endpoint: 'list_organization_roles' },
      ({ params }) => jsonResponse({ object: 'list', data: store.rolesOfOrganization(params.organizationId ?? '').map(toRoleResponse) }),
    ),

    apiOperation(
      store,
      options,
      { method: 'post', path: '/authorization/organizations/{organizationId}/roles', endpoint: 'create_organization_role' },
      ({ params, body }) => {
        const name = text(body, 'name') ?? '';
        if (!name.trim()) throw invalidParameters([fieldError('name', 'name_required', 'name must not be empty.')]);
        if (body.resource_type_slug !== undefined && body.resource_type_slug !== 'organization') {
          throw new WorkOSError(400, 'bad_request', 'The mock WorkOS knows only the organization resource type.');
        }
        return created(
          toRoleResponse(
            store.createOrganizationRole(params.organizationId ?? '', {
              slug: text(body, 'slug'),
              name: name.trim(),
              description: nullableText(body, 'description'),
            }),
          ),
        );
      },
    ),

    apiOperation(
      store,
      options,
      { method: 'get', path: '/authorization/organizations/{organizationId}/roles/{slug}', endpoint: 'get_organization_role' },
      ({ params }) => jsonResponse(toRoleResponse(store.organizationRole(...roleParams(params)))),
    ),

    apiOperation(
      store,
      options,
      { method: 'patch', path: '/authorization/organizations/{organizationId}/roles/{slug}', endpoint: 'update_organization_role' },
      ({ params, body }) => {
        const name = text(body, 'name');
        if (name !== undefined && !name.trim()) throw invalidParameters([fieldError('name', 'name_required', 'name must not be empty.')]);
        return jsonResponse(
          toRoleResponse(
            store.updateOrganizationRole(...roleParams(params), { name: name?.trim(), description: nullableText(body, 'description') }),
          ),
        );
      },
    ),

    apiOperation(
      store,
      options,
      { method: 'delete', path: '/authorization/organizations/{organizationId}/roles/{slug}', endpoint: 'delete_organization_role' },
      ({ params }) => {
        store.deleteOrganizationRole(...roleParams(params));
        return noContent();
      },
    ),

    apiOperation(
      store,
      options,
      {
        method: 'put',
        path: '/authorization/organizations/{organizationId}/roles/{slug}/permissions',
        endpoint: 'set_organization_role_permissions',
      },
      ({ params, body }) =>
        jsonResponse(toRoleResponse(store.setOrganizationRolePermissions(...roleParams(params), body.permissions as string[]))),
    ),

    apiOperation(
      store,
      options,
      {
        method: 'post',
        path: '/authorization/organizations/{organizationId}/roles/{slug}/permissions',
        endpoint: 'add_organization_role_permission',
      },
      ({ params, body }) =>
        jsonResponse(toRoleResponse(store.addOrganizationRolePermission(...roleParams(params), text(body, 'slug') ?? ''))),
    ),

    apiOperation(
      store,
      options,
      {
        method: 'delete',
        path: '/authorization/organizations/{organizationId}/roles/{slug}/permissions/{permissionSlug}',
        endpoint: 'remove_organization_role_permission',
      },
      ({ params }) =>
        jsonResponse(toRoleResponse(store.removeOrganizationRolePermission(...roleParams(params), params.permissionSlug ?? ''))),
    ),
  ];
}
