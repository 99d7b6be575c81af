/**
 * Organization API keys (machine access): create, list, delete, and validate,
 * as WorkOS' API serves them to an app holding its API key.
 *
 *   POST   /organizations/{id}/api_keys   201 the key with its `value`, once; 404 organization; 422 no name
 *   GET    /organizations/{id}/api_keys   200 list (paginated, newest first); 404 organization
 *   DELETE /api_keys/{id}                 204; 404 unknown (a deleted key stops validating at once)
 *   POST   /api_keys/validations          200 `{ api_key }` for a live key, `{ api_key: null }` otherwise; 422 no value
 *
 * The mock keeps a SHA-256 of each value, never the value. State lives here,
 * per store, as the pre-approvals do (the store is being extended elsewhere).
 */
import { createHash } from 'node:crypto';
import { http, type HttpHandler } from 'msw';
import type { components } from '@workos/openapi-spec';
import { toListResponse } from '../serializers.ts';
import { generateId, randomToken, type MockWorkOSStore } from '../store.ts';
import { paginate, PaginationError } from './pagination.ts';
import { handleApiCall, hasApiKey, jsonResponse, pathFor, unauthorized, workosError, type HandlerOptions } from './shared.ts';

type OrganizationApiKeyJson = components['schemas']['OrganizationApiKey'];
type OrganizationApiKeyWithValueJson = components['schemas']['OrganizationApiKeyWithValue'];

interface ApiKeyRecord {
  id: string;
  organizationId: string;
  name: string;
  permissions: string[];
  valueHash: string;
  obfuscatedValue: string;
  createdAt: string;
  updatedAt: string;
  lastUsedAt: string | null;
}

const states = new WeakMap<MockWorkOSStore, Map<string, ApiKeyRecord>>();

function keysOf(store: MockWorkOSStore): Map<string, ApiKeyRecord> {
  let keys = states.get(store);
  if (!keys) {
    keys = new Map();
    states.set(store, keys);
  }
  return keys;
}

/** With the store's reset (`POST /__mock/reset`). */
export function clearApiKeys(store: MockWorkOSStore): void {
  states.delete(store);
}

const hash = (value: string) => createHash('sha256').update(value).digest('hex');

function toApiKeyResponse(key: ApiKeyRecord): OrganizationApiKeyJson {
  return {
    object: 'api_key',
    id: key.id,
    owner: { type: 'organization', id: key.organizationId },
    name: key.name,
    obfuscated_value: key.obfuscatedValue,
    last_used_at: key.lastUsedAt,
    permissions: key.permissions,
    created_at: key.createdAt,
    updated_at: key.updatedAt,
  };
}

const notFound = (kind: string, id: string) =>
  jsonResponse({ message: `${kind} not found: '${id}'.`, code: 'entity_not_found', entity_id: id }, 404);

/** The spec's 422 shape: a message and the fields at fault. */
const invalid = (field: string, code: string) => jsonResponse({ message: 'Validation failed.', errors: [{ code, field }] }, 422);

async function jsonBody(request: Request): Promise<Record<string, unknown>> {
  try {
    const body: unknown = await request.json();
    return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function apiKeyHandlers(store: MockWorkOSStore, options: HandlerOptions): HttpHandler[] {
  return [
    http.post<{ organizationId: string }>(pathFor(options, '/organizations/:organizationId/api_keys'), ({ request, params }) =>
      handleApiCall(store, request, 'create_api_key', {}, async () => {
        if (!hasApiKey(store, request)) return unauthorized();
        if (!store.organizations.has(params.organizationId)) return notFound('Organization', params.organizationId);
        const body = await jsonBody(request);
        const name = typeof body.name === 'string' ? body.name.trim() : '';
        if (!name) return invalid('name', 'required');
        const permissions = body.permissions ?? [];
        if (!Array.isArray(permissions) || !permissions.every((permission) => typeof permission === 'string'))
          return invalid('permissions', 'invalid');
        const value = `sk_org_${randomToken(24)}`;
        const now = new Date(store.now()).toISOString();
        const key: ApiKeyRecord = {
          id: generateId('api_key'),
          organizationId: params.organizationId,
          name,
          permissions,
          valueHash: hash(value),
          obfuscatedValue: `sk_...${value.slice(-4)}`,
          createdAt: now,
          updatedAt: now,
          lastUsedAt: null,
        };
        keysOf(store).set(key.id, key);
        const created: OrganizationApiKeyWithValueJson = { ...toApiKeyResponse(key), value };
        return jsonResponse(created, 201);
      }),
    ),

    http.get<{ organizationId: string }>(pathFor(options, '/organizations/:organizationId/api_keys'), ({ request, params }) =>
      handleApiCall(store, request, 'list_api_keys', {}, () => {
        if (!hasApiKey(store, request)) return unauthorized();
        if (!store.organizations.has(params.organizationId)) return notFound('Organization', params.organizationId);
        const keys = [...keysOf(store).values()].filter((key) => key.organizationId === params.organizationId);
        try {
          const { page, listMetadata } = paginate(keys, new URL(request.url).searchParams);
          return jsonResponse(toListResponse(page.map(toApiKeyResponse), listMetadata));
        } catch (error) {
          if (error instanceof PaginationError) return workosError(400, 'invalid_request_parameters', error.message);
          throw error;
        }
      }),
    ),

    http.delete<{ id: string }>(pathFor(options, '/api_keys/:id'), ({ request, params }) =>
      handleApiCall(store, request, 'delete_api_key', {}, () => {
        if (!hasApiKey(store, request)) return unauthorized();
        if (!keysOf(store).delete(params.id)) return notFound('API key', params.id);
        return new Response(null, { status: 204 });
      }),
    ),

    http.post(pathFor(options, '/api_keys/validations'), ({ request }) =>
      handleApiCall(store, request, 'validate_api_key', {}, async () => {
        if (!hasApiKey(store, request)) return unauthorized();
        const { value } = await jsonBody(request);
        if (typeof value !== 'string' || !value) return invalid('value', 'required');
        const key = [...keysOf(store).values()].find((candidate) => candidate.valueHash === hash(value));
        if (!key) return jsonResponse({ api_key: null });
        key.lastUsedAt = new Date(store.now()).toISOString();
        return jsonResponse({ api_key: toApiKeyResponse(key) });
      }),
    ),
  ];
}
