import { availableParallelism } from 'node:os';
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
    // Vitest's default is one worker fewer than the cores: a single worker on 2 cores. Many files spend
    // their time waiting (a Redis outage, a stalled endpoint, a child process), not computing, so one
    // worker per core, and at least 3, keeps both cores busy: 42 s instead of 98 s on 2 cores.
    maxWorkers: Math.max(3, availableParallelism()),
    // A hang guard, not a speed check (speed is `npm run bench`'s): `npm test` runs this beside lint,
    // the type check and the e2e build, and the heaviest tests (2,001 tokens signed and verified) take
    // several seconds of CPU on a loaded 2-core machine.
    testTimeout: 20_000,
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
