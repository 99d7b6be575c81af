/**
 * Session chunks (session-cookie-chunks.ts) where the session cookie is written
 * through Next's cookie store rather than by the proxy: the callback (authkit's
 * handleAuth saves the session with `cookies().set`), the server actions that
 * refresh or switch the session (authkit's refreshSession/switchToOrganization),
 * and sign-out. Each reads what authkit just wrote and rewrites it in the
 * stored form before Next sends the response.
 */
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { getAuthConfig, type AuthConfig } from './config';
import { cookiesAreSecure } from './cookies';
import { authErrorUrl, newReferenceId } from './errors';
import { logAuthEvent } from './log';
import { chunkName, chunkNames, layoutFor, type RewriteOutcome } from './session-cookie-chunks';

/** authkit's default session cookie lifetime (400 days, Chrome's maximum) unless WORKOS_COOKIE_MAX_AGE says otherwise. */
const DEFAULT_SESSION_COOKIE_MAX_AGE = 60 * 60 * 24 * 400;

/** The attributes authkit gives the session cookie (cookie.js getCookieOptions), with Secure from the runtime redirect URI. */
function sessionCookieOptions(config: AuthConfig) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: config.cookie.sameSite,
    secure: config.cookie.sameSite === 'none' || cookiesAreSecure(config),
    maxAge: config.cookie.maxAgeSeconds ?? DEFAULT_SESSION_COOKIE_MAX_AGE,
    ...(config.cookie.domain ? { domain: config.cookie.domain } : {}),
  };
}

type CookieStore = Awaited<ReturnType<typeof cookies>>;

function expire(store: CookieStore, name: string, config: AuthConfig): void {
  // Expires, not Max-Age=0: Next drops Max-Age=0 when it re-parses the line.
  store.set(name, '', { ...sessionCookieOptions(config), maxAge: undefined, expires: new Date(0) });
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
  const name = config.cookie.name;
  const store = await cookies();
  const value = store.get(name)?.value;
  const sentChunks = chunkNames(name, store.getAll().map((cookie) => cookie.name));
  if (!value) {
    for (const chunk of sentChunks) expire(store, chunk, config);
    return { tooLarge: false };
  }
  const layout = layoutFor(name, value);
  if (layout.kind === 'single') {
    for (const chunk of sentChunks) expire(store, chunk, config);
    return { tooLarge: false };
  }
  expire(store, name, config);
  if (layout.kind === 'too_large') {
    for (const chunk of sentChunks) expire(store, chunk, config);
    return { tooLarge: true, bytes: layout.bytes };
  }
  const options = sessionCookieOptions(config);
  const written = layout.chunks.map((chunk, index) => {
    store.set(chunkName(name, index), chunk, options);
    return chunkName(name, index);
  });
  for (const chunk of sentChunks) if (!written.includes(chunk)) expire(store, chunk, config);
  return { tooLarge: false };
}

/** Expires every chunk of the session cookie this browser sent (sign-out; authkit deletes the cookie itself). */
export async function expireSessionChunks(): Promise<void> {
  const config = getAuthConfig();
  const store = await cookies();
  for (const chunk of chunkNames(config.cookie.name, store.getAll().map((cookie) => cookie.name))) expire(store, chunk, config);
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
          redirect(authErrorUrl('session_too_large', reference, getAuthConfig().redirectUri).toString());
        }
      }
    }
  }) as Fn;
}
