/**
 * Demo feature: custom state carried through AuthKit, shown on the dashboard
 * ("You signed in from /pricing. Go back there").
 *
 * Wired into the flow by the app: app/auth/sign-in/route.ts passes
 * {@link signInContextState} as the authorization request's custom state, and
 * the callback route runs {@link saveSignInContext} on success. lib/auth/ never
 * imports this folder.
 *
 * The context is kept in a sealed cookie (iron-session): HttpOnly already keeps
 * it from page scripts, and sealing keeps a person (or an extension) from
 * planting a path we would render.
 */
import type { NextRequest } from 'next/server';
import { z } from 'zod';
import {
  deleteAppCookie,
  getAuthConfig,
  readSealedAppCookie,
  requestOrigin,
  sanitizeReturnTo,
  sealWithCookiePassword,
  setAppCookie,
  type Intent,
  type SignInEvent,
} from '@/lib/auth';
import { createCustomState, parseCustomState, serializeCustomState } from './custom-state';

const SIGN_IN_CONTEXT_COOKIE = 'sign-in-context';
const TTL_SECONDS = 60 * 60 * 24;

/** What the cookie seals: the context, and the user it was made for. */
const sealedContextSchema = z.object({
  userId: z.string(),
  startedFrom: z.string(),
  intent: z.enum(['sign-in', 'sign-up']),
});

export type SignInContext = Omit<z.infer<typeof sealedContextSchema>, 'userId'>;

/** The path of a same-origin Referer, if there is one. */
export function startedFromReferer(referer: string | null, appOrigin: string): string {
  if (!referer) return '/';
  try {
    const url = new URL(referer);
    return url.origin === appOrigin ? sanitizeReturnTo(`${url.pathname}${url.search}`, '/') : '/';
  } catch {
    return '/';
  }
}

/** Custom state for the authorization request: where the person started, and why. */
export function signInContextState(request: NextRequest, intent: Intent): string {
  const appOrigin = requestOrigin(request, getAuthConfig());
  const startedFrom = startedFromReferer(request.headers.get('referer'), appOrigin);
  return serializeCustomState(createCustomState({ startedFrom, intent }));
}

/** onSuccess hook: keeps what the custom state said for the dashboard, for this user only. */
export async function saveSignInContext(data: Pick<SignInEvent, 'state' | 'user'>): Promise<void> {
  const state = parseCustomState(data.state);
  // A sign-in that says nothing must not leave an earlier person's context showing.
  if (!state) return forgetSignInContext();
  const context: z.infer<typeof sealedContextSchema> = {
    userId: data.user.id,
    startedFrom: state.startedFrom,
    intent: state.intent,
  };
  const sealed = await sealWithCookiePassword(context, { ttl: TTL_SECONDS });
  // The deployment's cookie attributes (Secure, Domain), as every auth cookie.
  await setAppCookie(SIGN_IN_CONTEXT_COOKIE, sealed, TTL_SECONDS);
}

/** The context kept for `userId`; null when there is none, it cannot be read, or it was made for someone else. */
export async function readSignInContext(userId: string): Promise<SignInContext | null> {
  const record = await readSealedAppCookie(SIGN_IN_CONTEXT_COOKIE, sealedContextSchema);
  if (record?.userId !== userId) return null;
  return { startedFrom: sanitizeReturnTo(record.startedFrom, '/'), intent: record.intent };
}

/** Sign-out hook: the next person on this browser must not see where this one started. */
export async function forgetSignInContext(): Promise<void> {
  await deleteAppCookie(SIGN_IN_CONTEXT_COOKIE);
}
