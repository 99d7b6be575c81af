/** `GET /sso/jwks/{clientId}`: the public keys access tokens are verified with. */
import { http, type HttpHandler } from 'msw';
import type { MockWorkOSStore } from '../store.ts';
import { handleApiCall, jsonResponse, pathFor, type HandlerOptions } from './shared.ts';

export function keyHandlers(store: MockWorkOSStore, options: HandlerOptions): HttpHandler[] {
  return [
    http.get<{ clientId: string }>(pathFor(options, '/sso/jwks/:clientId'), ({ request, params }) =>
      handleApiCall(store, request, 'jwks', {}, (entry) => {
        if (params.clientId !== store.config.clientId) {
          return jsonResponse({ message: `No JWKS for client ${params.clientId}.`, code: 'entity_not_found' }, 404);
        }
        const keys = store.keys.publishedKeys(store.now());
        entry.kids = keys.map((key) => key.kid);
        return jsonResponse({ keys });
      }),
    ),
  ];
}
