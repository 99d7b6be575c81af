/**
 * Organization API keys (machine access), kept in the directory store with the
 * users' keys: create (the value once), list, delete, validate.
 *
 *   POST   /organizations/{organizationId}/api_keys   201 the key with its `value`, once; 404 organization; 422 bad body
 *   GET    /organizations/{organizationId}/api_keys   200 the organization's keys (paginated), never their values
 *   DELETE /api_keys/{id}                             204; 404 unknown (a deleted key stops validating at once)
 *   POST   /api_keys/validations                      200 `{ api_key }` for a live key, `{ api_key: null }` otherwise
 */
import type { HttpHandler } from 'msw';
import { toApiKeyResponse, toOrganizationApiKeyResponse, type OrganizationApiKeyWithValueJson } from '../serializers.ts';
import type { MockWorkOSStore } from '../store.ts';
import { apiOperation, created, listResponse, noContent, text } from './api.ts';
import { jsonResponse, type HandlerOptions } from './shared.ts';

export function apiKeyHandlers(store: MockWorkOSStore, options: HandlerOptions): HttpHandler[] {
  return [
    apiOperation(
      store,
      options,
      { method: 'post', path: '/organizations/{organizationId}/api_keys', endpoint: 'create_organization_api_key' },
      ({ params, body }) => {
        const key = store.createOrganizationApiKey(params.organizationId ?? '', {
          name: text(body, 'name') ?? '',
          permissions: body.permissions as string[] | undefined,
        });
        const withValue: OrganizationApiKeyWithValueJson = { ...toOrganizationApiKeyResponse(key), value: key.value };
        return created(withValue);
      },
    ),

    apiOperation(
      store,
      options,
      { method: 'get', path: '/organizations/{organizationId}/api_keys', endpoint: 'list_organization_api_keys' },
      ({ params, query }) => listResponse(store.apiKeysOfOrganization(params.organizationId ?? ''), query, toOrganizationApiKeyResponse),
    ),

    apiOperation(store, options, { method: 'delete', path: '/api_keys/{id}', endpoint: 'delete_api_key' }, ({ params }) => {
      store.deleteApiKey(params.id ?? '');
      return noContent();
    }),

    apiOperation(store, options, { method: 'post', path: '/api_keys/validations', endpoint: 'validate_api_key' }, ({ body }) => {
      const key = store.validateApiKey(text(body, 'value') ?? '');
      return jsonResponse({ api_key: key && toApiKeyResponse(key) });
    }),
  ];
}
