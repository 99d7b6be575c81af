import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTypeScript from 'eslint-config-next/typescript';

/** authkit-nextjs, the WorkOS SDK, iron-session and jose: lib/auth/authkit/ only (the adapter). */
const VENDOR_PACKAGES = {
  group: ['@workos-inc/*', 'iron-session', 'jose'],
  message: 'Only lib/auth/authkit/ (the adapter) imports authkit, the WorkOS SDK, iron-session and jose: use its verbs through @/lib/auth.',
};

export default defineConfig([
  ...nextVitals,
  ...nextTypeScript,
  {
    // Playwright fixtures receive a `use` callback, and unit tests call the mock's
    // useRunningMock() (vitest lifecycle hooks): neither is a React hook.
    files: ['e2e/**/*.ts', 'bench/**/*.ts', '**/*.test.ts'],
    rules: { 'react-hooks/rules-of-hooks': 'off' },
  },
  // ── Layering (docs/architecture.md): these rules are the source of truth ──
  {
    // The doors. Outside lib/auth/, product code imports the flow through its
    // doors only: lib/auth (pages, routes, actions, features), lib/auth/client
    // (client components), lib/auth/proxy (proxy.ts) and lib/auth/startup.ts
    // (next.config.js, instrumentation.ts).
    // Only the adapter folder talks to authkit, the WorkOS SDK, iron-session and
    // jose; only lib/auth/ reads authkit's forwarded x-workos-* headers.
    files: ['app/**/*.{ts,tsx}', 'lib/**/*.{ts,tsx}', 'examples/**/*.{ts,tsx}', '*.{ts,tsx,js,mjs}'],
    ignores: ['lib/auth/**', '**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(@/|(\\.\\./)+|\\./)lib/auth/(?!(client|proxy|startup(\\.ts)?)$)',
              message:
                'Import the flow from @/lib/auth (its one door; client components: @/lib/auth/client); proxy.ts uses @/lib/auth/proxy, next.config.js and instrumentation.ts lib/auth/startup.ts.',
            },
            { regex: '^\\.\\./auth/', message: 'Import the flow from @/lib/auth (its one door).' },
            VENDOR_PACKAGES,
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'Literal[value=/^x-workos-/i], TemplateElement[value.raw=/^x-workos-/i]',
          message: "authkit's x-workos-* headers are lib/auth/'s business: use getSession() from @/lib/auth.",
        },
      ],
    },
  },
  {
    // Inside lib/auth/: only the adapter folder imports the vendor packages, and the
    // flow never imports the demo features (they import the flow).
    files: ['lib/auth/**/*.{ts,tsx}'],
    ignores: ['lib/auth/authkit/**', '**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            VENDOR_PACKAGES,
            {
              group: ['@/lib/features/*', '**/features/*'],
              message: 'lib/auth/ is the flow; features import it, never the other way round.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['lib/auth/authkit/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@/lib/features/*', '**/features/*'],
              message: 'lib/auth/ is the flow; features import it, never the other way round.',
            },
          ],
        },
      ],
    },
  },
  globalIgnores([
    '.next/**',
    'out/**',
    'next-env.d.ts',
    'playwright-report/**',
    'test-results/**',
    'blob-report/**',
    'bench/results/**',
    'reports/**',
    '.stryker-tmp/**',
  ]),
]);
