// Next 16 calls this file `proxy.ts` (it was `middleware.ts` before).
import { authProxy } from '@/lib/auth/proxy';

export default authProxy;

export const config = {
  matcher: [
    // The app's pages and route handlers: everything except the callback (it must
    // never be redirected), Next's build output and image optimiser, and any path
    // with a file extension (static assets in public/, fonts, icons). Which of
    // them need a user is decided in lib/auth/session/route-access.ts (deny by default),
    // not here; lib/auth/session/route-access.ts mirrors this pattern (isPagePath).
    '/((?!api/auth/callback|_next/static|_next/image|.*\\.[A-Za-z0-9]+$).*)',
    // The callback: never redirected, but it reads authkit's cookies under authkit's names, as the pages do.
    '/api/auth/callback',
    // Anything that may be a server action, on any path: Next runs an action
    // wherever the path renders (a 404 for /missing.png included), so the proxy
    // must see every one, if only to refuse those outside the pages above.
    { source: '/:path*', has: [{ type: 'header', key: 'next-action' }] },
    { source: '/:path*', has: [{ type: 'header', key: 'content-type', value: 'multipart/form-data.*' }] },
    // Any request carrying a nonce header, on any path: Next takes its scripts' nonce from the request's
    // CSP header, so only the proxy may set one (lib/security/headers.ts, RENDER_NONCE_HEADERS).
    { source: '/:path*', has: [{ type: 'header', key: 'content-security-policy' }] },
    { source: '/:path*', has: [{ type: 'header', key: 'content-security-policy-report-only' }] },
    { source: '/:path*', has: [{ type: 'header', key: 'x-nonce' }] },
  ],
};
