// @ts-check
import path from 'node:path';
import { PHASE_PRODUCTION_BUILD } from 'next/constants.js';
import { checkConfigAtStartup } from './lib/auth/startup.ts';
import { LOCKED_DOWN_CONTENT_SECURITY_POLICY, STATIC_CONTENT_SECURITY_POLICY, staticSecurityHeaders } from './lib/security/headers.ts';

/** @param {string} phase */
export default function nextConfig(phase) {
  // Fail `next build`, `next dev` and `next start` up front, with every problem and its fix,
  // instead of on the first sign-in (lib/auth/config/env.ts, checkConfigAtStartup).
  checkConfigAtStartup(phase === PHASE_PRODUCTION_BUILD ? 'build' : 'server');

  /** @type {import('next').NextConfig} */
  const config = {
    // `node .next/standalone/server.js`: a self-contained server for containers and
    // plain Node hosts (README, Deploy). Vercel ignores it and builds its own output.
    output: 'standalone',
    poweredByHeader: false,
    // The app renders no next/image (avatars are plain <img>), so the optimiser is off: /_next/image
    // answers 404 for every URL. On, it fetched internal URLs itself and answered 500 for one that
    // redirects (`/_next/image?url=/dashboard`), a 5xx on demand.
    images: { unoptimized: true },
    reactStrictMode: true,
    // The Redis client (REDIS_URL) is ~500 modules of Node-only code: loaded from node_modules at run
    // time instead of compiled into the proxy and every route (a much slower `next dev` otherwise).
    serverExternalPackages: ['@redis/client'],
    typescript: {
      // `npm test` runs `npm run typecheck` (the whole repo) right before `npm run build:e2e`,
      // which sets this so the same check is not paid twice. Every other build type-checks.
      ignoreBuildErrors: process.env.SKIP_BUILD_TYPECHECK === '1',
    },
    turbopack: {
      rules: {
        // authkit's client components (AuthKitProvider, useAccessToken…) call its own server actions;
        // these make them call the app's, through the app's refresh path (lib/auth/authkit/client-actions.ts).
        '**/node_modules/@workos-inc/authkit-nextjs/dist/esm/actions.js': {
          loaders: [
            {
              loader: path.join(import.meta.dirname, 'lib/auth/authkit/client-actions-loader.mjs'),
              options: {
                actions: path.join(import.meta.dirname, 'lib/auth/authkit/client-actions.ts'),
                // Sign-out with the app's sign-out hooks: the action behind the app's own Sign out button.
                signOut: { module: path.join(import.meta.dirname, 'app/actions.ts'), name: 'signOutAction' },
              },
            },
          ],
          as: '*.js',
        },
      },
    },
    experimental: {
      // forbidden() + app/forbidden.tsx: a real 403 for pages the role may not see.
      authInterrupts: true,
    },
    async headers() {
      return [
        { source: '/:path*', headers: staticSecurityHeaders() },
        // Paths the proxy matcher skips (anything with a file extension) get no nonce CSP from it;
        // a missing one still renders an HTML 404 page, which must not go out without a policy.
        { source: '/:file(.*\\.[A-Za-z0-9]+)', headers: [{ key: 'Content-Security-Policy', value: STATIC_CONTENT_SECURITY_POLICY }] },
        // Pages get a nonce CSP from the proxy; the API routes it skips get one that allows nothing.
        { source: '/api/:path*', headers: [{ key: 'Content-Security-Policy', value: LOCKED_DOWN_CONTENT_SECURITY_POLICY }] },
      ];
    },
  };
  return config;
}
