// @ts-check
import { AuthConfigError, assertAuthConfig } from './lib/auth/config.ts';

// Fail `next build`, `next dev` and `next start` up front, with every problem and
// its fix, instead of on the first sign-in. Printed without a stack trace: the
// message is the whole story.
try {
  assertAuthConfig(process.env);
} catch (error) {
  if (!(error instanceof AuthConfigError)) throw error;
  console.error(`\n${error.message}\n`);
  process.exit(1);
}

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  experimental: {
    // forbidden() + app/forbidden.tsx: a real 403 for pages the role may not see.
    authInterrupts: true,
  },
};

export default nextConfig;
