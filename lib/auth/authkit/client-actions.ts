'use server';

/**
 * The server actions behind authkit's client components, served by this app's flow.
 *
 * What authkit does: its client components (AuthKitProvider, useAccessToken,
 * refreshAuth…) call the server actions of its own `dist/esm/actions.js`, which
 * read the session from authkit's unchecked forwarded headers and refresh it with
 * its own refreshSession(): a seal written as one cookie, under authkit's name,
 * with authkit's attributes, and WorkOS failures thrown as 500s.
 * What we need: the same path as every other refresh in this app — the bounded
 * client and its single-flight (one refresh per refresh token, shared through
 * Redis: ./refresh-single-flight.ts), the session stored in chunks with the
 * deployment's cookie attributes (./index.ts), the revocation list, and failures
 * answered as data, never a 500 (session/read.ts, refreshForAction). next.config.js
 * swaps authkit's actions.js for a re-export of this file
 * (./client-actions-loader.mjs), so authkit's components call these instead;
 * client-actions.test.ts pins that every action authkit's components call is
 * here, with the same name. The browser gets the access token (useAccessToken:
 * for calling your own API), never the refresh token.
 * Concerns: authkit-nextjs 4.3.2 (`dist/esm/actions.js` and the components that import it).
 * Delete this file (and the loader) when authkit-nextjs lets the app give its
 * client components their server actions, or refreshes through an SDK the app bounds.
 */
import { getSession, getAccessToken, currentReturnPath, refreshForAction, toClientAuth } from '../session/read';
import { signInPath } from '../session/route-access';
import type { ClientAuth } from '../session/types';
import { refreshSession, switchToOrganization } from './index';
import { appSessionOf } from './session-header';
import { getOrganization } from './workos-api';
import { decodeJwt } from 'jose';

/** What authkit's provider gets back: the client's session, and where to sign in when it asked for a session that is over. */
type ClientAuthAnswer = ClientAuth | { user: null; signInUrl: string };

/** authkit's useAccessToken error when the session is over (the user must sign in again). */
const SESSION_ENDED = 'session_ended';
/** authkit's useAccessToken error when WorkOS could not refresh right now (the session is kept: try again). */
const REFRESH_FAILED = 'refresh_failed';

async function answer(auth: ClientAuth, ensureSignedIn = false): Promise<ClientAuthAnswer> {
  if (auth.user || !ensureSignedIn) return auth;
  return { user: null, signInUrl: signInPath(await currentReturnPath()) };
}

/** The client's session after a refresh, from what authkit's refreshSession() returned. */
function refreshedClientAuth(refreshed: Awaited<ReturnType<typeof refreshSession>>): ClientAuth {
  if (!refreshed.user || !refreshed.accessToken) return { user: null };
  return toClientAuth(appSessionOf(refreshed.user, decodeJwt(refreshed.accessToken), { impersonator: refreshed.impersonator }));
}

/** authkit's provider calls it when the window gets focus; the proxy answered for it already (a request without a session never gets here). */
export async function checkSessionAction(): Promise<boolean> {
  return true;
}

export async function getAuthAction({ ensureSignedIn = false }: { ensureSignedIn?: boolean } = {}): Promise<ClientAuthAnswer> {
  return answer(toClientAuth(await getSession()), ensureSignedIn);
}

/** authkit's refreshAuth(): a refresh now (into `organizationId`, when given); a failure WorkOS may recover from throws (the provider returns `{ error }`). */
export async function refreshAuthAction({
  ensureSignedIn = false,
  organizationId,
}: { ensureSignedIn?: boolean; organizationId?: string } = {}): Promise<ClientAuthAnswer> {
  // Only a session the proxy accepted: the request may still carry a cookie it rejected (revoked, on a public page).
  if (!(await getSession())) return answer({ user: null }, ensureSignedIn);
  const outcome = await refreshForAction(() => refreshSession({ organizationId }));
  if (outcome.ok) return answer(refreshedClientAuth(outcome.value), ensureSignedIn);
  if (outcome.ended) return answer({ user: null }, ensureSignedIn);
  throw new Error(`${REFRESH_FAILED} (reference ${outcome.reference})`);
}

export async function switchToOrganizationAction(
  organizationId: string,
  options: Parameters<typeof switchToOrganization>[1] = {},
): Promise<ClientAuth | { error: string }> {
  if (!(await getSession())) return { user: null };
  const outcome = await refreshForAction(() => switchToOrganization(organizationId, { revalidationStrategy: 'none', ...options }));
  if (outcome.ok) return refreshedClientAuth(outcome.value);
  return outcome.ended ? { user: null } : { error: `switch_failed (reference ${outcome.reference})` };
}

/** useAccessToken's first token: the one the proxy verified (and refreshed when due) for this very request. */
export async function getAccessTokenAction(): Promise<string | undefined> {
  return (await getAccessToken()) ?? undefined;
}

/** useAccessToken's refresh: one per refresh token however many tabs ask (the single-flight), answered as data. */
export async function refreshAccessTokenAction(): Promise<{ accessToken: string | undefined; error?: string }> {
  if (!(await getSession())) return { accessToken: undefined, error: SESSION_ENDED };
  const outcome = await refreshForAction(() => refreshSession());
  if (outcome.ok)
    return outcome.value.accessToken ? { accessToken: outcome.value.accessToken } : { accessToken: undefined, error: SESSION_ENDED };
  return { accessToken: undefined, error: outcome.ended ? SESSION_ENDED : REFRESH_FAILED };
}

/** authkit's Impersonation component: the id and name of the organization the session is in, and no other. */
export async function getOrganizationAction(organizationId: string): Promise<{ id: string; name: string } | null> {
  const session = await getSession();
  if (!session || session.organizationId !== organizationId) return null;
  return getOrganization(organizationId).catch(() => null);
}
