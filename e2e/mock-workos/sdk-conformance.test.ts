/**
 * Every SDK method the coverage table calls served (coverage.ts), called
 * through `new WorkOS(…)` against the mock over HTTP: once succeeding and once
 * failing. Every HTTP exchange the SDK makes is recorded (its `fetchFn`) and
 * checked against WorkOS' OpenAPI spec for its path, method and status: a
 * success must validate with no exception; an error must validate too, unless
 * its status is one spec-gaps.ts lists (with its reason) for that operation.
 * The last test checks that every served method has its case here.
 */
import { WorkOS } from '@workos-inc/node';
import { jwtVerify } from 'jose';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coverageRows, matchPath } from './coverage.ts';
import { WorkOSOpenApiSpec, type HttpMethod } from './openapi-spec.ts';
import { DEMO_PASSWORD, SEED_ORGANIZATION_IDS, SEED_USER_IDS } from './seed.ts';
import { specGap } from './spec-gaps.ts';
import { API_KEY, CLIENT_ID, createPkce, rejection, signInWithPassword, useRunningMock } from './test-helpers.ts';

const running = useRunningMock();

interface Exchange {
  method: HttpMethod;
  url: URL;
  status: number;
  headers: Headers;
  body: string;
}

const exchanges: Exchange[] = [];

/** fetch, recording what the SDK sent and got back. */
const recordingFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const request = new Request(input, init);
  exchanges.push({
    method: request.method.toLowerCase() as HttpMethod,
    url: new URL(request.url),
    status: response.status,
    headers: response.headers,
    body: await response.clone().text(),
  });
  return response;
};

let spec: WorkOSOpenApiSpec;
let sdk: WorkOS;
/** A public client (no API key): PKCE instead of the client secret. */
let publicSdk: WorkOS;

beforeAll(() => {
  spec = WorkOSOpenApiSpec.shared();
  const options = {
    clientId: CLIENT_ID,
    apiHostname: '127.0.0.1',
    port: running.mock.port,
    https: false,
    maxRetries: 0,
    fetchFn: recordingFetch,
  };
  sdk = new WorkOS(API_KEY, options);
  publicSdk = new WorkOS(options);
}, 30_000);

/** The spec operation an exchange belongs to, or a problem. */
function operationOf(exchange: Exchange): { method: HttpMethod; path: string } | string {
  const paths = spec.operations().filter((operation) => operation.method === exchange.method);
  const path = matchPath(
    exchange.url.pathname,
    paths.map((operation) => operation.path),
  );
  return path ? { method: exchange.method, path } : `${exchange.method.toUpperCase()} ${exchange.url.pathname} is not in the spec`;
}

/** What is wrong with these exchanges: each must be documented and valid (an error may instead be a listed spec gap). */
function problemsOf(recorded: readonly Exchange[], kind: 'success' | 'error'): string[] {
  const problems: string[] = [];
  for (const exchange of recorded) {
    const operation = operationOf(exchange);
    if (typeof operation === 'string') {
      problems.push(operation);
      continue;
    }
    const label = `${exchange.method.toUpperCase()} ${exchange.url.pathname} → ${exchange.status}`;
    if (exchange.body.includes('mock_not_implemented')) problems.push(`${label}: the mock's catch-all answered`);
    if (kind === 'error' && specGap(operation.method, operation.path, exchange.status)) continue;
    const result = spec.validate({ ...operation, status: exchange.status, headers: exchange.headers, body: exchange.body });
    if (!result.ok) problems.push(`${label}: ${result.problems.slice(0, 3).join('; ')} — ${exchange.body.slice(0, 200)}`);
  }
  return problems;
}

// ── setup helpers (through the SDK: their exchanges are checked too) ──────

let emailCounter = 0;
const uniqueEmail = (label: string) => `${label}-${(emailCounter += 1)}@example.com`;
const newUser = (password = 'long-enough-1', emailVerified = true) =>
  sdk.userManagement.createUser({ email: uniqueEmail('sdk'), password, emailVerified });
const signIn = (email = 'admin@example.com', password = DEMO_PASSWORD) =>
  sdk.userManagement.authenticateWithPassword({ clientId: CLIENT_ID, email, password });
const outboxCode = async (to: string) => (await running.control.outbox({ to })).at(-1)?.code ?? '';
const acmeMembership = async (userId: string) => (await sdk.userManagement.listOrganizationMemberships({ userId })).data[0]?.id ?? '';
const newRole = (slug = 'org-editors') => sdk.authorization.createOrganizationRole(SEED_ORGANIZATION_IDS.acme, { slug, name: 'Editors' });
const pendingAuthentication = async (call: Promise<unknown>) => String((await rejection(call)).pendingAuthenticationToken);
const invite = (email = uniqueEmail('invitee')) => sdk.userManagement.sendInvitation({ email, organizationId: SEED_ORGANIZATION_IDS.acme });
/** An endpoint nothing listens on (port 9, discard): nothing in these cases is subscribed to an event they cause. */
const newWebhookEndpoint = () =>
  sdk.webhooks.createWebhookEndpoint({ endpointUrl: `http://127.0.0.1:9/webhooks/${(emailCounter += 1)}`, events: ['user.created'] });
