/**
 * The real authkit-nextjs and WorkOS SDK against a mock WorkOS started for the
 * test file: the environment authkit reads when it loads, and sessions sealed
 * as authkit seals them. Import the modules under test through `load()`, after
 * the mock runs (authkit reads its environment once, when first imported).
 */
import { sealData } from 'iron-session';
import { afterAll, beforeAll, vi } from 'vitest';
import { DEMO_PASSWORD, SEED_ORGANIZATION_IDS } from '../e2e/mock-workos/seed';
import {
  API_KEY,
  CLIENT_ID,
  REDIRECT_URI,
  createPkce,
  signInWithPassword,
  signInWithPasswordAt,
  useRunningMock,
} from '../e2e/mock-workos/test-helpers';

export const COOKIE_PASSWORD = 'authkit-against-mock-test-password-0123';

export function useAuthkitAgainstMock() {
  const running = useRunningMock();
  beforeAll(() => {
    const env = {
      WORKOS_CLIENT_ID: CLIENT_ID,
      WORKOS_API_KEY: API_KEY,
      WORKOS_COOKIE_PASSWORD: COOKIE_PASSWORD,
      NEXT_PUBLIC_WORKOS_REDIRECT_URI: REDIRECT_URI,
      WORKOS_API_HOSTNAME: '127.0.0.1',
      WORKOS_API_PORT: String(running.mock.port),
      WORKOS_API_HTTPS: 'false',
    };
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    vi.resetModules();
  });
  afterAll(() => vi.unstubAllEnvs());

  /** A new member of Acme, signed in at the mock's hosted page of `authorizationUrl` (authkit's): the code and state it sends back. */
  async function signInAt(authorizationUrl: string, { role = 'member' }: { role?: string } = {}) {
    const email = `authkit-test-${crypto.randomUUID()}@example.com`;
    const { user } = await running.control.createUser({
      email,
      password: DEMO_PASSWORD,
      memberships: [{ organizationId: SEED_ORGANIZATION_IDS.acme, role }],
    });
    return { userId: user.id, ...(await signInWithPasswordAt(authorizationUrl, email, DEMO_PASSWORD)) };
  }

  /** A new member of Acme signed in at the mock, and the session cookie authkit would seal for them. */
  async function signedInCookie(options: { accessTokenTtlSeconds?: number; role?: string } = {}) {
    const email = `authkit-test-${crypto.randomUUID()}@example.com`;
    const { user } = await running.control.createUser({
      email,
      password: DEMO_PASSWORD,
      memberships: [{ organizationId: SEED_ORGANIZATION_IDS.acme, role: options.role ?? 'member' }],
      ...(options.accessTokenTtlSeconds ? { accessTokenTtlSeconds: options.accessTokenTtlSeconds } : {}),
    });
    const pkce = createPkce();
    const { code } = await signInWithPassword(running.mock.url, email, DEMO_PASSWORD, pkce);
    const session = await running.workos.userManagement.authenticateWithCode({ clientId: CLIENT_ID, code, codeVerifier: pkce.verifier });
    const sealed = { accessToken: session.accessToken, refreshToken: session.refreshToken, user: session.user };
    const cookie = await sealData(sealed, { password: COOKIE_PASSWORD, ttl: 0 });
    const sessionId = JSON.parse(Buffer.from(session.accessToken.split('.')[1]!, 'base64url').toString()).sid as string;
    return { userId: user.id, cookie, sessionId, sealed };
  }

  return { running, signedInCookie, signInAt };
}
