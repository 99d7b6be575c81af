// Peer (n) of `npm run bench`: proxy.ts in a temporary copy of the repo. A proxy
// that does nothing, on the product's matcher: what Next's proxy invocation costs.
import { NextResponse } from 'next/server';

export default function proxy(): NextResponse {
  return NextResponse.next();
}

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
