/**
 * A Bearer access token, verified by the app itself: the pattern of a separate backend.
 *
 * What authkit does: verifies the access token of the session cookie only (its
 * proxy, withAuth()), against a JWKS it keeps to itself, and checks neither the
 * issuer nor the algorithm; it has nothing for a token a client sends in
 * `Authorization: Bearer`.
 * What we need: the token alone, no cookie and no WorkOS call per request:
 * the signature against WorkOS' JWKS for this client (jose's createRemoteJWKSet:
 * cached, and an unknown `kid` fetches the JWKS again at most once per
 * {@link JWKS_COOLDOWN_MS}, so a flood of forged kids costs WorkOS nothing), RS256
 * only, the issuer WorkOS writes for this client id (`<api>/user_management/<client
 * id>`: another client's token is refused), an audience if the token has one (this
 * client id), and the expiry. The JWKS fetch is bounded by the client's timeout.
 * Concerns: jose 6 (createRemoteJWKSet, jwtVerify and their error codes), WorkOS' access-token claims.
 * Delete this file when authkit-nextjs or the WorkOS SDK verifies a Bearer access
 * token with these checks (the SDK's verifies the signature and, optionally, the issuer).
 */
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { boundedCache, ttlFor } from '../../cache-sizes';
import { deepFreeze } from '../../deep-freeze';
import type { AuthConfig } from '../config/env';
import { WORKOS_REQUEST_TIMEOUT_MS } from './client';

/** WorkOS signs access tokens with RS256; any other `alg` (none, HS256 keyed with the public key…) is refused. */
const ALGORITHMS = ['RS256'];
/** How long after a JWKS fetch an unknown `kid` is refused without fetching again (jose's cooldown). */
export const JWKS_COOLDOWN_MS = 30_000;
/** How long a fetched JWKS is used before it is fetched again (rotations publish the new key beforehand). */
const JWKS_MAX_AGE_MS = 10 * 60_000;

/**
 * A client sends the same token until it expires, so a verified token is remembered by its exact
 * bytes (and this client's issuer) for up to a minute, never past its `exp`: the signature is checked
 * once per token and minute, not per request (docs/performance.md, target 9). The same reasoning as the
 * proxy's verified-session memo (docs/security.md): a different or altered token is another key, and
 * jose keeps a fetched key set for 10 minutes anyway, so a removed key is noticed no later.
 */
export const VERIFIED_TOKEN_MAX_AGE_MS = 60_000;
export const MAX_VERIFIED_TOKENS = 2_000;
const verifiedTokens = boundedCache<AccessTokenClaims>('verified-access-tokens', { max: MAX_VERIFIED_TOKENS });

/** Why a token is refused. `unavailable`: the JWKS could not be fetched (WorkOS down or slow), not the token's fault. */
export type AccessTokenRefusal = 'malformed' | 'expired' | 'signature' | 'unknown_key' | 'not_for_this_app' | 'unavailable';

export interface AccessTokenClaims extends JWTPayload {
  sub: string;
  sid: string;
  org_id?: string;
  role?: string;
  permissions?: string[];
}

export type VerifiedAccessToken = { ok: true; claims: AccessTokenClaims } | { ok: false; reason: AccessTokenRefusal };

/** The issuer WorkOS writes into this client's access tokens. */
export function accessTokenIssuer(config: Pick<AuthConfig, 'api' | 'clientId'>): string {
  return `${config.api.origin}/user_management/${config.clientId}`;
}

let remote: { url: string; jwks: ReturnType<typeof createRemoteJWKSet> } | undefined;

function jwksOf(config: Pick<AuthConfig, 'api' | 'clientId'>) {
  const url = `${config.api.origin}/sso/jwks/${config.clientId}`;
  if (remote?.url !== url) {
    remote = {
      url,
      jwks: createRemoteJWKSet(new URL(url), {
        timeoutDuration: WORKOS_REQUEST_TIMEOUT_MS,
        cooldownDuration: JWKS_COOLDOWN_MS,
        cacheMaxAge: JWKS_MAX_AGE_MS,
      }),
    };
  }
  return remote.jwks;
}

/** jose's error codes, by what they say about the token. */
const REFUSALS: Record<string, AccessTokenRefusal> = {
  ERR_JWT_EXPIRED: 'expired',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'signature',
  ERR_JWKS_NO_MATCHING_KEY: 'unknown_key',
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: 'unknown_key',
  ERR_JOSE_ALG_NOT_ALLOWED: 'signature',
  ERR_JWS_INVALID: 'malformed',
  ERR_JWT_INVALID: 'malformed',
  ERR_JOSE_NOT_SUPPORTED: 'malformed',
};

/** Verifies `token` as an access token WorkOS issued to this app's client; never throws. */
export async function verifyAccessToken(token: string, config: Pick<AuthConfig, 'api' | 'clientId'>): Promise<VerifiedAccessToken> {
  const issuer = accessTokenIssuer(config);
  const key = `${issuer}\u0000${token}`;
  const remembered = verifiedTokens.get(key);
  if (remembered) return { ok: true, claims: remembered };
  try {
    const { payload } = await jwtVerify<AccessTokenClaims>(token, jwksOf(config), {
      algorithms: ALGORITHMS,
      issuer,
      requiredClaims: ['sub', 'sid', 'exp', 'iat'],
    });
    const audiences = payload.aud === undefined ? undefined : [payload.aud].flat();
    if (audiences && !audiences.includes(config.clientId)) return { ok: false, reason: 'not_for_this_app' };
    if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return { ok: false, reason: 'malformed' };
    const ttl = ttlFor(Math.min(VERIFIED_TOKEN_MAX_AGE_MS, (payload.exp ?? 0) * 1000 - Date.now()));
    if (ttl > 0) verifiedTokens.set(key, deepFreeze(payload), { ttl });
    return { ok: true, claims: payload };
  } catch (error) {
    const { code, claim } = (error ?? {}) as { code?: unknown; claim?: unknown };
    // A claim jose checked: the issuer is another app's; any other (a missing `sid`, `nbf` ahead) is malformed. (jose is
    // given no audience: the audience is checked above, only when the token has one.)
    if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') return { ok: false, reason: claim === 'iss' ? 'not_for_this_app' : 'malformed' };
    const refusal = typeof code === 'string' ? REFUSALS[code] : undefined;
    // Anything else (a timeout, a refused connection, a JWKS that is not one): WorkOS could not be asked.
    return { ok: false, reason: refusal ?? 'unavailable' };
  }
}
