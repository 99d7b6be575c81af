/**
 * Webhook endpoints, with the API key: list, create (WorkOS generates the
 * secret), update (URL, status, events), delete. What is delivered to them, and
 * how, lives in ../store/webhooks.ts; the control API reads the deliveries.
 */
import type { HttpHandler } from 'msw';
import { toWebhookEndpointResponse } from '../serializers.ts';
import type { MockWorkOSStore } from '../store.ts';
import { apiOperation, created, listResponse, noContent, text } from './api.ts';
import { jsonResponse, type HandlerOptions } from './shared.ts';

const events = (value: unknown) => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined);

export function webhookHandlers(store: MockWorkOSStore, options: HandlerOptions): HttpHandler[] {
  const { webhooks } = store;
  return [
    apiOperation(store, options, { method: 'get', path: '/webhook_endpoints', endpoint: 'list_webhook_endpoints' }, ({ query }) =>
      listResponse([...webhooks.endpoints.values()], query, toWebhookEndpointResponse),
    ),

    apiOperation(store, options, { method: 'post', path: '/webhook_endpoints', endpoint: 'create_webhook_endpoint' }, ({ body }) =>
      created(
        toWebhookEndpointResponse(webhooks.createEndpoint({ url: text(body, 'endpoint_url') ?? '', events: events(body.events) ?? [] })),
      ),
    ),

    apiOperation(
      store,
      options,
      { method: 'patch', path: '/webhook_endpoints/{id}', endpoint: 'update_webhook_endpoint' },
      ({ params, body }) => {
        const status = text(body, 'status');
        return jsonResponse(
          toWebhookEndpointResponse(
            webhooks.updateEndpoint(params.id ?? '', {
              url: text(body, 'endpoint_url'),
              status: status === 'enabled' || status === 'disabled' ? status : undefined,
              events: events(body.events),
            }),
          ),
        );
      },
    ),

    apiOperation(
      store,
      options,
      { method: 'delete', path: '/webhook_endpoints/{id}', endpoint: 'delete_webhook_endpoint' },
      ({ params }) => {
        webhooks.deleteEndpoint(params.id ?? '');
        return noContent();
      },
    ),
  ];
}
