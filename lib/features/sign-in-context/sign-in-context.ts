/**
 * Demo feature: custom state carried through AuthKit, shown on the dashboard
 * ("you started signing in from /pricing and spent 12 s on the hosted page").
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
  readAppCookie,
  requestOrigin,
  sanitizeReturnTo,
  sealWithCookiePassword,
  setAppCookie,
  unsealCached,
  type Intent,
  type SignInEvent,
} from '@/lib/auth';
import { createCustomState, parseCustomState, serializeCustomState } from './custom-state';

const SIGN_IN_CONTEXT_COOKIE = 'auth-sign-in-context';
const TTL_SECONDS = 60 * 60 * 24;

/** What the cookie seals: the context, and the user it was made for. */
const sealedContextSchema = z.object({
  userId: z.string(),
  startedFrom: z.string(),
  intent: z.enum(['sign-in', 'sign-up']),
  /** How long the person spent on the hosted AuthKit page, in seconds. */
  hostedStepSeconds: z.number(),
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
export async function saveSignInContext(data: Pick<SignInEvent, 'state' | 'user'>, now = Date.now()): Promise<void> {
  const state = parseCustomState(data.state);
  // A sign-in that says nothing must not leave an earlier person's context showing.
  if (!state) return forgetSignInContext();
  const context: z.infer<typeof sealedContextSchema> = {
    userId: data.user.id,
    startedFrom: state.startedFrom,
    intent: state.intent,
    hostedStepSeconds: Math.max(0, Math.round((now - state.startedAt) / 1000)),
  };
  const sealed = await sealWithCookiePassword(context, { ttl: TTL_SECONDS });
  // The deployment's cookie attributes (Secure, Domain), as every auth cookie.
  await setAppCookie(SIGN_IN_CONTEXT_COOKIE, sealed, TTL_SECONDS);
}

/** The context kept for `userId`; null when there is none, or it was made for someone else. */
export async function readSignInContext(userId: string): Promise<SignInContext | null> {
  const sealed = await readAppCookie(SIGN_IN_CONTEXT_COOKIE);
  if (!sealed) return null;
  // Memoised per seal: the same cookie comes with every dashboard request.
  const data = await unsealCached<unknown>(sealed, { password: getAuthConfig().cookiePassword, ttl: TTL_SECONDS });
  const record = sealedContextSchema.safeParse(data);
  if (!record.success || record.data.userId !== userId) return null;
  const { startedFrom, intent, hostedStepSeconds } = record.data;
  return { startedFrom: sanitizeReturnTo(startedFrom, '/'), intent, hostedStepSeconds };
}

/** Sign-out hook: the next person on this browser must not see where this one started. */
export async function forgetSignInContext(): Promise<void> {
  await deleteAppCookie(SIGN_IN_CONTEXT_COOKIE);
}
