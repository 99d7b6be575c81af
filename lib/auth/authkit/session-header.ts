/**
 * The session header channel, and the proxy's proof on it.
 *
 * What authkit does: its proxy forwards the verified session to the render in
 * request headers (`x-workos-session`, with `x-url`, `x-redirect-uri`…), and its
 * withAuth() trusts whatever it finds there. Paths outside the proxy matcher
 * (static-looking paths, `/_next/*`, the callback) still render the root layout,
 * and there a client can send those headers itself.
 * What we need: the proxy strips client-sent copies, and adds a proof: an
 * HMAC-SHA-256, keyed with a secret derived from the cookie password (HKDF),
 * over the forwarded seal, the return path, a timestamp and a random nonce. The
 * render ({@link readForwardedSession}) trusts forwarded values only with a
 * proof under a minute old; the browser never sees it. Synchronous node:crypto
 * (Next 16 runs proxy.ts on Node only): microseconds, where Web Crypto's
 * promise round trips cost ~0.1 ms per request each way (docs/performance.md).
 * The render unseals the forwarded seal itself (memoised, ./seal.ts) instead of
 * calling withAuth(), which would unseal again and leaves out the sign-in method.
 * Concerns: authkit-nextjs 4.3.2 (`AUTHKIT_REQUEST_HEADERS`, `partitionAuthkitHeaders`).
 * Delete this file when authkit-nextjs authenticates what it forwards to the render
 * (or hands it over without request headers), and withAuth() returns the sign-in method.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { applyResponseHeaders, getTokenClaims, partitionAuthkitHeaders, type AccessToken } from '@workos-inc/authkit-nextjs';
import type { User } from '@workos-inc/node';
import { NextResponse, type NextRequest } from 'next/server';
import { deepFreeze } from '../../deep-freeze';
import { randomString } from '../../security/random';
import type { AppSession, AuthUser, Impersonator } from '../session/types';
import { unsealDataCached } from './seal';

/** Request headers authkit's proxy uses to forward the session to the render (the channel its own withAuth() reads). */
export const AUTHKIT_SESSION_HEADER = 'x-workos-session';
export const AUTHKIT_PROXY_HEADER = 'x-workos-middleware';

/** Request header the proxy sets; any client-sent value is overwritten by the proxy, and worthless elsewhere. */
export const PROXY_PROOF_HEADER = 'x-auth-proxy-proof';
/** Request header with the path + query of the request as the proxy saw it (the return path for sign-in). */
export const RETURN_TO_HEADER = 'x-auth-return-to';

/**
 * Request headers that carry forwarded auth state to the render: authkit's
 * (`x-workos-*`, `x-url`, `x-redirect-uri`, `x-sign-up-paths`) and ours. The
 * proxy removes any a client sent before it sets its own.
 */
const FORWARDED_AUTH_HEADERS = ['x-url', 'x-redirect-uri', 'x-sign-up-paths', PROXY_PROOF_HEADER, RETURN_TO_HEADER];

export function stripForwardedAuthHeaders(headers: Headers): void {
  for (const name of [...headers.keys()]) {
    if (name.startsWith('x-workos-') || FORWARDED_AUTH_HEADERS.includes(name)) headers.delete(name);
  }
}

/** A proof older than this is refused: the render reads it at the start of the request. */
export const PROXY_PROOF_MAX_AGE_MS = 60_000;

const VERSION = 'v1';
const keys = new Map<string, Buffer>();

/** HMAC key for proofs, derived once per cookie password (HKDF-SHA-256, labelled for this use only). */
function proofKey(cookiePassword: string): Buffer {
  let key = keys.get(cookiePassword);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', cookiePassword, 'authkit-starter', `proxy-proof ${VERSION}`, 32));
    keys.set(cookiePassword, key);
  }
  return key;
}

/** The MAC over what the proof covers. Newlines separate fields; none of them can contain one (header values). */
function mac(cookiePassword: string, issuedAt: string, nonce: string, returnTo: string, seal: string): Buffer {
  return createHmac('sha256', proofKey(cookiePassword)).update(`${VERSION}\n${issuedAt}\n${nonce}\n${returnTo}\n${seal}`).digest();
}

export interface ForwardedAuth {
  /** The sealed session the proxy verified, or undefined when the request is signed out. */
  seal: string | undefined;
  /** Path + query of the request, as the proxy saw it. */
  returnTo: string;
}

/** The proof header value for these forwarded values (proxy side). */
export function createProxyProof({ seal, returnTo }: ForwardedAuth, cookiePassword: string, now = Date.now()): string {
  const issuedAt = String(now);
  const nonce = randomString(16, 'base64url');
  return `${VERSION}.${issuedAt}.${nonce}.${mac(cookiePassword, issuedAt, nonce, returnTo, seal ?? '').toString('base64url')}`;
}

/**
 * The forwarded values if `proof` was made by the proxy for exactly these
 * values within the last minute; otherwise null (the request did not go through
 * the proxy, or something was changed on the way).
 */
export function verifyProxyProof(
  proof: string | null,
  { seal, returnTo }: { seal: string | null; returnTo: string | null },
  cookiePassword: string,
  now = Date.now(),
): ForwardedAuth | null {
  if (!proof || returnTo === null) return null;
  const [version, issuedAt, nonce, sentMac, ...rest] = proof.split('.');
  if (version !== VERSION || !issuedAt || !nonce || !sentMac || rest.length > 0 || !/^\d{1,15}$/.test(issuedAt)) return null;
  const age = now - Number(issuedAt);
  if (age < -5_000 || age > PROXY_PROOF_MAX_AGE_MS) return null;
  if (!/^[A-Za-z0-9_-]{43}$/.test(sentMac)) return null; // 32 bytes, base64url
  const expected = mac(cookiePassword, issuedAt, nonce, returnTo, seal ?? '');
  // Constant-time comparison: the time taken says nothing about how much matched.
  return timingSafeEqual(Buffer.from(sentMac, 'base64url'), expected) ? { seal: seal ?? undefined, returnTo } : null;
}

