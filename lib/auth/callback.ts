/**
 * Phase 3 — the callback: authkit-nextjs exchanges the code (with the PKCE
 * verifier from the sealed state) and seals the session cookie; these hooks
 * are what this app adds around it.
 */
import { handleAuth, type HandleAuthSuccessData } from '@workos-inc/authkit-nextjs';
import { NextResponse, type NextRequest } from 'next/server';
import { describeError, logAuthEvent } from './audit-log';
import { getAuthConfig } from './config';
import { parseCustomState } from './custom-state';
import { classifyCallbackError, newReferenceId } from './errors';
import { getOAuthTokenStore, providerForAuthenticationMethod } from './oauth-tokens';
import { DEFAULT_RETURN_TO } from './return-to';
import { saveSignInContext } from './sign-in-context';
import { expiredVerifierCookie, isVerifierCookie } from './verifier-cookies';
import { workos } from './workos';

export const AUTH_ERROR_PATH = '/auth/error';

export async function onAuthSuccess(data: HandleAuthSuccessData): Promise<void> {
  const state = parseCustomState(data.state);

  logAuthEvent({
    event: 'sign_in',
    userId: data.user.id,
    method: data.authenticationMethod,
    organizationId: data.organizationId,
    impersonatedBy: data.impersonator?.email,
    startedFrom: state?.startedFrom,
    intent: state?.intent,
  });

  if (state) await saveSignInContext(state);

  const provider = providerForAuthenticationMethod(data.authenticationMethod);
  if (provider && data.oauthTokens) {
    await getOAuthTokenStore().save(data.user.id, {
      provider,
      accessToken: data.oauthTokens.accessToken,
      refreshToken: data.oauthTokens.refreshToken,
      expiresAt: data.oauthTokens.expiresAt,
      scopes: data.oauthTokens.scopes,
      storedAt: Math.floor(Date.now() / 1000),
    });
    logAuthEvent({ event: 'oauth_tokens_stored', userId: data.user.id, provider });
  }
}

export async function onAuthError({ error, request }: { error?: unknown; request: NextRequest }): Promise<Response> {
  const config = getAuthConfig();
  const { redirectUri } = config;
  const url = request.nextUrl ?? new URL(request.url);
  const verifierCookies = (request.cookies?.getAll() ?? []).map(({ name }) => name).filter(isVerifierCookie);
  const code = classifyCallbackError({ error, url, redirectUri, hasVerifierCookie: verifierCookies.length > 0 });
  const reference = newReferenceId();

  logAuthEvent({ event: 'sign_in_failed', code, reference, reason: describeError(error) });

  // Built on the configured origin, not the Host header, so a spoofed Host can't
  // turn the error redirect into an open redirect.
  const target = new URL(AUTH_ERROR_PATH, redirectUri);
  target.searchParams.set('code', code);
  target.searchParams.set('ref', reference);
  const response = NextResponse.redirect(target, 303);
  // authkit deletes only the cookie named after the URL's state, so a missing or
  // tampered state would leave this browser's verifier behind. A failed callback
  // ends every sign-in in progress here: the person is told to start again.
  const expired = expiredVerifierCookie(config);
  for (const name of verifierCookies) response.cookies.set({ name, ...expired });
  return response;
}

let handler: ReturnType<typeof handleAuth> | undefined;

/** The GET handler for app/api/auth/callback/route.ts. */
export function handleCallback(request: NextRequest): Promise<Response> {
  if (!handler) {
    workos();
    handler = handleAuth({
      // Redirect back to the configured origin rather than trusting the Host header.
      baseURL: new URL(getAuthConfig().redirectUri).origin,
      returnPathname: DEFAULT_RETURN_TO,
      onSuccess: onAuthSuccess,
      onError: onAuthError,
    });
  }
  return handler(request);
}
