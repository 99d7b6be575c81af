/**
 * The GET handlers behind /auth/sign-in and /auth/sign-up (the "initiate login
 * URI" to register in the WorkOS dashboard).
 */
import { withAuth } from '@workos-inc/authkit-nextjs';
import { NextResponse, type NextRequest } from 'next/server';
import { createAuthorizationUrl, parseAuthorizationRequest, type Intent } from './authorization';
import { getAuthConfig } from './config';
import { workos } from './workos';

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

    return NextResponse.redirect(await createAuthorizationUrl(authorization), 303);
  };
}