/**
 * A NextResponse that passes the request on with authkit's forwarded session
 * headers merged into `requestHeaders`: what handleAuthkitProxy() does for an
 * answer with no redirect and no pending sign-in, built from the headers the
 * proxy forwards anyway. authkit's partition reads nothing of the request but
 * its headers (client.test.ts pins that against handleAuthkitProxy itself).
 */
export function forwardWithAuthkitHeaders(requestHeaders: Headers, authkitHeaders: Headers): NextResponse {
  const partitioned = partitionAuthkitHeaders({ headers: requestHeaders } as NextRequest, authkitHeaders);
  return applyResponseHeaders(NextResponse.next({ request: { headers: partitioned.requestHeaders } }), partitioned.responseHeaders);
}

/** Adds to the headers forwarded to the render the return path, and the proof over it and authkit's forwarded seal. */
export function addProxyProof(forwarded: Headers, authkitHeaders: Headers, returnTo: string, cookiePassword: string): void {
  forwarded.set(RETURN_TO_HEADER, returnTo);
  forwarded.set(
    PROXY_PROOF_HEADER,
    createProxyProof({ seal: authkitHeaders.get(AUTHKIT_SESSION_HEADER) ?? undefined, returnTo }, cookiePassword),
  );
}

/** What the proxy forwarded for this request, or null without a valid proof (it did not go through the proxy). */
export function forwardedAuth(requestHeaders: Pick<Headers, 'get'>, cookiePassword: string): ForwardedAuth | null {
  return verifyProxyProof(
    requestHeaders.get(PROXY_PROOF_HEADER),
    { seal: requestHeaders.get(AUTHKIT_SESSION_HEADER), returnTo: requestHeaders.get(RETURN_TO_HEADER) },
    cookiePassword,
  );
}

interface SealedSession {
  accessToken?: unknown;
  user?: User;
  impersonator?: Impersonator;
  authenticationMethod?: unknown;
}

// The unseal memo hands out one frozen object per seal, so its access token is decoded once per seal too.
type TokenClaims = Awaited<ReturnType<typeof getTokenClaims<AccessToken>>>;
const claimsOfSession = new WeakMap<SealedSession, TokenClaims>();

async function accessTokenClaims(session: SealedSession, accessToken: string): Promise<TokenClaims> {
  let claims = claimsOfSession.get(session);
  if (!claims) {
    claims = deepFreeze(await getTokenClaims<AccessToken>(accessToken));
    claimsOfSession.set(session, claims);
  }
  return claims;
}

/** The app's user, from the SDK's. */
export function toAuthUser(user: User): AuthUser {
  const { id, email, emailVerified, firstName, lastName, profilePictureUrl } = user;
  return { id, email, emailVerified, firstName, lastName, profilePictureUrl };
}

/** The app's session from a sealed user and the claims of its access token (the proxy's session, or a refresh's answer). */
export function appSessionOf(
  user: User,
  claims: TokenClaims,
  { impersonator, authenticationMethod }: { impersonator?: Impersonator; authenticationMethod?: unknown },
): AppSession {
  return {
    user: toAuthUser(user),
    sessionId: claims.sid ?? '',
    organizationId: claims.org_id,
    role: claims.role,
    roles: claims.roles ?? (claims.role ? [claims.role] : []),
    permissions: claims.permissions ?? [],
    entitlements: claims.entitlements ?? [],
    featureFlags: claims.feature_flags ?? [],
    impersonator,
    authenticationMethod: typeof authenticationMethod === 'string' ? authenticationMethod : undefined,
    accessTokenExpiresAt: typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : undefined,
    accessTokenIssuedAt: typeof claims.iat === 'number' ? new Date(claims.iat * 1000) : undefined,
    authenticatedAt:
      typeof claims.auth_time === 'number' && Number.isFinite(claims.auth_time) ? new Date(claims.auth_time * 1000) : undefined,
  };
}

/** The sealed session in a seal the proxy forwarded, with its access token's claims, when it is a session (see below). */
async function forwardedSession(seal: string, cookiePassword: string) {
  const session = await unsealDataCached<SealedSession>(seal, { password: cookiePassword });
  if (!session.user || typeof session.accessToken !== 'string') return null;
  const claims = await accessTokenClaims(session, session.accessToken);
  if (!claims.sub || claims.sub !== session.user.id) return null;
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= Date.now()) return null;
  return { session, user: session.user, accessToken: session.accessToken, claims };
}

/**
 * The session in a seal the proxy forwarded (and proved), or null. The sealed
 * user must be the token's subject (withAuth()'s rule), and the token unexpired
 * (the proxy refreshes before expiry; an expired one is never a session).
 */
export async function readForwardedSession(seal: string, cookiePassword: string): Promise<AppSession | null> {
  const forwarded = await forwardedSession(seal, cookiePassword);
  return forwarded && appSessionOf(forwarded.user, forwarded.claims, forwarded.session);
}

/** The access token of the session {@link readForwardedSession} reads from the same seal, or null. */
export async function readForwardedAccessToken(seal: string, cookiePassword: string): Promise<string | null> {
  return (await forwardedSession(seal, cookiePassword))?.accessToken ?? null;
}
