/**
 * Session chunks (session-cookie-chunks.ts) where the session cookie is written
 * through Next's cookie store rather than by the proxy: the callback (authkit's
 * handleAuth saves the session with `cookies().set`), the server actions that
 * refresh or switch the session (authkit's refreshSession/switchToOrganization),
 * and sign-out. Each reads what authkit just wrote and rewrites it in the
 * stored form before Next sends the response.
 */
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getAuthConfig } from '../config/env';
import { authCookieAttributes, currentAuthCookieScope, expiredAuthCookie, type AuthCookieScope } from '../session/cookies';
import { authErrorUrl, newReferenceId } from '../errors/codes';
import { logAuthEvent } from '../errors/log';
import { requestOrigin } from '../config/origin';
import { chunkName, chunkNames, layoutFor, type RewriteOutcome } from './session-chunks';

type CookieStore = Awaited<ReturnType<typeof cookies>>;

// Attributes and deletion are lib/auth/cookies.ts' (the one definition for every auth cookie).
function expire(store: CookieStore, name: string, scope: AuthCookieScope): void {
  store.set(expiredAuthCookie(name, 'session', scope));
}

/** The session cookie's value in the store now (what the request sent, or what authkit just set). */
export async function sessionCookieValue(): Promise<string | undefined> {
  return (await cookies()).get(getAuthConfig().cookie.name)?.value;
}

/**
 * Rewrites the session cookie authkit just set in the store into its stored
 * form (one cookie, or chunks), expiring every other form the browser holds.
 * A session too large even for chunks is deleted in every form and reported.
 */
export async function storeSessionCookieInChunks(): Promise<RewriteOutcome> {
  const config = getAuthConfig();
  const scope = await currentAuthCookieScope(config);
  const name = config.cookie.name;
  const store = await cookies();
  const value = store.get(name)?.value;
  const sentChunks = chunkNames(
    name,
    store.getAll().map((cookie) => cookie.name),
  );
  if (!value) {
    for (const chunk of sentChunks) expire(store, chunk, scope);
    return { tooLarge: false };
  }
  const layout = layoutFor(name, value);
  if (layout.kind === 'single') {
    for (const chunk of sentChunks) expire(store, chunk, scope);
    return { tooLarge: false };
  }
  expire(store, name, scope);
  if (layout.kind === 'too_large') {
    for (const chunk of sentChunks) expire(store, chunk, scope);
    return { tooLarge: true, bytes: layout.bytes };
  }
  const written = layout.chunks.map((chunk, index) => {
    store.set({ name: chunkName(name, index), value: chunk, ...authCookieAttributes('session', scope) });
    return chunkName(name, index);
  });
  for (const chunk of sentChunks) if (!written.includes(chunk)) expire(store, chunk, scope);
  return { tooLarge: false };
}

/** Expires every chunk of the session cookie this browser sent (sign-out; authkit deletes the cookie itself). */
export async function expireSessionChunks(): Promise<void> {
  const config = getAuthConfig();
  const scope = await currentAuthCookieScope(config);
  const store = await cookies();
  for (const chunk of chunkNames(
    config.cookie.name,
    store.getAll().map((cookie) => cookie.name),
  ))
    expire(store, chunk, scope);
}

/**
 * Wraps an authkit function that may save a new session through the cookie
 * store (refreshSession, switchToOrganization: server actions) so the new seal
 * is stored in chunks when it needs them. Runs even when `fn` ends in a redirect
 * (switchToOrganization does). A session too large to store ends at the error
 * page (session_too_large) instead of a cookie the browser would drop.
 */
export function withSessionCookieChunks<Fn extends (...args: never[]) => Promise<unknown>>(fn: Fn): Fn {
  return (async (...args: Parameters<Fn>) => {
    const before = await sessionCookieValue();
    try {
      return await fn(...args);
    } finally {
      if ((await sessionCookieValue()) !== before) {
        const stored = await storeSessionCookieInChunks();
        if (stored.tooLarge) {
          const reference = newReferenceId();
          logAuthEvent({ event: 'session_too_large', userId: undefined, bytes: stored.bytes, reference, during: 'refresh' });
          // Throws Next's redirect: the error page replaces whatever fn was about to do.
          redirect(authErrorUrl('session_too_large', reference, requestOrigin(await headers(), getAuthConfig())).toString());
        }
      }
    }
  }) as Fn;
}
