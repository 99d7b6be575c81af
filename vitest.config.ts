import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      '@': fileURLToPath(new URL('.', import.meta.url)),
      // `server-only` throws unless resolved under the `react-server` condition,
      // which only Next's RSC bundler sets. Unit tests import modules that use it
      // (lib/auth/session/read.ts, and authkit-nextjs itself), so map it to a no-op.
      'server-only': fileURLToPath(new URL('./test/empty-module.ts', import.meta.url)),
    },
  },
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.next/**', 'e2e/**/*.spec.ts', '.stryker-tmp/**'],
    environment: 'node',
    // Says once when the Redis tests are skipped (no redis-server, not in CI).
    globalSetup: ['./test/redis-global-setup.ts'],
    server: {
      deps: {
        // Let Vite resolve authkit-nextjs' imports: it imports `next/cache` etc.
        // without extensions (fine for bundlers, not for Node's ESM loader), and
        // only inlined dependencies see the `server-only` alias above.
        inline: ['@workos-inc/authkit-nextjs'],
      },
    },
  },
});
