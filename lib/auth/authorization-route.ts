/**
 * The GET handlers behind /auth/sign-in and /auth/sign-up (the "initiate login
 * URI" to register in the WorkOS dashboard).
 */
import { withAuth } from '@workos-inc/authkit-nextjs';
import { cookies } from 'next/headers';
import { NextResponse, type NextRequest } from 'next/server';
import { createAuthorizationUrl, parseAuthorizationRequest, type Intent } from './authorization';
import { getAuthConfig } from './config';
import { expiredVerifierCookie, isVerifierCookie } from './verifier-cookies';
import { workos } from './workos';

/** Sign-ins that may be pending at once (tabs); authkit's proxy path uses the same cap. */
export const MAX_PENDING_SIGN_INS = 5;

/**
 * Each visit to /auth/sign-in adds a ~600-byte verifier cookie that lives 10
 * minutes, and authkit's getSignInUrl never prunes them. Twenty clicks would
 * push every request to this origin past the server's header limit (431) until
 * they expire. At the cap, the old ones go before the new one is set.
 */
async function prunePendingSignIns(request: NextRequest): Promise<void> {
  const pending = request.cookies.getAll().filter(({ name }) => isVerifierCookie(name));
  if (pending.length < MAX_PENDING_SIGN_INS) return;
  const jar = await cookies();
  const expired = expiredVerifierCookie(getAuthConfig());
  for (const { name } of pending) jar.set({ name, ...expired });
}

export function authorizationRoute(intent: Intent) {
  return async function GET(request: NextRequest): Promise<Response> {
    workos();
    const appOrigin = new URL(getAuthConfig().redirectUri).origin;
    const authorization = parseAuthorizationRequest(intent, request.nextUrl.searchParams, {
      referer: request.headers.get('referer'),
      appOrigin,
    });

    // Already signed in: go where they were heading instead of a second sign-in.
    const { user } = await withAuth();
    if (user) return NextResponse.redirect(new URL(authorization.returnTo, appOrigin), 303);

    await prunePendingSignIns(request);
    return NextResponse.redirect(await createAuthorizationUrl(authorization), 303);
  };
}
