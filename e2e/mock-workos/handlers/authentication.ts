/**
 * `POST /user_management/authenticate`: the token endpoint. The
 * authorization_code and refresh_token grants are what authkit uses; the
 * password and magic-auth grants serve an app with its own sign-in form, and
 * the email-verification, MFA-TOTP and organization-selection grants continue
 * a sign-in that answered one of those steps (../store/sessions.ts). The
 * device-code grant (and the Radar grants, which the spec does not list)
 * answer `unauthorized_client`.
 */
import { http, type HttpHandler } from 'msw';
import { toAuthenticationResponse, toUserResponse } from '../serializers.ts';
import { invalidGrant, type GrantFailure, type GrantResult, type MockWorkOSStore } from '../store.ts';
import type { IssuedSession } from '../store/sessions.ts';
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

const MAGIC_AUTH = 'urn:workos:oauth:grant-type:magic-auth:code';
const EMAIL_VERIFICATION = 'urn:workos:oauth:grant-type:email-verification:code';
const MFA_TOTP = 'urn:workos:oauth:grant-type:mfa-totp';
const ORGANIZATION_SELECTION = 'urn:workos:oauth:grant-type:organization-selection';

/** The grants the mock runs (the coverage table reads this). */
export const SUPPORTED_GRANTS: readonly string[] = [
  'authorization_code',
  'refresh_token',
  'password',
  MAGIC_AUTH,
  EMAIL_VERIFICATION,
  MFA_TOTP,
  ORGANIZATION_SELECTION,
];

/** Grants WorkOS knows that the mock does not run, and why. */
export const UNSUPPORTED_GRANTS: Readonly<Record<string, string>> = {
  'urn:ietf:params:oauth:grant-type:device_code': 'the device authorization flow',
  'urn:workos:oauth:grant-type:radar-sms-challenge:code': 'Radar challenges (not in the spec)',
  'urn:workos:oauth:grant-type:radar-email-challenge:code': 'Radar challenges (not in the spec)',
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
        if (!unsupported && !SUPPORTED_GRANTS.includes(grantType)) {
          return workosError(422, 'invalid_request_parameters', `grant_type "${grantType}" is not a grant WorkOS knows.`);
        }
        // A confidential client proves itself with its secret. A public client sends none: it may only exchange
        // a code issued with PKCE (the verifier proves it) and refresh the sessions such codes started.
        const publicClient = params.client_secret === undefined && (grantType === 'authorization_code' || grantType === 'refresh_token');
        if (params.client_id !== store.config.clientId || (!publicClient && params.client_secret !== store.config.apiKey)) {
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
          const result = store.refresh({
            clientId,
            refreshToken: params.refresh_token,
            organizationId: params.organization_id,
            publicClient,
          });
          if (!result.ok) return failure(result);
          if (result.value.replayed) return jsonResponse(result.value.response);
          entry.organizationId = result.value.session.organizationId;
          const body = await toAuthenticationResponse(store, { ...result.value, oauthTokens: null, issuer });
          body.access_token = (await shapedAccessToken(store, result.value.session, issuer)) ?? body.access_token;
          store.rememberRotation(params.refresh_token ?? '', body);
          entry.authenticationMethod = body.authentication_method ?? null;
          return jsonResponse(body);
        }
        const client = clientInfoOf(request, params);
        const pendingToken = params.pending_authentication_token;
        const grants: Record<string, () => GrantResult<IssuedSession>> = {
          authorization_code: () =>
            store.exchangeCode({
              clientId,
              code: params.code,
              codeVerifier: params.code_verifier,
              client: { ipAddress: params.ip_address, userAgent: params.user_agent },
              publicClient,
            }),
          password: () => store.authenticateWithPassword({ clientId, email: params.email, password: params.password, client }),
          [MAGIC_AUTH]: () => store.authenticateWithMagicAuth({ clientId, email: params.email, code: params.code, client }),
          [EMAIL_VERIFICATION]: () => store.authenticateWithEmailVerification({ clientId, pendingToken, code: params.code }),
          [MFA_TOTP]: () =>
            store.authenticateWithTotp({ clientId, pendingToken, challengeId: params.authentication_challenge_id, code: params.code }),
          [ORGANIZATION_SELECTION]: () =>
            store.authenticateWithOrganizationSelection({ clientId, pendingToken, organizationId: params.organization_id }),
        };
        const result = grants[grantType]?.() ?? invalidGrant(`grant_type "${grantType}" is not handled.`);
        if (!result.ok) return failure(result);
        entry.sessionId = result.value.session.id;
        entry.userId = result.value.session.userId;
        entry.organizationId = result.value.session.organizationId;
        const body = await toAuthenticationResponse(store, { ...result.value, issuer });
        // A session signed in with a pre-approval that shapes its tokens (./pre-approval.ts).
        if (grantType === 'authorization_code') adoptShapeOfCode(store, params.code, result.value.session.id);
        body.access_token = (await shapedAccessToken(store, result.value.session, issuer)) ?? body.access_token;
        entry.authenticationMethod = body.authentication_method ?? null;
        return jsonResponse(body);
      });
    }),
  ];
}
