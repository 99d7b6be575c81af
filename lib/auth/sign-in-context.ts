/**
 * Phase 3 → dashboard — what the callback learned from the custom state,
 * kept for the pages that show it ("you started signing in from /pricing").
 *
 * Sealed with iron-session: HttpOnly already keeps it from page scripts, and
 * sealing keeps a person (or an extension) from planting a path we would render.
 */
import { sealData } from 'iron-session';
import { cookies } from 'next/headers';
import { getAuthConfig } from './config';
import type { CustomState } from './custom-state';
import { sanitizeReturnTo } from './return-to';
import { unsealDataCached } from './unseal-cache';

export const SIGN_IN_CONTEXT_COOKIE = 'auth-sign-in-context';
const TTL_SECONDS = 60 * 60 * 24;

export interface SignInContext {
  startedFrom: string;
  intent: CustomState['intent'];
  /** How long the person spent on the hosted AuthKit page, in seconds. */
  hostedStepSeconds: number;
}

export async function saveSignInContext(state: CustomState, now = Date.now()): Promise<void> {
  const config = getAuthConfig();
  const context: SignInContext = {
    startedFrom: state.startedFrom,
    intent: state.intent,
    hostedStepSeconds: Math.max(0, Math.round((now - state.startedAt) / 1000)),
  };
  const sealed = await sealData(context, { password: config.cookiePassword, ttl: TTL_SECONDS });
  (await cookies()).set(SIGN_IN_CONTEXT_COOKIE, sealed, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: config.redirectUri.startsWith('https:'),
    maxAge: TTL_SECONDS,
  });
}

export async function readSignInContext(): Promise<SignInContext | null> {
  const sealed = (await cookies()).get(SIGN_IN_CONTEXT_COOKIE)?.value;
  if (!sealed) return null;
  // Memoised per seal: the same cookie comes with every dashboard request (lib/auth/unseal-cache.ts).
  const data = await unsealDataCached<Partial<SignInContext>>(sealed, { password: getAuthConfig().cookiePassword, ttl: TTL_SECONDS });
  if (typeof data.startedFrom !== 'string' || (data.intent !== 'sign-in' && data.intent !== 'sign-up') || typeof data.hostedStepSeconds !== 'number') {
    return null;
  }
  return { startedFrom: sanitizeReturnTo(data.startedFrom, '/'), intent: data.intent, hostedStepSeconds: data.hostedStepSeconds };
}
