/**
 * The browser's session at the hosted sign-in, and OIDC `max_age` on the
 * authorize endpoint: what an app's step-up (re-authentication) relies on.
 *
 * WorkOS remembers a browser that signed in on its hosted page. The mock shows
 * its page on every authorization request without `max_age` (tests need a
 * deterministic page), but remembers each sign-in made there in a cookie scoped
 * to the authorize path. With `max_age=N`, authorize answers with a code at once
 * when that browser signed in on the page at most N seconds ago, keeping that
 * sign-in's time (the new session's `auth_time`), and shows the page (credentials
 * asked again) otherwise; `max_age=0` always shows it. A pre-approved sign-in
 * (`signedInAs`) leaves no hosted session.
 *
 * State lives here, per store, not in the store: the browser side of the hosted UI.
 */
import { randomToken, type AuthorizationRequest, type CompletedSignIn, type MockWorkOSStore } from '../store.ts';
import { cookieOf } from './shared.ts';

export const HOSTED_SESSION_COOKIE = 'mock_workos_hosted_session';
/** Only the authorize endpoint reads it. */
const HOSTED_SESSION_COOKIE_PATH = '/user_management/authorize';
/** The hosted session's own lifetime: longer than any `max_age` a test asks for. */
const HOSTED_SESSION_LIFETIME_SECONDS = 24 * 3600;

interface HostedSession {
  signIn: CompletedSignIn & { authenticatedAt: number };
}

const states = new WeakMap<MockWorkOSStore, Map<string, HostedSession>>();

function sessionsOf(store: MockWorkOSStore): Map<string, HostedSession> {
  let sessions = states.get(store);
  if (!sessions) {
    sessions = new Map();
    states.set(store, sessions);
  }
  return sessions;
}

/** With the store's reset (`POST /__mock/reset`). */
export function clearHostedSessions(store: MockWorkOSStore): void {
  states.delete(store);
}

/** `max_age` of an authorize request: seconds, none, or not a valid value (OIDC: a non-negative integer). */
export function parseMaxAge(value: string | null): number | null | 'invalid' {
  if (value === null) return null;
  return /^\d{1,9}$/.test(value) ? Number(value) : 'invalid';
}

/** A sign-in made on the hosted page (stamped with its time): remembered for this browser, the cookie on `response`. */
export function rememberHostedSignIn(
  store: MockWorkOSStore,
  signIn: CompletedSignIn & { authenticatedAt: number },
  response: Response,
): void {
  const id = randomToken(24);
  sessionsOf(store).set(id, { signIn });
  response.headers.append(
    'Set-Cookie',
    `${HOSTED_SESSION_COOKIE}=${id}; Path=${HOSTED_SESSION_COOKIE_PATH}; Max-Age=${HOSTED_SESSION_LIFETIME_SECONDS}; HttpOnly; SameSite=Lax`,
  );
}

/**
 * This browser's hosted sign-in when it is at most `maxAge` seconds old (and `maxAge` is not 0),
 * for this authorization request (its organization, if it names one, must be the user's); else undefined.
 */
export function recentHostedSignIn(
  store: MockWorkOSStore,
  request: Request,
  authRequest: AuthorizationRequest,
  maxAge: number,
): CompletedSignIn | undefined {
  const id = cookieOf(request, HOSTED_SESSION_COOKIE);
  const hosted = id ? sessionsOf(store).get(id) : undefined;
  if (!hosted || maxAge === 0 || !store.users.has(hosted.signIn.userId)) return undefined;
  if (store.now() - hosted.signIn.authenticatedAt > maxAge * 1000) return undefined;
  const organizationId = authRequest.organizationId ?? hosted.signIn.organizationId;
  if (organizationId && !store.activeMembership(hosted.signIn.userId, organizationId)) return undefined;
  // A new authorization from the same sign-in: the provider's tokens are not handed out again.
  return { ...hosted.signIn, organizationId, oauthTokens: null };
}

/** Moves the user's hosted sign-ins `seconds` earlier, with their sessions' (`POST /__mock/sessions/:id/backdate_sign_in`). */
export function backdateHostedSignIns(store: MockWorkOSStore, userId: string, seconds: number): void {
  for (const hosted of sessionsOf(store).values()) {
    if (hosted.signIn.userId === userId) hosted.signIn.authenticatedAt -= seconds * 1000;
  }
}
