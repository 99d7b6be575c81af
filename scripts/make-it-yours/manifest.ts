/**
 * Everything `npm run make-it-yours` removes and renames, in one place.
 *
 * A demo feature registers here (docs/architecture.md, "The demo features"):
 * its own files and folders under `delete`; every shared file it adds lines to
 * under `cut`, with those lines marked in the file by a `demo:start <id>` …
 * `demo:end <id>` comment pair (or a trailing `demo:line <id>` comment for one
 * line); the package.json dependencies only it uses under `dependencies`.
 * The command refuses to run when this list and the tree disagree (a file
 * renamed, a region without its entry, a file in lib/features/ no feature
 * deletes), and so does its unit test, so a change that breaks the removal
 * fails CI, which also runs the removal on a scratch copy (.ci/run).
 */
import type { Manifest } from './plan.ts';

export const MANIFEST: Manifest = {
  features: [
    {
      id: 'sign-in-context',
      title: 'Sign-in context notice (custom state carried through AuthKit)',
      delete: [
        'lib/features/sign-in-context/',
        'app/components/dashboard/sign-in-context-notice.tsx',
        'e2e/security/sign-in-context.spec.ts',
        'e2e/security/app-cookies.spec.ts',
      ],
      cut: [
        'app/auth/sign-in/route.ts',
        'app/auth/sign-up/route.ts',
        'app/api/auth/callback/route.ts',
        'app/actions.ts',
        'app/dashboard/page.tsx',
        'app/components/dashboard/dashboard-view.tsx',
        'bench/variants/fixture.ts',
        'e2e/authorization-request.spec.ts',
        'e2e/security/cookie-attributes.spec.ts',
        'e2e/security/cookie-tossing.spec.ts',
        'docs/how-it-works.md',
      ],
    },
    {
      id: 'provider-tokens',
      title: 'Provider tokens of a social sign-in (Connected account panel)',
      delete: ['lib/features/provider-tokens/', 'app/components/dashboard/connected-account-panel.tsx'],
      cut: [
        'app/api/auth/callback/route.ts',
        'app/actions.ts',
        'app/dashboard/page.tsx',
        'app/components/dashboard/dashboard-view.tsx',
        'bench/variants/fixture.ts',
        'e2e/sign-in-methods.spec.ts',
        'README.md',
        'docs/how-it-works.md',
      ],
    },
    {
      id: 'organizations',
      title: 'Organization name and switcher',
      delete: ['lib/features/organizations/', 'app/components/dashboard/organization-panels.tsx', 'e2e/organizations.spec.ts'],
      cut: [
        'app/dashboard/page.tsx',
        'app/components/dashboard/dashboard-view.tsx',
        'bench/variants/fixture.ts',
        'bench/variants/fixture-dashboard-page.tsx',
        'bench/variants/authkit-dashboard-page.tsx',
        'e2e/authorization-request.spec.ts',
        'e2e/dashboard-panels.spec.ts',
        'e2e/sign-in-methods.spec.ts',
        'e2e/security/fault-sweep.spec.ts',
        'docs/how-it-works.md',
      ],
    },
    {
      id: 'sessions',
      title: 'Active sessions panel and "Sign out of other sessions"',
      delete: [
        'lib/features/sessions/',
        'app/components/dashboard/active-sessions-panel.tsx',
        // Step-up's demo: the dashboard's "signed in … ago" notice, and the round trip of the panel's sensitive action.
        'app/components/dashboard/recent-sign-in-notice.tsx',
        'e2e/step-up.spec.ts',
      ],
      cut: [
        'app/api/auth/callback/route.ts',
        'app/actions.ts',
        'app/dashboard/page.tsx',
        'app/components/dashboard/dashboard-view.tsx',
        'bench/variants/fixture.ts',
        'bench/variants/fixture-dashboard-page.tsx',
        'bench/variants/authkit-dashboard-page.tsx',
        'e2e/dashboard-panels.spec.ts',
        'e2e/security/fault-sweep.spec.ts',
        'e2e/security/revocation.spec.ts',
        'README.md',
        'docs/architecture.md',
        'docs/how-it-works.md',
      ],
      // Names the devices in the session list ("Chrome on Linux").
      dependencies: ['bowser'],
    },
    {
      id: 'api-keys',
      title: 'Organization API keys (the admin panel and the machine route /api/v1/organization)',
      delete: [
        'lib/features/api-keys/',
        'app/components/dashboard/api-keys-panel.tsx',
        'app/components/dashboard/api-key-create-form.tsx',
        'app/api/v1/organization/',
        'e2e/api-keys.spec.ts',
      ],
      cut: ['app/dashboard/admin/page.tsx', 'lib/auth/index.ts', 'lib/auth/authkit/workos-api.ts', 'README.md'],
    },
    {
      id: 'workos-reads',
      title: 'WorkOS reads a page can do without (readForPanel, the per-user cache)',
      delete: [
        'lib/features/workos-reads.ts',
        'lib/features/workos-reads.test.ts',
        'lib/features/per-user-cache.ts',
        'lib/features/per-user-cache.test.ts',
      ],
      cut: [
        'app/dashboard/page.tsx',
        'app/components/dashboard/dashboard-view.tsx',
        'e2e/dashboard-panels.spec.ts',
        'e2e/security/fault-sweep.spec.ts',
        'README.md',
        'docs/architecture.md',
        'docs/how-it-works.md',
      ],
    },
    {
      id: 'workspace',
      title: 'Self-serve workspace for a user without an organization',
      delete: ['lib/features/workspace/', 'app/workspace/', 'e2e/workspace.spec.ts'],
      cut: [
        'app/components/dashboard/dashboard-view.tsx',
        'lib/auth/index.ts',
        'lib/auth/authkit/workos-api.ts',
        'README.md',
        'docs/architecture.md',
      ],
    },
    {
      id: 'members',
      title: "Organization admin: invitations, members and their roles (the admin page's panels)",
      delete: [
        'lib/features/members/',
        'app/components/admin/organization-admin.tsx',
        'app/components/admin/invite-form.tsx',
        'e2e/organization-admin.spec.ts',
      ],
      cut: [
        'app/dashboard/admin/page.tsx',
        'lib/auth/index.ts',
        'lib/auth/authkit/workos-api.ts',
        'lib/auth/errors/log.ts',
        'e2e/accessibility.spec.ts',
        'README.md',
        'docs/architecture.md',
        'docs/how-it-works.md',
        'docs/testing.md',
      ],
    },
    {
      id: 'webhooks',
      title: 'WorkOS webhooks (POST /api/webhooks/workos, WORKOS_WEBHOOK_SECRET, the Recent events panel)',
      delete: [
        'lib/features/webhooks/',
        // The adapter's webhook file exists for this route alone.
        'lib/auth/authkit/webhooks.ts',
        'lib/auth/authkit/webhooks.test.ts',
        'app/api/webhooks/',
        'app/components/admin/recent-events-panel.tsx',
        'e2e/webhooks.spec.ts',
      ],
      cut: [
        'app/dashboard/admin/page.tsx',
        'lib/auth/index.ts',
        'lib/auth/config/env.ts',
        'lib/auth/config/env.test.ts',
        'lib/auth/session/route-access.ts',
        'lib/auth/session/route-access.test.ts',
        'lib/auth/errors/log.ts',
        '.env.example',
        // dev:mock and start:mock register the app's route at the mock; the e2e suite does too.
        'scripts/mock-app.ts',
        'scripts/mock-app.test.ts',
        'e2e/support/env.ts',
        'playwright.config.ts',
        'e2e/dev-mock.spec.ts',
        'README.md',
        'docs/architecture.md',
        'docs/testing.md',
      ],
    },
  ],

  // The starter's name where a product carries its own: the package, the page titles and header, the README's title.
  rename: [
    { file: 'package.json', from: '"name": "authkit-nextjs-starter"', to: '"name": "{package}"', count: 1 },
    {
      file: 'package.json',
      from: '"description": "Reference Next.js App Router starter for WorkOS AuthKit, with an end-to-end suite against a mock WorkOS."',
      to: '"description": "{name}"',
      count: 1,
    },
    { file: 'package-lock.json', from: '"name": "authkit-nextjs-starter"', to: '"name": "{package}"', count: 2 },
    { file: 'app/layout.tsx', from: 'AuthKit Starter', to: '{name}', count: 3 },
    {
      file: 'app/layout.tsx',
      from: "description: 'A Next.js App Router starter for WorkOS AuthKit, with an end-to-end suite against a mock WorkOS.'",
      to: "description: '{name}'",
      count: 1,
    },
    { file: 'app/global-error.tsx', from: 'AuthKit Starter', to: '{name}', count: 1 },
    { file: 'app/page.tsx', from: "'Sign-in, done right.'", to: "'{name}'", count: 1 },
    {
      file: 'app/page.tsx',
      from: `A Next.js starter for WorkOS AuthKit: hosted sign-in, sealed sessions, protected routes and an end-to-end suite that runs against a
        mock WorkOS.`,
      to: 'Sign in to {name} with WorkOS AuthKit.',
      count: 1,
    },
    { file: 'e2e/security/headers.spec.ts', from: "{ name: 'AuthKit Starter' }", to: "{ name: '{name}' }", count: 1 },
    { file: 'README.md', from: '# AuthKit Next.js Starter\n', to: '# {name}\n', count: 1 },
    { file: 'README.md', from: '`authkit-nextjs-starter`', to: '`{package}`', count: 1 },
  ],

  demoRoots: ['lib/features/'],
  // Stryker's result file holds copies of the sources, markers included: a cache, not code to cut.
  notScanned: ['scripts/make-it-yours/', 'test/mutation/stryker-incremental.json'],
};
