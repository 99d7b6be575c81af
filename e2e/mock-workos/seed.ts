/**
 * The demo world the mock starts with (and returns to on reset). Exported typed
 * so tests and the README refer to the same accounts instead of copying emails.
 *
 * Ids are fixed (not random) so they stay the same across restarts and can be
 * written into docs and tests; they follow WorkOS' `prefix_01…` shape.
 */
import { PERMISSIONS } from '../../lib/permissions.ts';
import type { OrganizationSeed, SocialProvider, UserSeed } from './store/records.ts';

/** One password for every seeded password account; shown on the mock's sign-in page. */
export const DEMO_PASSWORD = 'authkit-demo-password';

/**
 * Environment roles and the permissions each grants (WorkOS: Roles & Permissions).
 * The slugs are the app's own (lib/permissions.ts), so renaming one there renames it here.
 */
export const ROLE_PERMISSIONS: Readonly<Record<string, readonly string[]>> = {
  admin: [PERMISSIONS.readPosts, PERMISSIONS.writePosts, PERMISSIONS.manageUsers],
  member: [PERMISSIONS.readPosts],
};

/** Their names, as the WorkOS dashboard shows them (a role's `name`). */
export const ROLE_NAMES: Readonly<Record<string, string>> = { admin: 'Admin', member: 'Member' };

export const SEED_ORGANIZATION_IDS = {
  acme: 'org_01HDEMOACME0000000000000',
  globex: 'org_01HDEMOGLOBEX00000000000',
  initech: 'org_01HDEMOINITECH0000000000',
  umbrella: 'org_01HDEMOUMBRELLA000000000',
  cyberdyne: 'org_01HDEMOCYBERDYNE00000000',
} as const;

export const SEED_USER_IDS = {
  admin: 'user_01HDEMOADMIN000000000000',
  member: 'user_01HDEMOMEMBER00000000000',
  multiOrg: 'user_01HDEMOMULTIORG00000000',
  unverified: 'user_01HDEMOUNVERIFIED0000000',
  sso: 'user_01HDEMOSSO00000000000000',
  mfa: 'user_01HDEMOMFA00000000000000',
  impersonated: 'user_01HDEMOIMPERSONATED0000',
  google: 'user_01HDEMOGOOGLE00000000000',
  microsoft: 'user_01HDEMOMICROSOFT000000',
  github: 'user_01HDEMOGITHUB00000000000',
  newcomer: 'user_01HDEMONEWCOMER000000000',
  mfaSetup: 'user_01HDEMOMFASETUP000000000',
  passkey: 'user_01HDEMOPASSKEY0000000000',
} as const;

export const SEED_ORGANIZATIONS: readonly OrganizationSeed[] = [
  {
    id: SEED_ORGANIZATION_IDS.acme,
    name: 'Acme',
    domains: ['acme.example.com'],
    entitlements: ['audit-logs'],
    featureFlags: ['new-dashboard'],
    sso: null,
  },
  {
    id: SEED_ORGANIZATION_IDS.globex,
    name: 'Globex',
    domains: ['globex.example.com'],
    entitlements: [],
    featureFlags: [],
    sso: null,
  },
  {
    id: SEED_ORGANIZATION_IDS.initech,
    name: 'Initech',
    domains: ['initech.example.com'],
    entitlements: ['audit-logs'],
    featureFlags: [],
    sso: { connectionId: 'conn_01HDEMOINITECHOKTA00000', state: 'active', required: true },
  },
  {
    id: SEED_ORGANIZATION_IDS.umbrella,
    name: 'Umbrella',
    domains: ['umbrella.example.com'],
    entitlements: [],
    featureFlags: [],
    sso: { connectionId: 'conn_01HDEMOUMBRELLAADFS00000', state: 'misconfigured', required: true },
  },
  {
    id: SEED_ORGANIZATION_IDS.cyberdyne,
    name: 'Cyberdyne',
    domains: ['cyberdyne.example.com'],
    entitlements: [],
    featureFlags: [],
    sso: null,
    mfaRequired: true,
  },
];

/** A password account with one Acme membership, the shape of most demo accounts. */
const acmeAccount = (role: 'admin' | 'member', account: Omit<UserSeed, 'password' | 'memberships'>): UserSeed => ({
  ...account,
  password: DEMO_PASSWORD,
  memberships: [{ organizationId: SEED_ORGANIZATION_IDS.acme, role }],
});

/** The account a social button signs in: no password, no organization. */
const socialAccount = (provider: SocialProvider, account: Omit<UserSeed, 'password' | 'memberships' | 'socialProvider'>): UserSeed => ({
  ...account,
  password: null,
  socialProvider: provider,
  memberships: [],
});

