/** `POST /user_management/authenticate`: the token endpoint authkit calls for code exchange and refresh. */
import { http, type HttpHandler } from 'msw';
import { toAuthenticationResponse } from '../serializers.ts';
import type { MockWorkOSStore } from '../store.ts';
import { handleApiCall, issuerOf, jsonResponse, oauthError, pathFor, readParams, type HandlerOptions } from './shared.ts';

export function authenticationHandlers(store: MockWorkOSStore, options: HandlerOptions): HttpHandler[] {
  return [
    http.post(pathFor(options, '/user_management/authenticate'), async ({ request }) => {
      const params = await readParams(request);
      return handleApiCall(store, request, 'authenticate', store.subjectOfGrant(params), async (entry) => {
        if (params.client_id !== store.config.clientId || params.client_secret !== store.config.apiKey) {
          return oauthError(401, 'invalid_client', 'Invalid client_id or client_secret.');
        }
        const clientId = params.client_id;
        if (params.grant_type === 'authorization_code') {
          const result = store.exchangeCode({ clientId, code: params.code, codeVerifier: params.code_verifier });
          if (!result.ok) return oauthError(result.status, result.error, result.description);
          entry.sessionId = result.value.session.id;
          entry.userId = result.value.session.userId;
          return jsonResponse(await toAuthenticationResponse(store, { ...result.value, issuer: issuerOf(request) }));
        }
        if (params.grant_type === 'refresh_token') {
          const result = store.refresh({ clientId, refreshToken: params.refresh_token, organizationId: params.organization_id });
          if (!result.ok) return oauthError(result.status, result.error, result.description);
          return jsonResponse(await toAuthenticationResponse(store, { ...result.value, oauthTokens: null, issuer: issuerOf(request) }));
        }
        return oauthError(400, 'unsupported_grant_type', `grant_type "${params.grant_type ?? ''}" is not supported by the mock.`);
      });
    }),
  ];
}
