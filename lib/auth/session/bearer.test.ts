/**
 * bearer.ts: what a route called with `Authorization: Bearer …` answers (RFC 6750, JSON, never a 500), with the
 * real authkit-nextjs, SDK and jose against the mock WorkOS: a user's access token (verified here, no WorkOS call
 * but the key set) and an organization API key (checked with WorkOS on each request).
 */
import type { NextResponse } from 'next/server';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ROLE_PERMISSIONS, SEED_ORGANIZATION_IDS, SEED_USER_IDS } from '../../../e2e/mock-workos/seed';
import { CLIENT_ID } from '../../../e2e/mock-workos/test-helpers';
import { useAuthkitAgainstMock } from '../../../test/authkit-against-mock';

/** The request's headers as next/headers hands them to authkit's validateApiKey() (a route handler's). */
const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock('next/headers', async (importOriginal) => ({ ...(await importOriginal<object>()), headers: async () => request.headers }));

const { running, signedInCookie } = useAuthkitAgainstMock();
let bearer: typeof import('./bearer');
let addRevokedSession: typeof import('./revoked-sessions').addRevokedSession;
let validateRequestApiKey: typeof import('../authkit/api-key').validateRequestApiKey;

beforeAll(async () => {
  bearer = await import('./bearer');
  ({ validateRequestApiKey } = await import('../authkit/api-key'));
  ({ addRevokedSession } = await import('./revoked-sessions'));
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** A route handler's request with this Authorization header (none for `undefined`). */
function called(authorization?: string): Request {
  const headers = new Headers(authorization === undefined ? {} : { authorization });
  request.headers = headers;
  return new Request('https://app.example.com/api/projects', { headers });
}

/** A refusal as the client receives it: status, every header, body. */
async function answered(response: NextResponse) {
  return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.json() };
}

const NO_STORE = 'private, no-store, max-age=0';
const JSON_TYPE = 'application/json';

const issuer = () => `${running.mock.url}/user_management/${CLIENT_ID}`;
const now = () => Math.floor(Date.now() / 1000);
/** An access token of this client signed with the mock's current key. */
const signed = (claims: Record<string, unknown> = {}) =>
  running.control.signAccessToken({
    iss: issuer(),
    sub: 'user_01BEARER',
    sid: 'session_01BEARER',
    iat: now(),
    exp: now() + 300,
    ...claims,
  });

async function refusedToken(authorization: string | undefined) {
  const result = await bearer.authenticateBearer(called(authorization));
  if (result.ok) throw new Error('expected a refusal');
  return answered(result.response);
}

const invalidToken = (message: string) => ({
  status: 401,
  headers: { 'cache-control': NO_STORE, 'content-type': JSON_TYPE, 'www-authenticate': 'Bearer error="invalid_token"' },
  body: { error: 'invalid_token', message },
});

describe('authenticateBearer before any key set was fetched', () => {
  // A fresh copy (no key set fetched yet), imported outside the tests.
  let fresh: typeof import('./bearer');
  beforeAll(async () => {
    vi.resetModules();
    fresh = await import('./bearer');
  });

  it('answers WorkOS’ key set being out of reach with 503 and Retry-After: 5, not a 401 (the token may be fine)', async () => {
    await running.control.injectFault({ endpoint: 'jwks', action: { type: 'status', status: 503 } });
    const result = await fresh.authenticateBearer(called(`Bearer ${await signed()}`));
    expect(result.ok || (await answered(result.response))).toEqual({
      status: 503,
      headers: { 'cache-control': NO_STORE, 'content-type': JSON_TYPE, 'retry-after': '5' },
      body: { error: 'unavailable', message: 'WorkOS could not be reached to check the access token. Try again shortly.' },
    });
  });
});

describe('authenticateBearer', () => {
  it('accepts the access token of a session, whatever the case of the scheme and the spaces around the token', async () => {
    const { sealed, userId, sessionId } = await signedInCookie();
    const { exp } = JSON.parse(Buffer.from(sealed.accessToken.split('.')[1]!, 'base64url').toString()) as { exp: number };
    const token = {
      userId,
      sessionId,
      organizationId: SEED_ORGANIZATION_IDS.acme,
      role: 'member',
      permissions: [...ROLE_PERMISSIONS.member!],
      expiresAt: new Date(exp * 1000),
    };
    for (const header of [`Bearer ${sealed.accessToken}`, `bearer   ${sealed.accessToken}  `, `BEARER ${sealed.accessToken}`]) {
      expect(await bearer.authenticateBearer(called(header))).toEqual({ ok: true, token });
    }
  });

  it('keeps the string permissions of a token, and none when it has no list', async () => {
    const withPermissions = await bearer.authenticateBearer(called(`Bearer ${await signed({ permissions: ['posts:read', 7, null] })}`));
    expect(withPermissions.ok && withPermissions.token).toEqual({
      userId: 'user_01BEARER',
      sessionId: 'session_01BEARER',
      organizationId: undefined,
      role: undefined,
      permissions: ['posts:read'],
      expiresAt: expect.any(Date),
    });
    const withoutList = await bearer.authenticateBearer(called(`Bearer ${await signed({ permissions: 'posts:read' })}`));
    expect(withoutList.ok && withoutList.token.permissions).toEqual([]);
  });

  it.each([
    ['no Authorization header', undefined],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['a scheme that only starts like Bearer', 'Bearerish abc'],
    ['another scheme with Bearer in its credentials', 'Token Bearer abc'],
  ])('answers %s with 401 and a bare Bearer challenge (no error code, RFC 6750 §3.1)', async (_case, authorization) => {
    expect(await refusedToken(authorization)).toEqual({
      status: 401,
      headers: { 'cache-control': NO_STORE, 'content-type': JSON_TYPE, 'www-authenticate': 'Bearer' },
      body: { error: 'unauthorized', message: 'This API takes an access token: send Authorization: Bearer <access token>.' },
    });
  });

  it.each([
    ['no token after the scheme', 'Bearer'],
    ['a token that is not a b64token', 'Bearer a,b'],
    ['two tokens', 'Bearer abc def'],
    ['a token that is not a JWT', 'Bearer not-a-jwt'],
  ])('answers %s with invalid_token: not a valid JWT', async (_case, authorization) => {
    expect(await refusedToken(authorization)).toEqual(invalidToken('The access token is not a valid JWT.'));
  });

  it('answers each token it refuses with invalid_token and a message that says why', async () => {
    const expired = await signed({ iat: now() - 301, exp: now() - 1 });
    expect(await refusedToken(`Bearer ${expired}`)).toEqual(invalidToken('The access token has expired: get a new one and try again.'));
    // Another user's id in a genuine token's payload: the signature no longer matches.
    const [header, payload, signature] = (await signed()).split('.');
    const claims = { ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: 'user_01OTHER' };
    const tampered = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
    expect(await refusedToken(`Bearer ${tampered}`)).toEqual(invalidToken('The access token is not signed by WorkOS for this app.'));
    const otherClient = await signed({ iss: `${running.mock.url}/user_management/client_01OTHER` });
    expect(await refusedToken(`Bearer ${otherClient}`)).toEqual(invalidToken('The access token was issued to another application.'));
  });

  it('answers a token signed with a key WorkOS does not publish with invalid_token', async () => {
    const { SignJWT, generateKeyPair } = await import('jose');
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ sid: 'session_01BEARER' })
      .setProtectedHeader({ alg: 'RS256', kid: 'sso_oidc_key_pair_unknown' })
      .setIssuer(issuer())
      .setSubject('user_01BEARER')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    expect(await refusedToken(`Bearer ${forged}`)).toEqual(invalidToken('The access token is signed with a key WorkOS does not publish.'));
  });

  it('refuses the token of a session this app signed out, still unexpired', async () => {
    const sessionId = `session_${crypto.randomUUID()}`;
    const token = await signed({ sid: sessionId });
    expect((await bearer.authenticateBearer(called(`Bearer ${token}`))).ok).toBe(true);
    await addRevokedSession(sessionId, Date.now() + 60_000);
    expect(await refusedToken(`Bearer ${token}`)).toEqual(invalidToken('The session of this access token was signed out.'));
  });
});

