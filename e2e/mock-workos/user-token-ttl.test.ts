/**
 * Per-user access-token lifetime: parallel e2e tests shorten their own user's
 * tokens (to exercise refresh) without touching anyone else's.
 */
import { WorkOS } from '@workos-inc/node';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MockWorkOSControl } from './control-client.ts';
import { DEMO_PASSWORD, SEED_ORGANIZATION_IDS, SEED_USER_IDS } from './seed.ts';
import { startMockWorkOS, type RunningMockWorkOS } from './server.ts';
import { DEFAULT_ACCESS_TOKEN_TTL_SECONDS } from './store.ts';
import { API_KEY, CLIENT_ID, REDIRECT_URI, createPkce, signInWithPassword } from './test-helpers.ts';

let mock: RunningMockWorkOS;
let control: MockWorkOSControl;
let workos: WorkOS;

beforeAll(async () => {
  mock = await startMockWorkOS({ port: 0, clientId: CLIENT_ID, apiKey: API_KEY, redirectUris: [REDIRECT_URI] });
  control = new MockWorkOSControl(mock.url);
  workos = new WorkOS(API_KEY, { clientId: CLIENT_ID, apiHostname: '127.0.0.1', port: mock.port, https: false, maxRetries: 0 });
});
beforeEach(() => control.reset());
afterAll(() => mock.close());

async function signIn(email: string) {
  const pkce = createPkce();
  const { code } = await signInWithPassword(mock.url, email, DEMO_PASSWORD, pkce);
  return workos.userManagement.authenticateWithCode({ clientId: CLIENT_ID, code, codeVerifier: pkce.verifier });
}

const lifetimeOf = (accessToken: string) => {
  const { exp, iat } = decodeJwt(accessToken);
  return (exp ?? 0) - (iat ?? 0);
};

describe('per-user access-token lifetime', () => {
  it('applies a lifetime given at createUser to that user only', async () => {
    const email = 'short-lived@example.com';
    await control.createUser({
      email,
      password: DEMO_PASSWORD,
      accessTokenTtlSeconds: 35,
      memberships: [{ organizationId: SEED_ORGANIZATION_IDS.acme, role: 'member' }],
    });
    expect(lifetimeOf((await signIn(email)).accessToken)).toBe(35);
    expect(lifetimeOf((await signIn('member@example.com')).accessToken)).toBe(DEFAULT_ACCESS_TOKEN_TTL_SECONDS);
  });

  it('changes for refreshed tokens, wins over the global lifetime, and can go back to it', async () => {
    const auth = await signIn('member@example.com');
    await control.setAccessTokenTtl(120);
    expect(await control.setUserAccessTokenTtl(SEED_USER_IDS.member, 40)).toEqual({ userId: SEED_USER_IDS.member, accessTokenTtlSeconds: 40 });

    const refreshed = await workos.userManagement.authenticateWithRefreshToken({ clientId: CLIENT_ID, refreshToken: auth.refreshToken });
    expect(lifetimeOf(refreshed.accessToken)).toBe(40);

    await control.setUserAccessTokenTtl(SEED_USER_IDS.member, null);
    const again = await workos.userManagement.authenticateWithRefreshToken({ clientId: CLIENT_ID, refreshToken: refreshed.refreshToken });
    expect(lifetimeOf(again.accessToken)).toBe(120);
  });

  it('is cleared by reset', async () => {
    await control.setUserAccessTokenTtl(SEED_USER_IDS.admin, 40);
    await control.reset();
    expect(lifetimeOf((await signIn('admin@example.com')).accessToken)).toBe(DEFAULT_ACCESS_TOKEN_TTL_SECONDS);
  });

  it('rejects unknown users and out-of-range lifetimes with 422', async () => {
    await expect(control.setUserAccessTokenTtl('user_01NOPE', 40)).rejects.toMatchObject({ status: 422 });
    await expect(control.setUserAccessTokenTtl(SEED_USER_IDS.admin, 0)).rejects.toMatchObject({ status: 422 });
    await expect(control.createUser({ email: 'bad-ttl@example.com', accessTokenTtlSeconds: 90_000 })).rejects.toMatchObject({ status: 422 });
  });
});
