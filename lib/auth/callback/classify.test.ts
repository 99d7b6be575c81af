import { CallbackError } from '@workos-inc/authkit-nextjs';
import {
  AuthenticationException,
  GenericServerException,
  NotFoundException,
  OauthException,
  RateLimitExceededException,
  UnauthorizedException,
  UnprocessableEntityException,
} from '@workos-inc/node';
import { describe, expect, it } from 'vitest';
import { AuthConfigError } from '../config/env';
import { AUTH_ERROR_CODES, type AuthErrorCode } from '../errors/codes';
import { classifyCallbackError } from './classify';

const REDIRECT_URI = 'http://localhost:3000/api/auth/callback';
const CALLBACK = `${REDIRECT_URI}?code=01JCODE&state=sealed`;

function classify(error: unknown, url: string = CALLBACK): AuthErrorCode {
  return classifyCallbackError({ error, url: new URL(url), redirectUri: REDIRECT_URI });
}

/** What the SDK's handleHttpError throws when fetch itself fails (DNS, refused, reset). */
function sdkNetworkError(): Error {
  const cause = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
  return new Error(`Unexpected error: ${String(cause)}`, { cause });
}

function valiError(): Error {
  const error = new Error('Invalid type: Expected string but received undefined');
  error.name = 'ValiError';
  return error;
}

// One realistic input per code, in AUTH_ERROR_CODES order.
const REALISTIC: [string, () => AuthErrorCode, AuthErrorCode][] = [
  ['?error=access_denied', () => classify(null, `${REDIRECT_URI}?error=access_denied&error_description=User+cancelled`), 'access_denied'],
  ['?error=sso_connection_failed', () => classify(null, `${REDIRECT_URI}?error=sso_connection_failed`), 'sso_failed'],
  ['CallbackError missing_auth_params', () => classify(new CallbackError('Missing code', 'missing_auth_params')), 'missing_params'],
  ['CallbackError oauth_state_mismatch', () => classify(new CallbackError('State mismatch', 'oauth_state_mismatch')), 'invalid_state'],
  [
    'CallbackError missing_pkce_cookie on the configured origin',
    () => classify(new CallbackError('No verifier cookie', 'missing_pkce_cookie')),
    'missing_verifier',
  ],
  ['?error=redirect_uri_mismatch', () => classify(null, `${REDIRECT_URI}?error=redirect_uri_mismatch`), 'redirect_uri_mismatch'],
  [
    'OauthException 400 invalid_grant',
    () => classify(new OauthException(400, 'req_1', 'invalid_grant', 'The code has expired.', {})),
    'invalid_code',
  ],
  ['GenericServerException 503', () => classify(new GenericServerException(503, 'Service Unavailable', {}, 'req_1')), 'workos_unavailable'],
  ['UnauthorizedException', () => classify(new UnauthorizedException('req_1')), 'configuration_error'],
  ['a random Error', () => classify(new Error('boom')), 'unexpected'],
];

