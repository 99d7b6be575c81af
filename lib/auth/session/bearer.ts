/**
 * Route handlers called with `Authorization: Bearer …`, without a cookie; the proxy lets them through
 * without a session (route-access.ts, BEARER_API_PATHS). Two kinds of credential:
 * - a user's access token (authenticateBearer): a client of your API (another service, a mobile app,
 *   this app's own client components through useAccessToken), verified here (authkit/access-token.ts)
 *   with no WorkOS call per request;
 * - an organization API key (authenticateApiKey): a machine, checked with WorkOS on each request
 *   (authkit/api-key.ts, authkit's validateApiKey()).
 *
 * Answers as RFC 6750 says, in JSON, never a 500: no `Authorization` header, or another scheme →
 * 401 `WWW-Authenticate: Bearer`; a token that is not a valid access token of this app (garbage,
 * expired, another client's, a bad signature, `alg: none`, an unknown key, a session this app signed
 * out) → 401 `WWW-Authenticate: Bearer error="invalid_token"`; WorkOS' JWKS unreachable → 503 with
 * `Retry-After`. What it cannot know: a session ended elsewhere (WorkOS dashboard, another app) until
 * its token expires (docs/security.md, "A Bearer token of a signed-out session").
 */
import { NextResponse } from 'next/server';
import { validateRequestApiKey, type ValidatedApiKey } from '../authkit/api-key';
import { verifyAccessToken, type AccessTokenRefusal } from '../authkit/access-token';
import { describeError, logAuthEvent } from '../errors/log';
import { getAuthConfig } from '../config/env';
import { isSessionRevoked } from './revoked-sessions';

/** Who a verified Bearer token speaks for. */
export interface BearerToken {
  userId: string;
  sessionId: string;
  organizationId: string | undefined;
  role: string | undefined;
  permissions: string[];
  expiresAt: Date;
}

export type BearerAuthentication = { ok: true; token: BearerToken } | { ok: false; response: NextResponse };

type Refusal = Exclude<AccessTokenRefusal, 'unavailable'> | 'signed_out';

/** The body's message per refusal; the header says only `invalid_token` (RFC 6750 §3.1). */
const INVALID_TOKEN_MESSAGES: Record<Refusal, string> = {
  malformed: 'The access token is not a valid JWT.',
  expired: 'The access token has expired: get a new one and try again.',
  signature: 'The access token is not signed by WorkOS for this app.',
  unknown_key: 'The access token is signed with a key WorkOS does not publish.',
  not_for_this_app: 'The access token was issued to another application.',
  signed_out: 'The session of this access token was signed out.',
};

/** RFC 6750 b64token. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
/** How long a client should wait before trying again while WorkOS' JWKS cannot be fetched. */
const RETRY_AFTER_SECONDS = 5;

function answer(status: number, body: { error: string; message: string }, headers: Record<string, string>): NextResponse {
  return NextResponse.json(body, { status, headers: { 'cache-control': 'private, no-store, max-age=0', ...headers } });
}

/** The Bearer token of `request`, verified; or the response to send instead. */
/** No credentials, or another scheme (Basic, a cookie-style value): RFC 6750 §3.1 sends no error code. */
function noBearerCredentials(header: string | null, what: string): NextResponse | undefined {
  if (header !== null && /^Bearer(\s|$)/i.test(header)) return undefined;
  const message = `This API takes ${what}: send Authorization: Bearer <${what.replace(/^an? /, '')}>.`;
  return answer(401, { error: 'unauthorized', message }, { 'www-authenticate': 'Bearer' });
}

/** WorkOS could not be asked: the credential may be fine, so no 401; the client tries again later. */
function unavailable(what: string): NextResponse {
  const message = `WorkOS could not be reached to check the ${what}. Try again shortly.`;
  return answer(503, { error: 'unavailable', message }, { 'retry-after': String(RETRY_AFTER_SECONDS) });
}

export async function authenticateBearer(request: Request): Promise<BearerAuthentication> {
  const header = request.headers.get('authorization');
  const missing = noBearerCredentials(header, 'an access token');
  if (missing) return { ok: false, response: missing };
  const invalid = (refusal: Refusal): BearerAuthentication => ({
    ok: false,
    response: answer(
      401,
      { error: 'invalid_token', message: INVALID_TOKEN_MESSAGES[refusal] },
      { 'www-authenticate': 'Bearer error="invalid_token"' },
    ),
  });
  const token = BEARER.exec(header ?? '')?.[1];
  if (!token) return invalid('malformed');
  const verified = await verifyAccessToken(token, getAuthConfig());
  if (!verified.ok) {
    if (verified.reason !== 'unavailable') return invalid(verified.reason);
    return { ok: false, response: unavailable('access token') };
  }
  const { claims } = verified;
  if (isSessionRevoked(claims.sid)) return invalid('signed_out');
  return {
    ok: true,
    token: {
      userId: claims.sub,
      sessionId: claims.sid,
      organizationId: claims.org_id,
      role: claims.role,
      permissions: Array.isArray(claims.permissions) ? claims.permissions.filter((value) => typeof value === 'string') : [],
      expiresAt: new Date((claims.exp ?? 0) * 1000),
    },
  };
}

export type ApiKeyAuthentication = { ok: true; apiKey: ValidatedApiKey } | { ok: false; response: NextResponse };

/**
 * The organization API key of this request (a route handler's), checked with WorkOS; or the response
 * to send instead: 401 (`Bearer`, or `Bearer error="invalid_token"` for a key WorkOS does not know, a
 * revoked one, a user's), or 503 with `Retry-After` when WorkOS fails or is slower than the client's
 * 4 s timeout. Never a 500.
 */
export async function authenticateApiKey(request: Request): Promise<ApiKeyAuthentication> {
  const header = request.headers.get('authorization');
  const missing = noBearerCredentials(header, 'an API key');
  if (missing) return { ok: false, response: missing };
  let apiKey: ValidatedApiKey | null;
  try {
    apiKey = BEARER.test(header ?? '') ? await validateRequestApiKey() : null;
  } catch (error) {
    logAuthEvent({ event: 'api_key_check_failed', reason: describeError(error) });
    return { ok: false, response: unavailable('API key') };
  }
  if (!apiKey) {
    const message = 'The API key is not valid: unknown, revoked, or not an organization key.';
    return {
      ok: false,
      response: answer(401, { error: 'invalid_token', message }, { 'www-authenticate': 'Bearer error="invalid_token"' }),
    };
  }
  return { ok: true, apiKey };
}