export const SEED_USERS: readonly UserSeed[] = [
  acmeAccount('admin', {
    id: SEED_USER_IDS.admin,
    email: 'admin@example.com',
    firstName: 'Ada',
    lastName: 'Admin',
    demo: { signIn: 'Password', demonstrates: 'Organization admin: permissions, entitlements and feature flags in the access token' },
  }),
  acmeAccount('member', {
    id: SEED_USER_IDS.member,
    email: 'member@example.com',
    firstName: 'Max',
    lastName: 'Member',
    demo: { signIn: 'Password or magic code', demonstrates: 'Plain member (posts:read only): what a non-admin cannot do' },
  }),
  {
    id: SEED_USER_IDS.multiOrg,
    email: 'multi-org@example.com',
    firstName: 'Morgan',
    lastName: 'Multi',
    password: DEMO_PASSWORD,
    memberships: [
      { organizationId: SEED_ORGANIZATION_IDS.acme, role: 'member' },
      { organizationId: SEED_ORGANIZATION_IDS.globex, role: 'admin' },
    ],
    demo: {
      signIn: 'Password, then pick an organization',
      demonstrates: 'The organization picker of the hosted page (member of Acme, admin of Globex), then the switcher',
    },
  },
  acmeAccount('member', {
    id: SEED_USER_IDS.unverified,
    email: 'unverified@example.com',
    firstName: 'Uma',
    lastName: 'Unverified',
    emailVerified: false,
    demo: {
      signIn: 'Password, then the code from the outbox',
      demonstrates:
        'Email verification: a 6-digit code sent to the mock’s outbox (/__mock/outbox); once verified it stays so until the mock restarts',
    },
  }),
  {
    id: SEED_USER_IDS.sso,
    email: 'sso@initech.example.com',
    firstName: 'Sam',
    lastName: 'Sso',
    password: null,
    memberships: [{ organizationId: SEED_ORGANIZATION_IDS.initech, role: 'member' }],
    demo: {
      signIn: 'Email, then Sign in or Continue with SSO',
      demonstrates:
        'SSO-required organization (Initech): the email goes to its SSO connection, not the password form; any @umbrella.example.com email shows a misconfigured connection',
    },
  },
  acmeAccount('member', {
    id: SEED_USER_IDS.mfa,
    email: 'mfa@example.com',
    firstName: 'Mia',
    lastName: 'Mfa',
    mfa: { totpCode: '424242' },
    demo: { signIn: 'Password, then authentication code 424242', demonstrates: 'Second factor (TOTP) step' },
  }),
  acmeAccount('member', {
    id: SEED_USER_IDS.impersonated,
    email: 'impersonated@example.com',
    firstName: 'Ivy',
    lastName: 'Impersonated',
    impersonator: { email: 'support@example.com', reason: 'Investigating a billing question (ticket 4242)' },
    demo: { signIn: 'Password', demonstrates: 'Impersonated session: impersonator in the response, act claim in the token' },
  }),
  {
    id: SEED_USER_IDS.newcomer,
    email: 'newcomer@example.com',
    firstName: 'Nia',
    lastName: 'Newcomer',
    password: DEMO_PASSWORD,
    memberships: [],
    demo: { signIn: 'Password', demonstrates: 'A new user without an organization: the app asks them to create their workspace' },
  },
  {
    id: SEED_USER_IDS.mfaSetup,
    email: 'mfa-setup@example.com',
    firstName: 'Miles',
    lastName: 'Setup',
    password: DEMO_PASSWORD,
    memberships: [{ organizationId: SEED_ORGANIZATION_IDS.cyberdyne, role: 'member' }],
    demo: {
      signIn: 'Password, then set up an authenticator app',
      demonstrates: 'An organization that requires MFA (Cyberdyne): TOTP enrolment at the first sign-in, a code at every later one',
    },
  },
  acmeAccount('member', {
    id: SEED_USER_IDS.passkey,
    email: 'passkey@example.com',
    firstName: 'Pia',
    lastName: 'Passkey',
    passkeyProgressiveEnrollment: true,
    demo: {
      signIn: 'Password, then Sign in with a passkey',
      demonstrates: 'Passkeys: offered after a password sign-in, then a sign-in with it (authentication method Passkey)',
    },
  }),
  socialAccount('GoogleOAuth', {
    id: SEED_USER_IDS.google,
    email: 'google@example.com',
    firstName: 'Gia',
    lastName: 'Google',
    demo: { signIn: 'Continue with Google', demonstrates: 'Social sign-in with oauth_tokens; a user without an organization' },
  }),
  socialAccount('MicrosoftOAuth', {
    id: SEED_USER_IDS.microsoft,
    email: 'microsoft@example.com',
    firstName: 'Mo',
    lastName: 'Microsoft',
    demo: { signIn: 'Continue with Microsoft', demonstrates: 'Social sign-in (MicrosoftOAuth)' },
  }),
  socialAccount('GitHubOAuth', {
    id: SEED_USER_IDS.github,
    email: 'github@example.com',
    firstName: 'Gus',
    lastName: 'Github',
    demo: { signIn: 'Continue with GitHub', demonstrates: 'Social sign-in (GitHubOAuth)' },
  }),
];
