/**
 * Which requests need a session: deny by default.
 *
 * Every route needs a signed-in user except the short list below, so a page a
 * template user adds (app/settings/page.tsx, say) is protected without being
 * listed anywhere. Paths outside the proxy matcher (static files, Next's build
 * output, the callback) never reach this decision; see proxy.ts.
 */
import { CALLBACK_PATH } from '../config/env';

// demo:start webhooks
/**
 * WorkOS' webhook deliveries (app/api/webhooks/workos/route.ts, a demo feature): they carry no
 * session, their WorkOS-Signature is the proof, which the route checks before anything else.
 */
const WORKOS_WEBHOOK_PATH = '/api/webhooks/workos';
// demo:end webhooks

/**
 * The public routes. `/auth/*` holds sign-in, sign-up and the error page;
 * `/_not-found` is Next's own not-found route. An unknown path is not on the
 * list: a signed-out visitor is sent to sign-in rather than told it does not
 * exist (answering 404 to signed-out visitors only would reveal which pages exist).
 */
const PUBLIC_PATHS = [
  '/',
  '/auth/*',
  CALLBACK_PATH,
  '/_not-found',
  WORKOS_WEBHOOK_PATH, // demo:line webhooks
] as const;

/**
 * Route handlers that authenticate each request themselves with `Authorization: Bearer` and no
 * cookie (./bearer.ts): an access token (authenticateBearer, /api/projects) or an organization API key
 * (authenticateApiKey, /api/v1/organization). The proxy passes them on without reading the session,
 * and without the cookie (the route must not lean on it). A route you add here must call one of them
 * first: nothing else protects it.
 */
const BEARER_API_PATHS = ['/api/projects', '/api/v1/organization'] as const;

export function isBearerApiPath(pathname: string): boolean {
  return (BEARER_API_PATHS as readonly string[]).includes(pathname);
}

export function isPublicPath(pathname: string): boolean {
  return PUBLIC_PATHS.some((pattern) => (pattern.endsWith('/*') ? pathname.startsWith(pattern.slice(0, -1)) : pathname === pattern));
}

/** The URL that starts sign-in and comes back to `returnTo`. */
export function signInPath(returnTo: string): string {
  return `/auth/sign-in?${new URLSearchParams({ returnTo }).toString()}`;
}

/** The 401 body of an API route called without a session (the proxy's answer, and app/api/me's own check). */
export const API_UNAUTHORIZED_BODY = { error: 'unauthorized', message: 'Sign in to use this API.' } as const;

/** Route handlers under app/api/: answered with 401 JSON, not a redirect, when signed out. */
export function isApiPath(pathname: string): boolean {
  return pathname === '/api' || pathname.startsWith('/api/');
}

/**
 * The paths of the proxy's first matcher entry (proxy.ts, which Next needs as a
 * literal): everything except the callback, Next's build output and image
 * optimiser, and any path with a file extension.
 * route-access.test.ts checks the two agree.
 */
const PAGE_PATH = /^\/(?!api\/auth\/callback|_next\/static|_next\/image|.*\.[A-Za-z0-9]+$).*$/;

export function isPagePath(pathname: string): boolean {
  return PAGE_PATH.test(pathname);
}

/**
 * A request Next may treat as a server action: Next runs one for a POST with a
 * `Next-Action` header (sent by its client) or a multipart form body (a form
 * submitted before JavaScript loaded), wherever the path renders, a 404 included.
 */
export function isPossibleServerAction(request: { method: string; headers: Headers }): boolean {
  if (request.method !== 'POST') return false;
  return request.headers.has('next-action') || (request.headers.get('content-type') ?? '').startsWith('multipart/form-data');
}
