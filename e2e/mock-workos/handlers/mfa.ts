/**
 * MFA factors and challenges, with the API key: a user's TOTP factors
 * (`/user_management/users/{id}/auth_factors`, what AuthKit's MFA uses) and
 * standalone factors (`/auth/factors`: TOTP, SMS, generic OTP), challenges
 * and their verification. TOTP codes are checked with RFC 6238 (otpauth);
 * an SMS code goes to the outbox; a generic OTP code comes back to the app.
 */
import type { HttpHandler } from 'msw';
import QRCode from 'qrcode';
import {
  toAuthChallengeResponse,
  toAuthFactorResponse,
  toEnrolledAuthFactorResponse,
  type AuthFactorEnrolledJson,
} from '../serializers.ts';
import type { AuthFactorRecord, AuthFactorType, MockWorkOSStore } from '../store.ts';
import { totpOf, type TotpParameters } from '../store/verifications.ts';
import { apiOperation, created, listResponse, noContent, text } from './api.ts';
import { jsonResponse, type HandlerOptions } from './shared.ts';

/** What an authenticator app is given: the otpauth:// URI and a QR code of it (PNG data URL); the API's enrolment and the hosted page's. */
export async function totpSetup(totp: TotpParameters): Promise<{ uri: string; qrCode: string }> {
  const uri = totpOf(totp).toString();
  return { uri, qrCode: await QRCode.toDataURL(uri) };
}

/** The enrolment answer: the only one with the TOTP secret, its otpauth:// URI and a QR code of it. */
async function enrolled(factor: AuthFactorRecord): Promise<AuthFactorEnrolledJson> {
  return toEnrolledAuthFactorResponse(factor, factor.totp ? await totpSetup(factor.totp) : null);
}

export function mfaHandlers(store: MockWorkOSStore, options: HandlerOptions): HttpHandler[] {
  const byUser = ({ params }: { params: Record<string, string> }) => ({ userId: params.userlandUserId });
  const byFactor = ({ params }: { params: Record<string, string> }) => ({
    userId: store.authFactors.get(params.id ?? '')?.userId ?? undefined,
  });

  return [
    apiOperation(
      store,
      options,
      {
        method: 'post',
        path: '/user_management/users/{userlandUserId}/auth_factors',
        endpoint: 'create_user_auth_factor',
        subject: byUser,
      },
      async ({ params, body }) => {
        const { factor, challenge } = store.enrollUserFactor(params.userlandUserId ?? '', {
          issuer: text(body, 'totp_issuer'),
          user: text(body, 'totp_user'),
          secret: text(body, 'totp_secret'),
        });
        return created({
          authentication_factor: await enrolled(factor),
          authentication_challenge: toAuthChallengeResponse(challenge, false),
        });
      },
    ),

    apiOperation(
      store,
      options,
      { method: 'get', path: '/user_management/users/{userlandUserId}/auth_factors', endpoint: 'list_user_auth_factors', subject: byUser },
      ({ params, query }) => {
        store.requireUser(params.userlandUserId ?? '');
        return listResponse(store.factorsOfUser(params.userlandUserId ?? ''), query, toAuthFactorResponse);
      },
    ),

    apiOperation(store, options, { method: 'post', path: '/auth/factors/enroll', endpoint: 'enroll_factor' }, async ({ body }) =>
      created(
        await enrolled(
          store.enrollFactor({
            type: body.type as AuthFactorType,
            issuer: text(body, 'totp_issuer'),
            user: text(body, 'totp_user'),
            phoneNumber: text(body, 'phone_number'),
            userId: text(body, 'user_id'),
          }),
        ),
      ),
    ),

    apiOperation(store, options, { method: 'get', path: '/auth/factors/{id}', endpoint: 'get_factor', subject: byFactor }, ({ params }) =>
      jsonResponse(toAuthFactorResponse(store.requireFactor(params.id ?? ''))),
    ),

    apiOperation(
      store,
      options,
      { method: 'delete', path: '/auth/factors/{id}', endpoint: 'delete_factor', subject: byFactor },
      ({ params }) => {
        store.deleteFactor(params.id ?? '');
        return noContent();
      },
    ),

    apiOperation(
      store,
      options,
      { method: 'post', path: '/auth/factors/{id}/challenge', endpoint: 'challenge_factor', subject: byFactor },
      ({ params, body }) => {
        const factor = store.requireFactor(params.id ?? '');
        const challenge = store.challengeFactor(factor.id, text(body, 'sms_template'));
        return created(toAuthChallengeResponse(challenge, factor.type === 'generic_otp'));
      },
    ),

    apiOperation(
      store,
      options,
      { method: 'post', path: '/auth/challenges/{id}/verify', endpoint: 'verify_challenge' },
      ({ params, body }) => {
        const { challenge, valid } = store.verifyChallenge(params.id ?? '', text(body, 'code') ?? '');
        return created({ challenge: toAuthChallengeResponse(challenge, false), valid });
      },
    ),
  ];
}
