/**
 * authkit's session check in the proxy, with the three holes it leaves closed.
 *
 * What authkit does: `authkit(request)` unseals the session cookie, verifies the
 * access token against the JWKS and refreshes it when due. But it throws on a
 * cookie shaped like a seal but broken (`Fe26.2*…`: every page would answer
 * 500), its proxy path does not bind the sealed user to the token's subject
 * (only withAuth() does), and it would seal whatever user a refresh answers with.
 * What we need: one typed outcome per request — signed in (as whom), signed
 * out (with authkit's prepared sign-in), or rejected (an unreadable cookie, a
 * user who is not the token's subject or changed on refresh) — with the session
 * id (`sid`) the revocation list is checked against, and a session it accepted
 * unchanged remembered for the next request (./verified-sessions.ts).
 * Concerns: authkit-nextjs 4.3.2 (`authkit()`, `getTokenClaims`).
 * Delete this file when authkit's proxy treats an unreadable cookie as signed
 * out and binds the token subject to the sealed user, as withAuth() does.
 */
import { authkit, getTokenClaims } from '@workos-inc/authkit-nextjs';
import { decodeJwt } from 'jose';
import type { NextRequest } from 'next/server';
import { describeError, logAuthEvent } from '../errors/log';
import { parseSetCookie } from '../session/cookies';
import { throughBoundedClient } from './client';
import { unsealSessionUserId } from './seal';
import { recallVerifiedSession, rememberVerifiedSession } from './verified-sessions';

/** Why a session is not accepted: a cookie iron cannot read, a user who is not the token's, a cookie another host tossed in. */
type Rejection = 'unreadable_cookie' | 'user_mismatch' | 'tampered_cookie' | 'revoked';

export type SessionCheck =
  | { state: 'signed-in'; userId: string; sessionId?: string; headers: Headers }
  | { state: 'signed-out'; headers: Headers; authorizationUrl: string | undefined }
  | { state: 'rejected'; reason: Rejection; headers: Headers; authorizationUrl: string | undefined };

export interface SessionCheckOptions {
  cookieName: string;
  cookiePassword: string;
  /** The callback on the request's allowed origin: one build serves any deployment URL. */
  redirectUri: string;
}

const boundedAuthkit = throughBoundedClient(authkit);

type RememberedSession = NonNullable<ReturnType<typeof recallVerifiedSession>>['session'];
// The memo hands out one frozen session per entry: its `sid` is decoded once per entry, not once per request.
const sessionIds = new WeakMap<RememberedSession, string | undefined>();

function sessionIdOf(session: RememberedSession): string | undefined {
  if (!sessionIds.has(session)) {
    // The memo holds only tokens authkit verified: this decodes, never throws.
    sessionIds.set(session, session.accessToken ? decodeJwt<{ sid?: string }>(session.accessToken).sid : undefined);
  }
  return sessionIds.get(session);
}

/** True when authkit's response headers set a new session cookie (it refreshed the tokens). */
function refreshedSession(headers: Headers, cookieName: string): boolean {
  return headers
    .getSetCookie()
    .map(parseSetCookie)
    .some((line) => line.name === cookieName && !line.deletes);
}

/** authkit's answer for `request`, or for the same request without its cookie when that cookie cannot be read. */
async function runAuthkit(request: NextRequest, { cookieName, redirectUri }: SessionCheckOptions) {
  const options = {
    redirectUri,
    onSessionRefreshError: ({ error, isTransient }: { error?: unknown; isTransient: boolean }) =>
      logAuthEvent({ event: 'session_refresh_failed', transient: isTransient, reason: describeError(error) }),
  };
  try {
    return { result: await boundedAuthkit(request, options), unreadable: false };
  } catch (error) {
    if (!request.cookies.has(cookieName)) throw error;
    request.cookies.delete(cookieName);
    return { result: await boundedAuthkit(request, options), unreadable: true };
  }
}

/** Checks the session cookie of `request` (chunks already joined into it). */
export async function checkSession(request: NextRequest, options: SessionCheckOptions): Promise<SessionCheck> {
  const cookie = request.cookies.get(options.cookieName)?.value;
  // A session in chunks that this process accepted moments ago (a single cookie was looked up before the request copy).
  const remembered = cookie === undefined ? undefined : recallVerifiedSession(cookie, options.cookiePassword, request.url);
  if (remembered?.session.user) {
    return {
      state: 'signed-in',
      userId: remembered.session.user.id,
      sessionId: sessionIdOf(remembered.session),
      headers: remembered.headers,
    };
  }

  const { result, unreadable } = await runAuthkit(request, options);
  const { session, headers, authorizationUrl } = result;
  if (unreadable) return { state: 'rejected', reason: 'unreadable_cookie', headers, authorizationUrl };
  if (!session.user || !session.accessToken) return { state: 'signed-out', headers, authorizationUrl };

  const { sub, sid } = await getTokenClaims<{ sid?: string }>(session.accessToken);
  const refreshed = refreshedSession(headers, options.cookieName);
  // A refresh must never turn one user's cookie into another user's session (checked only then: one unseal, not two).
  const previousUserId = refreshed ? await unsealSessionUserId(cookie, options.cookiePassword) : undefined;
  if (sub !== session.user.id || (previousUserId !== undefined && previousUserId !== session.user.id)) {
    return { state: 'rejected', reason: 'user_mismatch', headers, authorizationUrl: undefined };
  }
  if (!refreshed && cookie !== undefined) rememberVerifiedSession(cookie, options.cookiePassword, result);
  return { state: 'signed-in', userId: session.user.id, sessionId: sid, headers };
}

/** The memo's answer for a single, unchanged session cookie, before the proxy copies the request. */
export function recallSession(cookie: string | undefined, cookiePassword: string, url: string) {
  const remembered = cookie ? recallVerifiedSession(cookie, cookiePassword, url) : undefined;
  return remembered && { headers: remembered.headers, sessionId: sessionIdOf(remembered.session) };
}
