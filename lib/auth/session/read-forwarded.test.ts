/**
 * getSession() against what the proxy forwards: the proof, the unseal memo and
 * the access token's claims, decoded once per sealed session but checked for
 * expiry on every read.
 */
import { sealData } from 'iron-session';
import { SignJWT, generateKeyPair } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

const PASSWORD = 'session-forwarded-test-password-0123456789';
const USER = { object: 'user', id: 'user_forwarded', email: 'forwarded@example.com', firstName: 'Fo', lastName: null };

let forwarded = new Headers();
vi.mock('next/headers', () => ({ headers: async () => forwarded }));
vi.mock('@workos-inc/authkit-nextjs', async (importOriginal) => {
  const original = await importOriginal<typeof import('@workos-inc/authkit-nextjs')>();
  return { ...original, getTokenClaims: vi.fn(original.getTokenClaims) };
});

let session: typeof import('./read');
let decodes: ReturnType<typeof vi.fn>;
let proofs: typeof import('../authkit/session-header');
let privateKey: CryptoKey;

beforeAll(async () => {
  vi.stubEnv('WORKOS_CLIENT_ID', 'client_forwarded');
  vi.stubEnv('WORKOS_API_KEY', 'sk_test_forwarded');
  vi.stubEnv('WORKOS_COOKIE_PASSWORD', PASSWORD);
  vi.stubEnv('NEXT_PUBLIC_WORKOS_REDIRECT_URI', 'http://localhost:3000/api/auth/callback');
  privateKey = (await generateKeyPair('RS256')).privateKey;
  session = await import('./read');
  proofs = await import('../authkit/session-header');
  decodes = vi.mocked((await import('@workos-inc/authkit-nextjs')).getTokenClaims) as unknown as ReturnType<typeof vi.fn>;
});

afterEach(() => {
  vi.useRealTimers();
  decodes.mockClear();
});

afterAll(() => vi.unstubAllEnvs());

/** A sealed session whose access token expires `lifetimeSeconds` from now. */
async function sealedSession(lifetimeSeconds: number): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  const accessToken = await new SignJWT({ sid: 'session_forwarded', org_id: 'org_forwarded', permissions: ['posts:read'] })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setSubject(USER.id)
    .setIssuedAt(iat)
    .setExpirationTime(iat + lifetimeSeconds)
    .sign(privateKey);
  return sealData(
    { accessToken, refreshToken: 'refresh_forwarded', user: USER, authenticationMethod: 'Password' },
    { password: PASSWORD, ttl: 0 },
  );
}

/** What the proxy forwards for `seal` now: the seal, the return path and a fresh proof. */
function forwardFromProxy(seal: string): void {
  const returnTo = '/dashboard';
  forwarded = new Headers({
    'x-workos-session': seal,
    [proofs.RETURN_TO_HEADER]: returnTo,
    [proofs.PROXY_PROOF_HEADER]: proofs.createProxyProof({ seal, returnTo }, PASSWORD),
  });
}

describe('getSession', () => {
  it('decodes the access token once per sealed session, and hands out frozen data', async () => {
    const seal = await sealedSession(300);
    forwardFromProxy(seal);
    const first = await session.getSession();
    forwardFromProxy(seal);
    const second = await session.getSession();
    expect(first?.user.id).toBe(USER.id);
    expect(first?.sessionId).toBe('session_forwarded');
    expect(first?.permissions).toEqual(['posts:read']);
    expect(second).toEqual(first);
    expect(decodes).toHaveBeenCalledTimes(1);
    expect(() => second?.permissions.push('admin:all')).toThrow(TypeError);
  });

  it('still refuses the token once it has expired, though its claims were decoded before', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const seal = await sealedSession(30);
    forwardFromProxy(seal);
    expect((await session.getSession())?.user.id).toBe(USER.id);
    // 31 s on: the unseal memo (60 s) and the decoded claims still hold this seal; a fresh proof comes with the request.
    vi.setSystemTime(Date.now() + 31_000);
    forwardFromProxy(seal);
    expect(await session.getSession()).toBeNull();
    expect(decodes).toHaveBeenCalledTimes(1);
  });

  it('trusts nothing without the proxy’s proof', async () => {
    forwarded = new Headers({ 'x-workos-session': await sealedSession(300), [proofs.RETURN_TO_HEADER]: '/dashboard' });
    expect(await session.getSession()).toBeNull();
  });

  // Last: it revokes the session id every test here uses.
  it('refuses a session this app signed out, though the proxy forwarded it with a proof (a revocation arrived meanwhile)', async () => {
    const seal = await sealedSession(600);
    forwardFromProxy(seal);
    const before = await session.getSession();
    if (!before) throw new Error('the forwarded session should read');
    expect(Number(before.accessTokenExpiresAt) - Number(before.accessTokenIssuedAt)).toBe(600_000);
    const { addRevokedSession, revokedUntil } = await import('./revoked-sessions');
    await addRevokedSession('session_forwarded', revokedUntil(before));
    forwardFromProxy(seal);
    expect(await session.getSession()).toBeNull();
  });
});
