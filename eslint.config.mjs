import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTypeScript from 'eslint-config-next/typescript';

export default defineConfig([
  ...nextVitals,
  ...nextTypeScript,
  {
    // Playwright fixtures receive a `use` callback, and unit tests call the mock's
    // useRunningMock() (vitest lifecycle hooks): neither is a React hook.
    files: ['e2e/**/*.ts', 'bench/**/*.ts', '**/*.test.ts'],
    rules: { 'react-hooks/rules-of-hooks': 'off' },
  },
  // ── Layering (docs/architecture.md) ───────────────────────────────────────
  {
    // One door: only lib/auth/ talks to authkit-nextjs and the WorkOS SDK, and
    // reads authkit's forwarded x-workos-* headers. Everyone else imports
    // lib/auth/ (the door, lib/auth/authkit.ts, bounds every SDK call).
    files: ['**/*.{ts,tsx,js,mjs,cjs}'],
    ignores: ['lib/auth/**', 'e2e/**', 'bench/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@workos-inc/*'],
              message: 'Import from @/lib/auth/* instead: lib/auth/authkit.ts is the one door to authkit and the WorkOS SDK.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'Literal[value=/^x-workos-/i], TemplateElement[value.raw=/^x-workos-/i]',
          message: "authkit's x-workos-* headers are lib/auth/'s business: use getSession() from @/lib/auth/session.",
        },
      ],
    },
  },
  {
    // Inside lib/auth/, only the door imports the packages at run time (types are fine),
    // and the flow never imports the demo features (they import the flow).
    files: ['lib/auth/**/*.{ts,tsx}'],
    ignores: ['lib/auth/authkit.ts', 'lib/auth/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@workos-inc/*'],
              allowTypeImports: true,
              message:
                'Call authkit and the SDK through ./authkit (lib/auth/authkit.ts), which bounds the client and single-flights refreshes.',
            },
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
    files: ['lib/auth/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
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
  globalIgnores(['.next/**', 'out/**', 'next-env.d.ts', 'playwright-report/**', 'test-results/**', 'blob-report/**', 'bench/results/**']),
]);
