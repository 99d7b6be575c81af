// Peer (k) of `npm run bench`: proxy.ts in a temporary copy of the repo. The
// plain setup authkit-nextjs' README documents: its proxy with default options.
import { authkitProxy } from '@workos-inc/authkit-nextjs';

export default authkitProxy();

export const config = {
  // Must equal proxy.ts's matcher (bench/variants/variants.test.ts checks).
  matcher: [
    '/((?!api/auth/callback|_next/static|_next/image|.*\\.[A-Za-z0-9]+$).*)',
    '/api/auth/callback',
    { source: '/:path*', has: [{ type: 'header', key: 'next-action' }] },
    { source: '/:path*', has: [{ type: 'header', key: 'content-type', value: 'multipart/form-data.*' }] },
    { source: '/:path*', has: [{ type: 'header', key: 'content-security-policy' }] },
    { source: '/:path*', has: [{ type: 'header', key: 'content-security-policy-report-only' }] },
    { source: '/:path*', has: [{ type: 'header', key: 'x-nonce' }] },
  ],
};