const hostedCode = async () => {
  const pkce = createPkce();
  const { code } = await signInWithPassword(running.mock.url, 'member@example.com', DEMO_PASSWORD, pkce);
  return { code, pkce };
};

interface MethodCase {
  /** `module.method` as the coverage table names it. */
  name: string;
  success: () => Promise<unknown>;
  /** Fails with `errorStatus` (its last exchange). */
  error: () => Promise<unknown>;
  errorStatus: number;
}

const CASES: MethodCase[] = [
  // ── userManagement: users ─────────────────────────────────────────────
  {
    name: 'userManagement.getJWKS',
    success: async () => {
      const { accessToken } = await signIn();
      const jwks = await sdk.userManagement.getJWKS();
      if (!jwks) throw new Error('no JWKS: the SDK has no client id');
      await jwtVerify(accessToken, jwks);
      await recordingFetch(sdk.userManagement.getJwksUrl(CLIENT_ID));
    },
    error: async () => {
      const other = new WorkOS(API_KEY, { clientId: 'client_01NOPE', apiHostname: '127.0.0.1', port: running.mock.port, https: false });
      const { accessToken } = await signIn();
      const jwks = await other.userManagement.getJWKS();
      if (!jwks) throw new Error('no JWKS: the SDK has no client id');
      expect(await rejection(jwtVerify(accessToken, jwks))).toMatchObject({ code: 'ERR_JOSE_GENERIC' });
      const answer = await recordingFetch(other.userManagement.getJwksUrl('client_01NOPE'));
      throw new Error(`JWKS of an unknown client: ${answer.status}`);
    },
    errorStatus: 404,
  },
  {
    name: 'userManagement.getUser',
    success: () => sdk.userManagement.getUser(SEED_USER_IDS.member),
    error: () => sdk.userManagement.getUser('user_01NOPE'),
    errorStatus: 404,
  },
  {
    name: 'userManagement.getUserByExternalId',
    success: async () => {
      await sdk.userManagement.createUser({ email: uniqueEmail('external'), externalId: 'crm-1' });
      await sdk.userManagement.getUserByExternalId('crm-1');
    },
    error: () => sdk.userManagement.getUserByExternalId('crm-none'),
    errorStatus: 404,
  },
  {
    name: 'userManagement.listUsers',
    success: () => sdk.userManagement.listUsers({ organizationId: SEED_ORGANIZATION_IDS.acme, limit: 2, order: 'asc' }),
    error: () => sdk.userManagement.listUsers({ limit: 0 }),
    errorStatus: 422,
  },
  {
    name: 'userManagement.createUser',
    success: () => sdk.userManagement.createUser({ email: uniqueEmail('create'), firstName: 'Ann', metadata: { plan: 'pro' } }),
    error: () => sdk.userManagement.createUser({ email: 'admin@example.com' }),
    errorStatus: 400,
  },
  {
    name: 'userManagement.updateUser',
    success: async () => sdk.userManagement.updateUser({ userId: (await newUser()).id, firstName: 'Bo', locale: 'en-US' }),
    error: async () => sdk.userManagement.updateUser({ userId: (await newUser()).id, email: 'admin@example.com' }),
    errorStatus: 400,
  },
  {
    name: 'userManagement.deleteUser',
    success: async () => sdk.userManagement.deleteUser((await newUser()).id),
    error: () => sdk.userManagement.deleteUser('user_01NOPE'),
    errorStatus: 404,
  },
  {
    name: 'userManagement.getUserIdentities',
    success: () => sdk.userManagement.getUserIdentities(SEED_USER_IDS.github),
    error: () => sdk.userManagement.getUserIdentities('user_01NOPE'),
    errorStatus: 404,
  },
  {
    name: 'userManagement.listSessions',
    success: async () => {
      await signIn();
      await sdk.userManagement.listSessions(SEED_USER_IDS.admin);
    },
    error: () => sdk.userManagement.listSessions('user_01NOPE'),
    errorStatus: 404,
  },
  {
    name: 'userManagement.revokeSession',
    success: async () => {
      await signIn();
      const [session] = (await sdk.userManagement.listSessions(SEED_USER_IDS.admin)).data;
      await sdk.userManagement.revokeSession({ sessionId: session?.id ?? '' });
    },
    error: () => sdk.userManagement.revokeSession({ sessionId: 'session_01NOPE' }),
    errorStatus: 400,
  },
  {
    name: 'userManagement.listUserApiKeys',
    success: () => sdk.userManagement.listUserApiKeys(SEED_USER_IDS.admin, { organizationId: SEED_ORGANIZATION_IDS.acme }),
    error: () => sdk.userManagement.listUserApiKeys('user_01NOPE'),
    errorStatus: 404,
  },
  {
    name: 'userManagement.createUserApiKey',
    success: () =>
      sdk.userManagement.createUserApiKey(SEED_USER_IDS.admin, {
        name: 'CI',
        organizationId: SEED_ORGANIZATION_IDS.acme,
        permissions: ['posts:read'],
      }),
    error: () => sdk.userManagement.createUserApiKey(SEED_USER_IDS.admin, { name: 'CI', organizationId: 'org_01NOPE' }),
    errorStatus: 404,
  },

  // ── userManagement: sign-in grants ───────────────────────────────────
  {
    name: 'userManagement.authenticateWithPassword',
    success: () => signIn(),
    error: () => signIn('admin@example.com', 'wrong'),
    errorStatus: 400,
  },
  {
    name: 'userManagement.authenticateWithCode',
    success: async () => {
      const { code, pkce } = await hostedCode();
      await sdk.userManagement.authenticateWithCode({ clientId: CLIENT_ID, code, codeVerifier: pkce.verifier });
    },
    error: async () => {
      const { code, pkce } = await hostedCode();
      await sdk.userManagement.authenticateWithCode({ clientId: CLIENT_ID, code, codeVerifier: pkce.verifier });
      await sdk.userManagement.authenticateWithCode({ clientId: CLIENT_ID, code, codeVerifier: pkce.verifier });
    },
    errorStatus: 400,
  },
  {
    name: 'userManagement.authenticateWithCodeAndVerifier',
    success: async () => {
      const { code, pkce } = await hostedCode();
      await publicSdk.userManagement.authenticateWithCodeAndVerifier({ clientId: CLIENT_ID, code, codeVerifier: pkce.verifier });
    },
    error: async () => {
      const { code } = await hostedCode();
      await publicSdk.userManagement.authenticateWithCodeAndVerifier({ clientId: CLIENT_ID, code, codeVerifier: createPkce().verifier });
    },
    errorStatus: 400,
  },
  {
    name: 'userManagement.authenticateWithRefreshToken',
    success: async () => {
      const { refreshToken } = await signIn('multi-org@example.com');
      await sdk.userManagement.authenticateWithRefreshToken({
        clientId: CLIENT_ID,
        refreshToken,
        organizationId: SEED_ORGANIZATION_IDS.globex,
      });
    },
    error: async () => {
      const { refreshToken } = await signIn();
      await sdk.userManagement.authenticateWithRefreshToken({ clientId: CLIENT_ID, refreshToken });
      await sdk.userManagement.authenticateWithRefreshToken({ clientId: CLIENT_ID, refreshToken });
    },
    errorStatus: 400,
  },
  {
    name: 'userManagement.authenticateWithMagicAuth',
    success: async () => {
      await sdk.userManagement.createMagicAuth({ email: 'member@example.com' });
      await sdk.userManagement.authenticateWithMagicAuth({
        clientId: CLIENT_ID,
        email: 'member@example.com',
        code: await outboxCode('member@example.com'),
      });
    },
    error: () => sdk.userManagement.authenticateWithMagicAuth({ clientId: CLIENT_ID, email: 'member@example.com', code: '000000' }),
    errorStatus: 400,
  },
  {
    name: 'userManagement.authenticateWithEmailVerification',
    success: async () => {
      const user = await newUser('long-enough-1', false);
      const token = await pendingAuthentication(signIn(user.email, 'long-enough-1'));
      await sdk.userManagement.authenticateWithEmailVerification({
        clientId: CLIENT_ID,
        pendingAuthenticationToken: token,
        code: await outboxCode(user.email),
      });
    },
    error: () =>
      sdk.userManagement.authenticateWithEmailVerification({ clientId: CLIENT_ID, pendingAuthenticationToken: 'nope', code: '000000' }),
    errorStatus: 400,
  },
  {
    name: 'userManagement.authenticateWithTotp',
    success: async () => {
      const { authenticationFactor } = await sdk.multiFactorAuth.createUserAuthFactor({ userId: SEED_USER_IDS.admin, type: 'totp' });
      const token = await pendingAuthentication(signIn());
      const challenge = await sdk.multiFactorAuth.challengeFactor({ authenticationFactorId: authenticationFactor.id });
      const code = new TOTP({ secret: Secret.fromBase32(authenticationFactor.totp?.secret ?? '') }).generate();
      await sdk.userManagement.authenticateWithTotp({
        clientId: CLIENT_ID,
        pendingAuthenticationToken: token,
        authenticationChallengeId: challenge.id,
        code,
      });
    },
    error: async () => {
      const token = await pendingAuthentication(signIn('mfa@example.com'));
      const [factor] = (await sdk.multiFactorAuth.listUserAuthFactors({ userId: SEED_USER_IDS.mfa })).data;
      const challenge = await sdk.multiFactorAuth.challengeFactor({ authenticationFactorId: factor?.id ?? '' });
      await sdk.userManagement.authenticateWithTotp({
        clientId: CLIENT_ID,
        pendingAuthenticationToken: token,
        authenticationChallengeId: challenge.id,
        code: '000000',
      });
    },
    errorStatus: 400,
  },
  {
    name: 'userManagement.authenticateWithOrganizationSelection',
    success: async () => {
      await running.control.setOrganizationSelectionRequired(true);
      const token = await pendingAuthentication(signIn('multi-org@example.com'));
      await sdk.userManagement.authenticateWithOrganizationSelection({
        clientId: CLIENT_ID,
        pendingAuthenticationToken: token,
        organizationId: SEED_ORGANIZATION_IDS.globex,
      });
    },
    error: async () => {
      await running.control.setOrganizationSelectionRequired(true);
      const token = await pendingAuthentication(signIn('multi-org@example.com'));
      await sdk.userManagement.authenticateWithOrganizationSelection({
        clientId: CLIENT_ID,
        pendingAuthenticationToken: token,
        organizationId: SEED_ORGANIZATION_IDS.initech,
      });
    },
    errorStatus: 400,
  },

  // ── userManagement: one-time codes ───────────────────────────────────
  {
    name: 'userManagement.sendVerificationEmail',
    success: async () => sdk.userManagement.sendVerificationEmail({ userId: (await newUser('long-enough-1', false)).id }),
    error: () => sdk.userManagement.sendVerificationEmail({ userId: SEED_USER_IDS.admin }),
    errorStatus: 400,
  },
  {
    name: 'userManagement.verifyEmail',
    success: async () => {
      const user = await newUser('long-enough-1', false);
      await sdk.userManagement.sendVerificationEmail({ userId: user.id });
      await sdk.userManagement.verifyEmail({ userId: user.id, code: await outboxCode(user.email) });
    },
    error: async () => {
      const user = await newUser('long-enough-1', false);
      await sdk.userManagement.sendVerificationEmail({ userId: user.id });
      await sdk.userManagement.verifyEmail({ userId: user.id, code: '000000' });
    },
    errorStatus: 400,
  },
  {
    name: 'userManagement.getEmailVerification',
    success: async () => {
      const user = await newUser('long-enough-1', false);
      await sdk.userManagement.sendVerificationEmail({ userId: user.id });
      const [message] = await running.control.outbox({ to: user.email });
      await sdk.userManagement.getEmailVerification(message?.objectId ?? '');
    },
    error: () => sdk.userManagement.getEmailVerification('email_verification_01NOPE'),
    errorStatus: 404,
  },
  {
    name: 'userManagement.createMagicAuth',
    success: () => sdk.userManagement.createMagicAuth({ email: uniqueEmail('magic') }),
    error: () => sdk.userManagement.createMagicAuth({ email: 'someone@initech.example.com' }),
    errorStatus: 400,
  },
  {
    name: 'userManagement.getMagicAuth',
    success: async () => sdk.userManagement.getMagicAuth((await sdk.userManagement.createMagicAuth({ email: 'member@example.com' })).id),
    error: () => sdk.userManagement.getMagicAuth('magic_auth_01NOPE'),
    errorStatus: 404,
  },
  {
    name: 'userManagement.createPasswordReset',
    success: () => sdk.userManagement.createPasswordReset({ email: 'member@example.com' }),
    error: () => sdk.userManagement.createPasswordReset({ email: 'nobody@example.com' }),
    errorStatus: 404,
  },
  {
    name: 'userManagement.getPasswordReset',
    success: async () =>
      sdk.userManagement.getPasswordReset((await sdk.userManagement.createPasswordReset({ email: 'member@example.com' })).id),
    error: () => sdk.userManagement.getPasswordReset('password_reset_01NOPE'),
    errorStatus: 404,
  },
  {
    name: 'userManagement.resetPassword',
    success: async () => {
      const reset = await sdk.userManagement.createPasswordReset({ email: 'member@example.com' });
      await sdk.userManagement.resetPassword({ token: reset.passwordResetToken, newPassword: 'a-new-password' });
    },
    error: () => sdk.userManagement.resetPassword({ token: 'not-a-token', newPassword: 'a-new-password' }),
    errorStatus: 400,
  },

  // ── userManagement: memberships ──────────────────────────────────────
  {
    name: 'userManagement.listOrganizationMemberships',
    success: () =>
      sdk.userManagement.listOrganizationMemberships({ organizationId: SEED_ORGANIZATION_IDS.acme, statuses: ['active', 'inactive'] }),
    error: () => sdk.userManagement.listOrganizationMemberships({ organizationId: 'org_01NOPE' }),
    errorStatus: 404,
  },
  {
    name: 'userManagement.createOrganizationMembership',
    success: () =>
      sdk.userManagement.createOrganizationMembership({
        userId: SEED_USER_IDS.google,
        organizationId: SEED_ORGANIZATION_IDS.acme,
        roleSlug: 'admin',
      }),
    error: () =>
      sdk.userManagement.createOrganizationMembership({
        userId: SEED_USER_IDS.google,
        organizationId: SEED_ORGANIZATION_IDS.acme,
        roleSlug: 'owner',
      }),
    errorStatus: 422,
  },
  {
    name: 'userManagement.getOrganizationMembership',
    success: async () => sdk.userManagement.getOrganizationMembership(await acmeMembership(SEED_USER_IDS.member)),
    error: () => sdk.userManagement.getOrganizationMembership('om_01NOPE'),
    errorStatus: 404,
  },
  {
    name: 'userManagement.updateOrganizationMembership',
    success: async () => sdk.userManagement.updateOrganizationMembership(await acmeMembership(SEED_USER_IDS.member), { roleSlug: 'admin' }),
    error: async () =>
      sdk.userManagement.updateOrganizationMembership(await acmeMembership(SEED_USER_IDS.member), { roleSlugs: ['admin', 'member'] }),
    errorStatus: 422,
  },
  {
    name: 'userManagement.deleteOrganizationMembership',
    success: async () => sdk.userManagement.deleteOrganizationMembership(await acmeMembership(SEED_USER_IDS.member)),
    error: () => sdk.userManagement.deleteOrganizationMembership('om_01NOPE'),
    errorStatus: 404,
  },
  {
    name: 'userManagement.deactivateOrganizationMembership',
    success: async () => sdk.userManagement.deactivateOrganizationMembership(await acmeMembership(SEED_USER_IDS.member)),
    error: async () => {
      const { id } = await running.control.addMembership({
        userId: SEED_USER_IDS.google,
        organizationId: SEED_ORGANIZATION_IDS.acme,
        role: 'member',
        status: 'pending',
      });
      await sdk.userManagement.deactivateOrganizationMembership(id);
    },
    errorStatus: 400,
  },
  {
    name: 'userManagement.reactivateOrganizationMembership',
    success: async () => {
      const id = await acmeMembership(SEED_USER_IDS.member);
      await sdk.userManagement.deactivateOrganizationMembership(id);
      await sdk.userManagement.reactivateOrganizationMembership(id);
    },
    error: () => sdk.userManagement.reactivateOrganizationMembership('om_01NOPE'),
    errorStatus: 404,
  },
  {
    name: 'userManagement.listGroupsForOrganizationMembership',
    success: async () =>
      sdk.userManagement.listGroupsForOrganizationMembership({ organizationMembershipId: await acmeMembership(SEED_USER_IDS.member) }),
    error: () => sdk.userManagement.listGroupsForOrganizationMembership({ organizationMembershipId: 'om_01NOPE' }),
    errorStatus: 404,
  },

  // ── userManagement: invitations ──────────────────────────────────────
  {
    name: 'userManagement.sendInvitation',
    success: () =>
      sdk.userManagement.sendInvitation({
        email: uniqueEmail('invitee'),
        organizationId: SEED_ORGANIZATION_IDS.acme,
        roleSlug: 'admin',
        expiresInDays: 3,
      }),
    error: () => sdk.userManagement.sendInvitation({ email: 'member@example.com', organizationId: SEED_ORGANIZATION_IDS.acme }),
    errorStatus: 400,
  },
  {
    name: 'userManagement.getInvitation',
    success: async () => sdk.userManagement.getInvitation((await invite()).id),
    error: () => sdk.userManagement.getInvitation('invitation_01NOPE'),
    errorStatus: 404,
  },
  {
    name: 'userManagement.findInvitationByToken',
    success: async () => sdk.userManagement.findInvitationByToken((await invite()).token),
    error: () => sdk.userManagement.findInvitationByToken('no-such-token'),
    errorStatus: 404,
  },
  {
    name: 'userManagement.listInvitations',
    success: async () => {
      await invite();
      await sdk.userManagement.listInvitations({ organizationId: SEED_ORGANIZATION_IDS.acme });
    },
    error: () => sdk.userManagement.listInvitations({ limit: 0 }),
    errorStatus: 422,
  },
  {
    name: 'userManagement.acceptInvitation',
    success: async () => {
      const email = uniqueEmail('accepts');
      const invitation = await invite(email);
      await sdk.userManagement.createUser({ email });
      await sdk.userManagement.acceptInvitation(invitation.id);
    },
    error: async () => {
      const invitation = await invite();
      await sdk.userManagement.revokeInvitation(invitation.id);
      await sdk.userManagement.acceptInvitation(invitation.id);
    },
    errorStatus: 400,
  },
  {
    name: 'userManagement.revokeInvitation',
    success: async () => sdk.userManagement.revokeInvitation((await invite()).id),
    error: async () => {
      const invitation = await invite();
      await sdk.userManagement.revokeInvitation(invitation.id);
      await sdk.userManagement.revokeInvitation(invitation.id);
    },
    errorStatus: 400,
  },
  {
    name: 'userManagement.resendInvitation',
    success: async () => sdk.userManagement.resendInvitation((await invite()).id, { locale: 'fr' }),
    error: async () => {
      const invitation = await invite();
      await sdk.userManagement.revokeInvitation(invitation.id);
      await sdk.userManagement.resendInvitation(invitation.id);
    },
    errorStatus: 400,
  },

  // ── organizations ────────────────────────────────────────────────────
  {
    name: 'organizations.listOrganizations',
    success: () => sdk.organizations.listOrganizations({ domains: ['acme.example.com'] }),
    error: () => sdk.organizations.listOrganizations({ limit: 0 }),
    errorStatus: 422,
  },
  {
    name: 'organizations.createOrganization',
    success: () =>
      sdk.organizations.createOrganization(
        { name: 'Hooli', externalId: 'hooli', metadata: { tier: 'gold' } },
        { idempotencyKey: 'hooli-1' },
      ),
    error: async () => {
      await sdk.organizations.createOrganization({ name: 'Hooli', externalId: 'hooli' });
      await sdk.organizations.createOrganization({ name: 'Hooli again', externalId: 'hooli' });
    },
    errorStatus: 400,
  },
  {
    name: 'organizations.getOrganization',
    success: () => sdk.organizations.getOrganization(SEED_ORGANIZATION_IDS.initech),
    error: () => sdk.organizations.getOrganization('org_01NOPE'),
    errorStatus: 404,
  },
  {
    name: 'organizations.getOrganizationByExternalId',
    success: async () => {
      await sdk.organizations.createOrganization({ name: 'Pied Piper', externalId: 'piper' });
      await sdk.organizations.getOrganizationByExternalId('piper');
    },
    error: () => sdk.organizations.getOrganizationByExternalId('nope'),
    errorStatus: 404,
  },
  {
    name: 'organizations.updateOrganization',
    success: () =>
      sdk.organizations.updateOrganization({ organization: SEED_ORGANIZATION_IDS.globex, name: 'Globex Corp', stripeCustomerId: 'cus_1' }),
    error: async () => {
      await sdk.organizations.updateOrganization({ organization: SEED_ORGANIZATION_IDS.acme, externalId: 'taken' });
      await sdk.organizations.updateOrganization({ organization: SEED_ORGANIZATION_IDS.globex, externalId: 'taken' });
    },
    errorStatus: 400,
  },
  {
    name: 'organizations.deleteOrganization',
    success: async () => sdk.organizations.deleteOrganization((await sdk.organizations.createOrganization({ name: 'Short-lived' })).id),
    error: () => sdk.organizations.deleteOrganization('org_01NOPE'),
    errorStatus: 404,
  },

  // ── authorization: organization roles ────────────────────────────────
  {
    name: 'authorization.createOrganizationRole',
    success: () =>
      sdk.authorization.createOrganizationRole(SEED_ORGANIZATION_IDS.acme, { name: 'Billing admins', description: 'Invoices' }),
    error: async () => {
      await newRole();
      await newRole();
    },
    errorStatus: 409,
  },
  {
    name: 'authorization.listOrganizationRoles',
    success: async () => {
      await newRole();
      await sdk.authorization.listOrganizationRoles(SEED_ORGANIZATION_IDS.acme);
    },
    error: () => sdk.authorization.listOrganizationRoles('org_01NOPE'),
    errorStatus: 404,
  },
  {
    name: 'authorization.getOrganizationRole',
    success: async () => sdk.authorization.getOrganizationRole(SEED_ORGANIZATION_IDS.acme, (await newRole()).slug),
    error: () => sdk.authorization.getOrganizationRole(SEED_ORGANIZATION_IDS.acme, 'org-none'),
    errorStatus: 404,
  },
  {
    name: 'authorization.updateOrganizationRole',
    success: async () =>
      sdk.authorization.updateOrganizationRole(SEED_ORGANIZATION_IDS.acme, (await newRole()).slug, { name: 'Writers', description: null }),
    error: () => sdk.authorization.updateOrganizationRole(SEED_ORGANIZATION_IDS.acme, 'org-none', { name: 'Writers' }),
    errorStatus: 404,
  },
  {
    name: 'authorization.deleteOrganizationRole',
    success: async () => sdk.authorization.deleteOrganizationRole(SEED_ORGANIZATION_IDS.acme, (await newRole()).slug),
    error: async () => {
      const role = await newRole();
      await sdk.userManagement.updateOrganizationMembership(await acmeMembership(SEED_USER_IDS.member), { roleSlug: role.slug });
      await sdk.authorization.deleteOrganizationRole(SEED_ORGANIZATION_IDS.acme, role.slug);
    },
    errorStatus: 409,
  },
  {
    name: 'authorization.setOrganizationRolePermissions',
    success: async () =>
      sdk.authorization.setOrganizationRolePermissions(SEED_ORGANIZATION_IDS.acme, (await newRole()).slug, {
        permissions: ['posts:read', 'posts:write'],
      }),
    error: () => sdk.authorization.setOrganizationRolePermissions(SEED_ORGANIZATION_IDS.acme, 'org-none', { permissions: [] }),
    errorStatus: 404,
  },
  {
    name: 'authorization.addOrganizationRolePermission',
    success: async () =>
      sdk.authorization.addOrganizationRolePermission(SEED_ORGANIZATION_IDS.acme, (await newRole()).slug, { permissionSlug: 'posts:read' }),
    error: () => sdk.authorization.addOrganizationRolePermission(SEED_ORGANIZATION_IDS.acme, 'org-none', { permissionSlug: 'posts:read' }),
    errorStatus: 404,
  },
  {
    name: 'authorization.removeOrganizationRolePermission',
    success: async () => {
      const { slug } = await newRole();
      await sdk.authorization.addOrganizationRolePermission(SEED_ORGANIZATION_IDS.acme, slug, { permissionSlug: 'posts:read' });
      await sdk.authorization.removeOrganizationRolePermission(SEED_ORGANIZATION_IDS.acme, slug, { permissionSlug: 'posts:read' });
    },
    error: async () =>
      sdk.authorization.removeOrganizationRolePermission(SEED_ORGANIZATION_IDS.acme, (await newRole('org-readers')).slug, {
        permissionSlug: 'posts:read',
      }),
    errorStatus: 404,
  },

  // ── multiFactorAuth ──────────────────────────────────────────────────
  {
    name: 'multiFactorAuth.createUserAuthFactor',
    success: () => sdk.multiFactorAuth.createUserAuthFactor({ userId: SEED_USER_IDS.member, type: 'totp', totpIssuer: 'Acme' }),
    error: () => sdk.multiFactorAuth.createUserAuthFactor({ userId: SEED_USER_IDS.member, type: 'totp', totpSecret: 'not base32!' }),
    errorStatus: 422,
  },
  {
    name: 'multiFactorAuth.listUserAuthFactors',
    success: () => sdk.multiFactorAuth.listUserAuthFactors({ userId: SEED_USER_IDS.mfa }),
    error: () => sdk.multiFactorAuth.listUserAuthFactors({ userId: 'user_01NOPE' }),
    errorStatus: 404,
  },
  {
    name: 'multiFactorAuth.enrollFactor',
    success: () => sdk.multiFactorAuth.enrollFactor({ type: 'totp', issuer: 'Acme', user: 'pat@example.com' }),
    error: () => sdk.multiFactorAuth.enrollFactor({ type: 'sms', phoneNumber: '555-0100' }),
    errorStatus: 422,
  },
  {
    name: 'multiFactorAuth.getFactor',
    success: async () => sdk.multiFactorAuth.getFactor((await sdk.multiFactorAuth.enrollFactor({ type: 'generic_otp' })).id),
    error: () => sdk.multiFactorAuth.getFactor('auth_factor_01NOPE'),
    errorStatus: 404,
  },
  {
    name: 'multiFactorAuth.deleteFactor',
    success: async () => sdk.multiFactorAuth.deleteFactor((await sdk.multiFactorAuth.enrollFactor({ type: 'generic_otp' })).id),
    error: () => sdk.multiFactorAuth.deleteFactor('auth_factor_01NOPE'),
    errorStatus: 404,
  },
  {
    name: 'multiFactorAuth.challengeFactor',
    success: async () => {
      const factor = await sdk.multiFactorAuth.enrollFactor({ type: 'sms', phoneNumber: '+15555550100' });
      await sdk.multiFactorAuth.challengeFactor({ authenticationFactorId: factor.id, smsTemplate: 'Your Acme code: {{code}}' });
    },
    error: () => sdk.multiFactorAuth.challengeFactor({ authenticationFactorId: 'auth_factor_01NOPE' }),
    errorStatus: 404,
  },
  {
    name: 'multiFactorAuth.verifyChallenge',
    success: async () => {
      const factor = await sdk.multiFactorAuth.enrollFactor({ type: 'generic_otp' });
      const challenge = await sdk.multiFactorAuth.challengeFactor({ authenticationFactorId: factor.id });
      await sdk.multiFactorAuth.verifyChallenge({ authenticationChallengeId: challenge.id, code: challenge.code ?? '' });
    },
    error: () => sdk.multiFactorAuth.verifyChallenge({ authenticationChallengeId: 'auth_challenge_01NOPE', code: '123456' }),
    errorStatus: 404,
  },

  // ── apiKeys: an organization's keys ───────────────────────────────────
  {
    name: 'apiKeys.createOrganizationApiKey',
    success: () =>
      sdk.apiKeys.createOrganizationApiKey({ organizationId: SEED_ORGANIZATION_IDS.acme, name: 'CI', permissions: ['posts:read'] }),
    error: () => sdk.apiKeys.createOrganizationApiKey({ organizationId: 'org_01NOPE', name: 'CI' }),
    errorStatus: 404,
  },
  {
    name: 'apiKeys.listOrganizationApiKeys',
    success: async () => {
      await sdk.apiKeys.createOrganizationApiKey({ organizationId: SEED_ORGANIZATION_IDS.acme, name: 'listed' });
      await sdk.apiKeys.listOrganizationApiKeys({ organizationId: SEED_ORGANIZATION_IDS.acme, limit: 5 });
    },
    error: () => sdk.apiKeys.listOrganizationApiKeys({ organizationId: 'org_01NOPE' }),
    errorStatus: 404,
  },
  {
    name: 'apiKeys.deleteApiKey',
    success: async () => {
      const { id } = await sdk.apiKeys.createOrganizationApiKey({ organizationId: SEED_ORGANIZATION_IDS.acme, name: 'deleted' });
      await sdk.apiKeys.deleteApiKey(id);
    },
    error: () => sdk.apiKeys.deleteApiKey('api_key_01NOPE'),
    errorStatus: 404,
  },
  {
    name: 'apiKeys.createValidation',
    success: async () => {
      const { value } = await sdk.apiKeys.createOrganizationApiKey({ organizationId: SEED_ORGANIZATION_IDS.acme, name: 'validated' });
      await sdk.apiKeys.createValidation({ value });
      await sdk.apiKeys.createValidation({ value: `${value}x` });
    },
    error: () => sdk.apiKeys.createValidation({ value: 42 as unknown as string }),
    errorStatus: 422,
  },

  // ── events ───────────────────────────────────────────────────────────
  {
    name: 'events.listEvents',
    success: async () => {
      await newUser();
      await sdk.userManagement.sendInvitation({ email: uniqueEmail('evt'), organizationId: SEED_ORGANIZATION_IDS.acme });
      await signIn();
      await sdk.events.listEvents({ events: ['user.created', 'invitation.created', 'session.created'], limit: 5 });
    },
    error: () => sdk.events.listEvents({ events: ['user.nothing' as 'user.created'] }),
    errorStatus: 422,
  },

  // ── webhooks (the deliveries themselves: webhooks.test.ts) ───────────
  {
    name: 'webhooks.listWebhookEndpoints',
    success: async () => {
      await newWebhookEndpoint();
      await sdk.webhooks.listWebhookEndpoints({ limit: 5 });
    },
    error: () => sdk.webhooks.listWebhookEndpoints({ limit: 0 }),
    errorStatus: 422,
  },
  {
    name: 'webhooks.createWebhookEndpoint',
    success: () => newWebhookEndpoint(),
    error: () => sdk.webhooks.createWebhookEndpoint({ endpointUrl: 'https://example.com/webhooks', events: ['user.created'] }),
    errorStatus: 422,
  },
  {
    name: 'webhooks.updateWebhookEndpoint',
    success: async () =>
      sdk.webhooks.updateWebhookEndpoint({ id: (await newWebhookEndpoint()).id, status: 'disabled', events: ['user.deleted'] }),
    error: async () => {
      const first = await newWebhookEndpoint();
      const second = await newWebhookEndpoint();
      await sdk.webhooks.updateWebhookEndpoint({ id: second.id, endpointUrl: first.endpointUrl });
    },
    errorStatus: 409,
  },
  {
    name: 'webhooks.deleteWebhookEndpoint',
    success: async () => sdk.webhooks.deleteWebhookEndpoint({ id: (await newWebhookEndpoint()).id }),
    error: () => sdk.webhooks.deleteWebhookEndpoint({ id: 'we_01NOPE' }),
    errorStatus: 404,
  },
];

