/**
 * `POST /user_management/authenticate`: the token endpoint. The
 * authorization_code and refresh_token grants are what authkit uses; the
 * password grant serves an app with its own sign-in form. The other grants the
 * spec lists continue flows the mock does not run (magic-auth codes sent by
 * `POST /user_management/magic_auth`, email verification, the MFA challenge
 * API, organization selection), so they answer `unauthorized_client`.
 */
import { http, type HttpHandler } from 'msw';
import { toAuthenticationResponse, toUserResponse } from '../serializers.ts';
import type { GrantFailure, MockWorkOSStore } from '../store.ts';
import { adoptShapeOfCode, shapedAccessToken } from './pre-approval.ts';
import {
  clientInfoOf,
  handleApiCall,
  issuerOf,
  jsonResponse,
  oauthError,
  pathFor,
  readParams,
  workosError,
  type HandlerOptions,
} from './shared.ts';

const UNSUPPORTED_GRANTS: Record<string, string> = {
  'urn:workos:oauth:grant-type:magic-auth:code': 'magic-auth codes sent by POST /user_management/magic_auth',
  'urn:workos:oauth:grant-type:email-verification:code': 'email verification',
  'urn:workos:oauth:grant-type:mfa-totp': 'the MFA challenge API',
  'urn:workos:oauth:grant-type:organization-selection': 'organization selection',
  'urn:ietf:params:oauth:grant-type:device_code': 'the device authorization flow',
};

export function authenticationHandlers(store: MockWorkOSStore, options: HandlerOptions): HttpHandler[] {
  function failure(result: GrantFailure): Response {
    if ('error' in result)
      return jsonResponse({ error: result.error, error_description: result.description, ...result.extra }, result.status);
    const user = result.userId ? store.users.get(result.userId) : undefined;
    return workosError(result.status, result.code, result.message, { ...result.extra, ...(user && { user: toUserResponse(user) }) });
  }

  return [
    http.post(pathFor(options, '/user_management/authenticate'), async ({ request }) => {
      const params = await readParams(request);
      return handleApiCall(store, request, 'authenticate', store.subjectOfGrant(params), async (entry) => {
        const grantType = params.grant_type;
        if (!grantType) return workosError(422, 'invalid_request_parameters', 'grant_type is required.');
        const unsupported = UNSUPPORTED_GRANTS[grantType];
        if (!unsupported && grantType !== 'authorization_code' && grantType !== 'refresh_token' && grantType !== 'password') {
          return workosError(422, 'invalid_request_parameters', `grant_type "${grantType}" is not a grant WorkOS knows.`);
        }
        // Every grant the mock accepts is a confidential client's: it proves itself with its secret.
        if (params.client_id !== store.config.clientId || params.client_secret !== store.config.apiKey) {
          return oauthError(400, 'invalid_client', 'Invalid client_id or client_secret.');
        }
        if (unsupported) {
          return oauthError(
            400,
            'unauthorized_client',
            `The mock WorkOS does not run ${unsupported}, so it does not accept grant_type "${grantType}".`,
          );
        }
        const clientId = params.client_id;
        const issuer = issuerOf(request, clientId);
        if (grantType === 'refresh_token') {
          const result = store.refresh({ clientId, refreshToken: params.refresh_token, organizationId: params.organization_id });
          if (!result.ok) return failure(result);
          if (result.value.replayed) return jsonResponse(result.value.response);
          const body = await toAuthenticationResponse(store, { ...result.value, oauthTokens: null, issuer });
          body.access_token = (await shapedAccessToken(store, result.value.session, issuer)) ?? body.access_token;
          store.rememberRotation(params.refresh_token ?? '', body);
          return jsonResponse(body);
        }
        const client = clientInfoOf(request, params);
        const result =
          grantType === 'authorization_code'
            ? store.exchangeCode({
                clientId,
                code: params.code,
                codeVerifier: params.code_verifier,
                client: { ipAddress: params.ip_address, userAgent: params.user_agent },
              })
            : store.authenticateWithPassword({ clientId, email: params.email, password: params.password, client });
        if (!result.ok) return failure(result);
        entry.sessionId = result.value.session.id;
        entry.userId = result.value.session.userId;
        const body = await toAuthenticationResponse(store, { ...result.value, issuer });
        // A session signed in with a pre-approval that shapes its tokens (./pre-approval.ts).
        if (grantType === 'authorization_code') adoptShapeOfCode(store, params.code, result.value.session.id);
        body.access_token = (await shapedAccessToken(store, result.value.session, issuer)) ?? body.access_token;
        return jsonResponse(body);
      });
    }),
  ];
}
