/**
 * Fixed data for the benchmark's peer builds (bench/lib/variants.ts): the same
 * shape the dashboard shows a member of Acme who signed in with a password
 * (what `npm run bench` signs in as), so every configuration renders the same
 * DashboardView markup. Only ever compiled into the bench's temporary copies.
 */
import type { ConnectedProviderState } from '@/lib/features/provider-tokens/provider-tokens'; // demo:line provider-tokens
import type { OrganizationChoice } from '@/lib/features/organizations/organizations'; // demo:line organizations
import type { ActiveSession } from '@/lib/features/sessions/sessions'; // demo:line sessions
import type { AppSession } from '@/lib/auth';
import type { SignInContext } from '@/lib/features/sign-in-context/sign-in-context'; // demo:line sign-in-context

const ORGANIZATION_ID = 'org_01BENCHFIXTUREACME000000';

export const BENCH_FIXTURE: {
  session: AppSession;
  organizations: OrganizationChoice[]; // demo:line organizations
  sessions: ActiveSession[]; // demo:line sessions
  provider: ConnectedProviderState; // demo:line provider-tokens
  signInContext: SignInContext | null; // demo:line sign-in-context
} = {
  session: {
    user: {
      id: 'user_01BENCHFIXTUREMEMBER0000',
      email: 'bench-member@example.com',
      emailVerified: true,
      profilePictureUrl: null,
      firstName: 'Bench',
      lastName: 'Member',
    },
    sessionId: 'session_01BENCHFIXTURE000000000',
    organizationId: ORGANIZATION_ID,
    role: 'member',
    roles: ['member'],
    permissions: ['posts:read'],
    entitlements: ['audit-logs'],
    featureFlags: ['new-dashboard'],
    impersonator: undefined,
    authenticationMethod: 'Password',
    accessTokenExpiresAt: new Date('2026-01-01T00:05:00.000Z'),
    accessTokenIssuedAt: new Date('2026-01-01T00:00:00.000Z'),
    authenticatedAt: new Date('2026-01-01T00:00:00.000Z'),
  },
  organizations: [{ id: ORGANIZATION_ID, name: 'Acme', role: 'member' }], // demo:line organizations
  // demo:start sessions
  sessions: [
    {
      id: 'session_01BENCHFIXTURE000000000',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/145.0.0.0 Safari/537.36',
      device: 'Chrome on Linux',
      ipAddress: '127.0.0.1',
      authMethod: 'password',
      createdAt: new Date('2026-01-01T00:00:00.000Z'),
      lastActiveAt: new Date('2026-01-01T00:00:00.000Z'),
      current: true,
    },
  ],
  // demo:end sessions
  provider: null, // demo:line provider-tokens
  signInContext: { startedFrom: '/dashboard', intent: 'sign-in' }, // demo:line sign-in-context
};