describe('classifyCallbackError', () => {
  it.each(REALISTIC)('%s', (_label, run, expected) => {
    expect(run()).toBe(expected);
  });

  it('has a realistic input for every code', () => {
    // session_too_large follows a successful code exchange (callback/route.ts, session/proxy.ts), not an error.
    expect(REALISTIC.map(([, run]) => run())).toEqual(AUTH_ERROR_CODES.filter((code) => code !== 'session_too_large'));
  });

  describe('provider errors on the callback URL', () => {
    it.each([
      ['access_denied', 'access_denied'],
      ['redirect_uri_mismatch', 'redirect_uri_mismatch'],
      ['invalid_redirect_uri', 'redirect_uri_mismatch'],
      ['unauthorized_client', 'redirect_uri_mismatch'],
      ['sso_connection_failed', 'sso_failed'],
      ['server_error', 'sso_failed'],
      ['', 'sso_failed'],
    ])('?error=%s → %s', (providerError, expected) => {
      expect(classify(null, `${REDIRECT_URI}?error=${providerError}`)).toBe(expected);
    });

    it('takes precedence over the thrown error', () => {
      const url = `${REDIRECT_URI}?error=access_denied`;
      expect(classify(new GenericServerException(503, undefined, {}, 'req_1'), url)).toBe('access_denied');
      expect(classify(new CallbackError('Missing code', 'missing_auth_params'), url)).toBe('access_denied');
    });
  });

  describe('authkit CallbackError codes', () => {
    it('reports a missing verifier on another origin (127.0.0.1 vs localhost) as a redirect URI mismatch', () => {
      const error = new CallbackError('No verifier cookie', 'missing_pkce_cookie');
      expect(classify(error, 'http://127.0.0.1:3000/api/auth/callback?code=c&state=s')).toBe('redirect_uri_mismatch');
      expect(classify(error, 'http://localhost:3001/api/auth/callback?code=c&state=s')).toBe('redirect_uri_mismatch');
      expect(classify(error, 'https://localhost:3000/api/auth/callback?code=c&state=s')).toBe('redirect_uri_mismatch');
    });

    it('reports a missing verifier as invalid_state when the browser holds a verifier for another state (tampered state)', () => {
      const error = new CallbackError('No verifier cookie', 'missing_pkce_cookie');
      expect(classifyCallbackError({ error, url: new URL(CALLBACK), redirectUri: REDIRECT_URI, hasVerifierCookie: true })).toBe(
        'invalid_state',
      );
      expect(classifyCallbackError({ error, url: new URL(CALLBACK), redirectUri: REDIRECT_URI, hasVerifierCookie: false })).toBe(
        'missing_verifier',
      );
    });

    it('reports missing tokens as unexpected', () => {
      expect(classify(new CallbackError('No tokens', 'missing_tokens'))).toBe('unexpected');
    });
  });

  it('reports a sealed state of the wrong shape (ValiError) as invalid_state', () => {
    expect(classify(valiError())).toBe('invalid_state');
  });

  describe('WorkOS SDK exceptions', () => {
    it.each([
      ['OauthException 400 invalid_grant', new OauthException(400, 'req_1', 'invalid_grant', 'expired', {}), 'invalid_code'],
      [
        'NotFoundException',
        new NotFoundException({ code: 'not_found', message: 'Not found', path: '/x', requestID: 'req_1' }),
        'invalid_code',
      ],
      ['UnprocessableEntityException', new UnprocessableEntityException({ code: 'invalid', requestID: 'req_1' }), 'invalid_code'],
      ['GenericServerException 500', new GenericServerException(500, 'Internal Server Error', {}, 'req_1'), 'workos_unavailable'],
      ['GenericServerException 502', new GenericServerException(502, undefined, {}, 'req_1'), 'workos_unavailable'],
      ['GenericServerException 503', new GenericServerException(503, undefined, {}, 'req_1'), 'workos_unavailable'],
      ['RateLimitExceededException', new RateLimitExceededException('Too many requests', 'req_1', 30), 'workos_unavailable'],
      // The SDK turns its own request timeout into a 408 with `error` set.
      ['OauthException 408 (SDK timeout)', new OauthException(408, '', 'Request timeout', undefined, {}), 'workos_unavailable'],
      ['UnauthorizedException', new UnauthorizedException('req_1'), 'configuration_error'],
      ['GenericServerException 403', new GenericServerException(403, 'Forbidden', {}, 'req_1'), 'configuration_error'],
      ['GenericServerException 418', new GenericServerException(418, undefined, {}, 'req_1'), 'unexpected'],
    ])('%s → %s', (_label, error, expected) => {
      expect(classify(error)).toBe(expected);
    });

    // WorkOS' OpenAPI spec lists a bad client secret under 400 (`invalid_client`), not 401.
    it.each([
      ['invalid_client', 'configuration_error'],
      ['unauthorized_client', 'configuration_error'],
      ['pkce_not_supported', 'configuration_error'],
      ['invalid_grant', 'invalid_code'],
      ['invalid_request', 'invalid_code'],
    ])('OauthException 400 %s → %s', (oauthError, expected) => {
      expect(classify(new OauthException(400, 'req_1', oauthError, 'The request failed.', { error: oauthError }))).toBe(expected);
    });

    // The spec's 403s for the token endpoint are sign-in steps the hosted UI did not finish, not the app's credentials.
    it.each([
      [
        'mfa_enrollment (AuthenticationException)',
        new AuthenticationException(403, { code: 'mfa_enrollment', message: 'Enroll first.' }, 'req_1'),
      ],
      [
        'email_verification_required (AuthenticationException)',
        new AuthenticationException(403, { code: 'email_verification_required', message: 'Verify first.' }, 'req_1'),
      ],
      [
        'authentication_method_not_allowed (GenericServerException)',
        new GenericServerException(403, 'Not allowed', { code: 'authentication_method_not_allowed', message: 'Not allowed' }, 'req_1'),
      ],
    ])('403 %s → access_denied', (_label, error) => {
      expect(classify(error)).toBe('access_denied');
    });

    it('checks the exception classes really carry the status it reads', () => {
      expect(new UnauthorizedException('req_1').status).toBe(401);
      expect(new RateLimitExceededException('slow down', 'req_1', null).status).toBe(429);
    });
  });

  describe('network failures', () => {
    it('recognises the SDK wrapping a fetch TypeError in an Error cause', () => {
      expect(classify(sdkNetworkError())).toBe('workos_unavailable');
    });

    it('recognises a bare fetch TypeError', () => {
      expect(classify(new TypeError('fetch failed'))).toBe('workos_unavailable');
    });

    it('recognises an HttpClientError timeout by name', () => {
      const error = new Error('Request timeout after 4000ms');
      error.name = 'HttpClientError';
      expect(classify(error)).toBe('workos_unavailable');
    });

    it('does not treat an ordinary Error that mentions the network as a network failure', () => {
      expect(classify(new Error('network policy rejected the request'))).toBe('unexpected');
    });

    it('does not treat an unrelated TypeError as a network failure', () => {
      expect(classify(new TypeError("Cannot read properties of undefined (reading 'user')"))).toBe('unexpected');
    });

    it('gives up on very deep cause chains: a network failure 5 causes down is found, 6 down is not', () => {
      const wrapped = (depth: number) => {
        let error: Error = new TypeError('fetch failed');
        for (let i = 0; i < depth; i += 1) error = new Error('wrapped', { cause: error });
        return error;
      };
      expect(classify(wrapped(5))).toBe('workos_unavailable');
      expect(classify(wrapped(6))).toBe('unexpected');
      expect(classify(wrapped(10))).toBe('unexpected');
    });
  });

  it('reports an AuthConfigError as configuration_error', () => {
    const error = new AuthConfigError([{ variable: 'WORKOS_API_KEY', message: 'is missing.' }]);
    expect(classify(error)).toBe('configuration_error');
  });

  it.each([
    ['a random Error', new Error('boom')],
    ['a string', 'boom'],
    ['undefined', undefined],
    ['an object with a non-numeric status', { status: '503' }],
  ])('reports %s as unexpected', (_label, error) => {
    expect(classify(error)).toBe('unexpected');
  });
});