describe('authenticateApiKey', () => {
  const validations = async () => (await running.control.requests({ endpoint: 'validate_api_key' })).length;

  async function refusedKey(authorization: string | undefined) {
    const result = await bearer.authenticateApiKey(called(authorization));
    if (result.ok) throw new Error('expected a refusal');
    return answered(result.response);
  }

  const invalidKey = invalidToken('The API key is not valid: unknown, revoked, or not an organization key.');

  it('accepts a live organization key: its id, name, organization and permissions', async () => {
    const created = await running.workos.apiKeys.createOrganizationApiKey({
      organizationId: SEED_ORGANIZATION_IDS.acme,
      name: 'Nightly export',
      permissions: ['posts:read'],
    });
    expect(await bearer.authenticateApiKey(called(`Bearer ${created.value}`))).toEqual({
      ok: true,
      apiKey: { id: created.id, name: 'Nightly export', organizationId: SEED_ORGANIZATION_IDS.acme, permissions: ['posts:read'] },
    });
    expect(await validations()).toBe(1);
  });

  it.each([
    ['no Authorization header', undefined],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
  ])('answers %s with 401 and a bare Bearer challenge, without asking WorkOS', async (_case, authorization) => {
    expect(await refusedKey(authorization)).toEqual({
      status: 401,
      headers: { 'cache-control': NO_STORE, 'content-type': JSON_TYPE, 'www-authenticate': 'Bearer' },
      body: { error: 'unauthorized', message: 'This API takes an API key: send Authorization: Bearer <API key>.' },
    });
    expect(await validations()).toBe(0);
  });

  it('answers a Bearer header without a key with invalid_token, without asking WorkOS', async () => {
    expect(await refusedKey('Bearer')).toEqual(invalidKey);
    expect(await refusedKey('Bearer a b')).toEqual(invalidKey);
    expect(await validations()).toBe(0);
  });

  it('answers a key WorkOS does not know, a revoked one and a user’s with invalid_token, after asking WorkOS', async () => {
    const created = await running.workos.apiKeys.createOrganizationApiKey({ organizationId: SEED_ORGANIZATION_IDS.acme, name: 'Old' });
    await running.workos.apiKeys.deleteApiKey(created.id);
    const users = await running.workos.userManagement.createUserApiKey(SEED_USER_IDS.admin, {
      name: 'CI',
      organizationId: SEED_ORGANIZATION_IDS.acme,
    });
    for (const key of ['sk_org_unknown', created.value, users.value]) expect(await refusedKey(`Bearer ${key}`)).toEqual(invalidKey);
    expect(await validations()).toBe(3);
  });

  it('answers 503 with Retry-After when WorkOS fails, and logs it without the key', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await running.control.injectFault({ endpoint: 'validate_api_key', action: { type: 'status', status: 500 } });
    expect(await refusedKey('Bearer sk_org_whatever')).toEqual({
      status: 503,
      headers: { 'cache-control': NO_STORE, 'content-type': JSON_TYPE, 'retry-after': '5' },
      body: { error: 'unavailable', message: 'WorkOS could not be reached to check the API key. Try again shortly.' },
    });
    expect(warn.mock.calls.map(([line]) => JSON.parse(String(line)))).toEqual([
      { level: 'warn', at: expect.any(String), scope: 'auth', event: 'api_key_check_failed', reason: expect.stringMatching(/status=500/) },
    ]);
    expect(JSON.stringify(warn.mock.calls)).not.toContain('sk_org_whatever');
  });

  it('answers 503 when WorkOS answers the validation with another shape; the error names the call and the field', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const created = await running.workos.apiKeys.createOrganizationApiKey({ organizationId: SEED_ORGANIZATION_IDS.acme, name: 'Export' });
    await running.control.injectFault({
      endpoint: 'validate_api_key',
      action: { type: 'alter_fields', nullify: ['api_key.name'] },
      times: 2,
    });
    expect((await refusedKey(`Bearer ${created.value}`)).status).toBe(503);
    expect(warn.mock.calls.map(([line]) => JSON.parse(String(line)))).toEqual([
      {
        level: 'warn',
        at: expect.any(String),
        scope: 'auth',
        event: 'api_key_check_failed',
        reason: 'UnexpectedWorkOSAnswerError code=unexpected_answer',
      },
    ]);
    called(`Bearer ${created.value}`);
    const error = (await validateRequestApiKey().catch((caught: unknown) => caught)) as Error;
    expect({ name: error.name, message: error.message }).toEqual({
      name: 'UnexpectedWorkOSAnswerError',
      message: 'WorkOS answered validate_api_key with an unexpected shape at apiKey.name',
    });
  });
});
