/**
 * Per-user access-token lifetime: parallel e2e tests shorten their own user's
 * tokens (to exercise refresh) without touching anyone else's.
 */
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, SEED_ORGANIZATION_IDS, SEED_USER_IDS } from './seed.ts';
import { DEFAULT_ACCESS_TOKEN_TTL_SECONDS } from './store.ts';
import { CLIENT_ID, authenticateWithDemoPassword, useRunningMock } from './test-helpers.ts';

const running = useRunningMock();

const signIn = (email: string) => authenticateWithDemoPassword(running.workos, running.mock.url, email);

const lifetimeOf = (accessToken: string) => {
  const { exp, iat } = decodeJwt(accessToken);
  return (exp ?? 0) - (iat ?? 0);
};

describe('per-user access-token lifetime', () => {
  it('applies a lifetime given at createUser to that user only', async () => {
    const email = 'short-lived@example.com';
    await running.control.createUser({
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
    await running.control.setAccessTokenTtl(120);
    expect(await running.control.setUserAccessTokenTtl(SEED_USER_IDS.member, 40)).toEqual({
      userId: SEED_USER_IDS.member,
      accessTokenTtlSeconds: 40,
    });

    const refreshed = await running.workos.userManagement.authenticateWithRefreshToken({
      clientId: CLIENT_ID,
      refreshToken: auth.refreshToken,
    });
    expect(lifetimeOf(refreshed.accessToken)).toBe(40);

    await running.control.setUserAccessTokenTtl(SEED_USER_IDS.member, null);
    const again = await running.workos.userManagement.authenticateWithRefreshToken({
      clientId: CLIENT_ID,
      refreshToken: refreshed.refreshToken,
    });
    expect(lifetimeOf(again.accessToken)).toBe(120);
  });

  it('is cleared by reset', async () => {
    await running.control.setUserAccessTokenTtl(SEED_USER_IDS.admin, 40);
    await running.control.reset();
    expect(lifetimeOf((await signIn('admin@example.com')).accessToken)).toBe(DEFAULT_ACCESS_TOKEN_TTL_SECONDS);
  });

  it('rejects unknown users and out-of-range lifetimes with 422', async () => {
    await expect(running.control.setUserAccessTokenTtl('user_01NOPE', 40)).rejects.toMatchObject({ status: 422 });
    await expect(running.control.setUserAccessTokenTtl(SEED_USER_IDS.admin, 0)).rejects.toMatchObject({ status: 422 });
    await expect(running.control.createUser({ email: 'bad-ttl@example.com', accessTokenTtlSeconds: 90_000 })).rejects.toMatchObject({
      status: 422,
    });
  });
});