const covered = new Set<string>();

describe('every served SDK method, through the SDK, answers as the spec says', () => {
  it.each(CASES.map((testCase) => [testCase.name, testCase] as const))('%s', async (name, testCase) => {
    const start = exchanges.length;
    await testCase.success();
    const successes = exchanges.slice(start);
    // The method's own answer (the last) succeeded; steps before it (a 403 `mfa_challenge`…) are checked as strictly.
    expect(successes.at(-1)?.status, successes.at(-1)?.body).toBeLessThan(300);
    expect(problemsOf(successes, 'success')).toEqual([]);

    const errorStart = exchanges.length;
    await rejection(testCase.error());
    const errors = exchanges.slice(errorStart);
    expect(errors.at(-1)?.status, errors.at(-1)?.body).toBe(testCase.errorStatus);
    expect(problemsOf(errors.slice(0, -1), 'success')).toEqual([]);
    expect(problemsOf(errors.slice(-1), 'error')).toEqual([]);
    covered.add(name);
  });

  it('has a success and an error case for every method the coverage table calls served, and none for another', async () => {
    const served = (await coverageRows()).filter((row) => row.status === 'served').map((row) => `${row.module}.${row.method}`);
    expect(CASES.map((testCase) => testCase.name).sort()).toEqual(served.sort());
  }, 30_000);

  afterAll(() => {
    console.log(
      `${covered.size} of ${CASES.length} served SDK methods answered as the spec says, success and error (${exchanges.length} exchanges checked)`,
    );
  });
});
