// @ts-check
import { AuthConfigError, assertAuthConfig } from './lib/auth/config.ts';
import { LOCKED_DOWN_CONTENT_SECURITY_POLICY, STATIC_CONTENT_SECURITY_POLICY, staticSecurityHeaders } from './lib/security/headers.ts';

// Fail `next build`, `next dev` and `next start` up front, with every problem and
// its fix, instead of on the first sign-in. Printed without a stack trace: the
// message is the whole story.
/** @type {import('./lib/auth/config.ts').AuthConfig} */
let authConfig;
try {
  authConfig = assertAuthConfig(process.env);
} catch (error) {
  if (!(error instanceof AuthConfigError)) throw error;
  console.error(`\n${error.message}\n`);
  process.exit(1);
}

// HSTS only where the app is served over https (never on http://localhost).
const securityHeaders = staticSecurityHeaders({ hsts: authConfig.redirectUri.startsWith('https:') });

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // The Redis client (REDIS_URL) is ~500 modules of Node-only code: loaded from node_modules at run
  // time instead of compiled into the proxy and every route (a much slower `next dev` otherwise).
  serverExternalPackages: ['@redis/client'],
  typescript: {
    // `npm test` runs `npm run typecheck` (the whole repo) right before `npm run build:e2e`,
    // which sets this so the same check is not paid twice. Every other build type-checks.
    ignoreBuildErrors: process.env.SKIP_BUILD_TYPECHECK === '1',
  },
  experimental: {
    // forbidden() + app/forbidden.tsx: a real 403 for pages the role may not see.
    authInterrupts: true,
  },
  async headers() {
    return [
      { source: '/:path*', headers: securityHeaders },
      // Paths the proxy matcher skips (anything with a file extension) get no nonce CSP from it;
      // a missing one still renders an HTML 404 page, which must not go out without a policy.
      { source: '/:file(.*\\.[A-Za-z0-9]+)', headers: [{ key: 'Content-Security-Policy', value: STATIC_CONTENT_SECURITY_POLICY }] },
      // Pages get a nonce CSP from the proxy; the API routes it skips get one that allows nothing.
      { source: '/api/:path*', headers: [{ key: 'Content-Security-Policy', value: LOCKED_DOWN_CONTENT_SECURITY_POLICY }] },
    ];
  },
};

export default nextConfig;
