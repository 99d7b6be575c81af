/**
 * access-token.ts against the real mock WorkOS and jose: what a Bearer token must be to pass
 * (WorkOS' signature, RS256, this client's issuer, an audience of this client if any, unexpired),
 * and what the JWKS costs WorkOS: one fetch, and for an unknown `kid` at most one more per cooldown.
 */
import { SignJWT, decodeJwt, generateKeyPair } from 'jose';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEMO_PASSWORD, SEED_ORGANIZATION_IDS } from '../../../e2e/mock-workos/seed';
import { CLIENT_ID, createPkce, signInWithPassword, useRunningMock } from '../../../e2e/mock-workos/test-helpers';
import type { AuthConfig } from '../config/env';

/** jose's signature checks, counted: the memo is what makes the second request of a token skip one. */
const signatureChecks = vi.hoisted(() => ({ count: 0 }));
vi.mock('jose', async (importOriginal) => {
  const jose = await importOriginal<typeof import('jose')>();
  const jwtVerify = (...args: unknown[]) => {
    signatureChecks.count += 1;
    return (jose.jwtVerify as (...inner: unknown[]) => unknown)(...args);
  };
  return { ...jose, jwtVerify };
});

const running = useRunningMock();
type AccessTokenModule = typeof import('./access-token');
/**
 * The module for most tests, and fresh copies (a JWKS cache and a memo of their own) for the four that meet the JWKS
 * fetch itself and the five of the memo, which count signature checks from none.
 */
let accessToken: AccessTokenModule;
const fresh: AccessTokenModule[] = [];

beforeAll(async () => {
  // Imported here, not in the tests: module-level code runs outside them.
  accessToken = await import('./access-token');
  for (let copy = 0; copy < 9; copy++) {
    vi.resetModules();
    fresh.push(await import('./access-token'));
  }
});

afterEach(() => {
  vi.useRealTimers();
});

const config = () => ({ clientId: CLIENT_ID, api: { origin: running.mock.url } }) as Pick<AuthConfig, 'api' | 'clientId'>;
const issuer = () => `${running.mock.url}/user_management/${CLIENT_ID}`;
const jwksFetches = async () => (await running.control.requests({ endpoint: 'jwks' })).length;
const now = () => Math.floor(Date.now() / 1000);

/** Claims as the mock issues them to this client, signed with the mock's current key. */
async function signed(overrides: Record<string, unknown> = {}) {
  const claims = { iss: issuer(), sub: 'user_01BEARER', sid: 'session_01BEARER', jti: 'jti_1', iat: now(), exp: now() + 300, ...overrides };
  return running.control.signAccessToken(Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined)));
}

/** A token signed with a key the mock never published, under `kid`. */
async function signedElsewhere(kid: string) {
  const { privateKey } = await generateKeyPair('RS256');
  return new SignJWT({ sid: 'session_01BEARER' })
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuer(issuer())
    .setSubject('user_01BEARER')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(privateKey);
}

const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('verifyAccessToken', () => {
  it('accepts the access token the mock issued at sign-in, with its claims', async () => {
    const pkce = createPkce();
    const { code } = await signInWithPassword(running.mock.url, 'admin@example.com', DEMO_PASSWORD, pkce);
    const session = await running.workos.userManagement.authenticateWithCode({ clientId: CLIENT_ID, code, codeVerifier: pkce.verifier });
    const verified = await accessToken.verifyAccessToken(session.accessToken, config());
    expect(verified).toEqual({ ok: true, claims: decodeJwt(session.accessToken) });
    expect(verified.ok && verified.claims).toMatchObject({ iss: issuer(), sub: session.user.id, org_id: SEED_ORGANIZATION_IDS.acme });
  });

  it('accepts an audience that is this client', async () => {
    expect((await accessToken.verifyAccessToken(await signed({ aud: CLIENT_ID }), config())).ok).toBe(true);
    expect((await accessToken.verifyAccessToken(await signed({ aud: ['https://api.example', CLIENT_ID] }), config())).ok).toBe(true);
  });

  it.each<[string, string, () => Promise<string>]>([
    ['garbage', 'malformed', async () => 'not-a-jwt'],
    ['three parts of garbage', 'malformed', async () => 'a.b.c'],
    ['expired a second ago', 'expired', () => signed({ iat: now() - 301, exp: now() - 1 })],
    ['another client (its issuer)', 'not_for_this_app', () => signed({ iss: `${running.mock.url}/user_management/client_01OTHER` })],
    ['another issuer altogether', 'not_for_this_app', () => signed({ iss: 'https://evil.example' })],
    ['no issuer', 'not_for_this_app', () => signed({ iss: undefined })],
    ['an audience that is not this client', 'not_for_this_app', () => signed({ aud: 'client_01OTHER' })],
    ['no session id', 'malformed', () => signed({ sid: undefined })],
    ['a subject that is not a string', 'malformed', () => signed({ sub: 42 })],
    ['a session id that is not a string', 'malformed', () => signed({ sid: 42 })],
    ['no expiry', 'malformed', () => signed({ exp: undefined })],
    ['not valid yet', 'malformed', () => signed({ nbf: now() + 600 })],
    [
      'a tampered payload (another organization)',
      'signature',
      async () => {
        const [header, payload, signature] = (await signed({ org_id: 'org_01A' })).split('.');
        return [header, part({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), org_id: 'org_01B' }), signature].join('.');
      },
    ],
    [
      'a flipped signature',
      'signature',
      async () => {
        const token = await signed();
        return `${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
      },
    ],
    [
      'alg: none',
      'signature',
      async () => {
        const { kid } = (await running.control.getSigningKeys()).current;
        return `${part({ alg: 'none', typ: 'JWT', kid })}.${part({ iss: issuer(), sub: 'user_01', sid: 's', iat: now(), exp: now() + 300 })}.`;
      },
    ],
    [
      'HS256 keyed with anything',
      'signature',
      async () =>
        new SignJWT({ sid: 's' })
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer(issuer())
          .setSubject('u')
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode('x'.repeat(32))),
    ],
    ['a key WorkOS does not publish (unknown kid)', 'unknown_key', () => signedElsewhere('sso_oidc_key_pair_unknown')],
  ])('refuses %s: %s', async (_name, reason, token) => {
    expect(await accessToken.verifyAccessToken(await token(), config())).toEqual({ ok: false, reason });
  });

  it('says `unavailable`, not invalid, when the JWKS cannot be fetched; a later call fetches it again', async () => {
    const accessToken = fresh[0]!;
    const token = await signed();
    await running.control.injectFault({ endpoint: 'jwks', action: { type: 'status', status: 503 } });
    expect(await accessToken.verifyAccessToken(token, config())).toEqual({ ok: false, reason: 'unavailable' });
    expect((await accessToken.verifyAccessToken(token, config())).ok).toBe(true);
  });
});

describe('the JWKS behind it', () => {
  it("is given up on after the client's 4 s timeout, as WorkOS being unreachable", async () => {
    const accessToken = fresh[3]!;
    await running.control.injectFault({ endpoint: 'jwks', action: { type: 'delay', delayMs: 4_500 } });
    expect(await accessToken.verifyAccessToken(await signed(), config())).toEqual({ ok: false, reason: 'unavailable' });
  });

  it('is fetched once for many tokens; an unknown kid fetches it again at most once per cooldown, however many ask', async () => {
    const accessToken = fresh[1]!;
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const valid = await signed();
    await Promise.all(Array.from({ length: 5 }, () => accessToken.verifyAccessToken(valid, config())));
    expect(await jwksFetches()).toBe(1);

    // Within the cooldown of that fetch: refused without asking WorkOS.
    const forged = await Promise.all(Array.from({ length: 5 }, (_, index) => signedElsewhere(`sso_oidc_key_pair_forged_${index}`)));
    for (const token of forged) expect(await accessToken.verifyAccessToken(token, config())).toEqual({ ok: false, reason: 'unknown_key' });
    expect(await jwksFetches()).toBe(1);

    // After it: one fetch for all of them at once, then refused again.
    vi.setSystemTime(Date.now() + accessToken.JWKS_COOLDOWN_MS + 1_000);
    const results = await Promise.all(forged.map((token) => accessToken.verifyAccessToken(token, config())));
    expect(results).toEqual(forged.map(() => ({ ok: false, reason: 'unknown_key' })));
    expect(await jwksFetches()).toBe(2);
  });

  it("picks up a rotated key: a token signed with WorkOS' new key passes once the cooldown allows a fetch", async () => {
    const accessToken = fresh[2]!;
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    expect((await accessToken.verifyAccessToken(await signed(), config())).ok).toBe(true);
    await running.control.rotateSigningKey({ keepPrevious: true });
    const rotated = await signed({ iat: now(), exp: now() + 600 });
    vi.setSystemTime(Date.now() + accessToken.JWKS_COOLDOWN_MS + 1_000);
    expect((await accessToken.verifyAccessToken(rotated, config())).ok).toBe(true);
    expect(await jwksFetches()).toBe(2);
  });
});

describe('the memo of verified tokens', () => {
  beforeEach(() => {
    signatureChecks.count = 0;
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
  });

  it('checks a token once a minute: the same bytes within it get the same frozen claims without a signature check', async () => {
    const accessToken = fresh[4]!;
    const token = await signed();
    const first = await accessToken.verifyAccessToken(token, config());
    vi.setSystemTime(Date.now() + accessToken.VERIFIED_TOKEN_MAX_AGE_MS - 1);
    const again = await accessToken.verifyAccessToken(token, config());
    expect(again).toEqual(first);
    expect(again.ok && Object.isFrozen(again.claims)).toBe(true);
    expect(signatureChecks.count).toBe(1);

    vi.setSystemTime(Date.now() + 1);
    expect((await accessToken.verifyAccessToken(token, config())).ok).toBe(true);
    expect(signatureChecks.count).toBe(2);
  });

  it("never past the token's expiry: the first request after it is refused as expired", async () => {
    const accessToken = fresh[5]!;
    const exp = now() + 20;
    const token = await signed({ exp });
    expect((await accessToken.verifyAccessToken(token, config())).ok).toBe(true);
    vi.setSystemTime(exp * 1000 - 1);
    expect((await accessToken.verifyAccessToken(token, config())).ok).toBe(true);
    expect(signatureChecks.count).toBe(1);
    vi.setSystemTime(exp * 1000);
    expect(await accessToken.verifyAccessToken(token, config())).toEqual({ ok: false, reason: 'expired' });
  });

  it('remembers a token verified 2 ms before its expiry for the 1 ms left, and one verified in its last millisecond not at all', async () => {
    const accessToken = fresh[8]!;
    const exp = now() + 20;
    const lastButOne = await signed({ exp, jti: 'jti_last_but_one' });
    const last = await signed({ exp, jti: 'jti_last' });
    vi.setSystemTime(exp * 1000 - 2);
    expect(await accessToken.verifyAccessToken(lastButOne, config())).toEqual({ ok: true, claims: decodeJwt(lastButOne) });
    vi.setSystemTime(exp * 1000 - 1);
    expect(await accessToken.verifyAccessToken(lastButOne, config())).toEqual({ ok: true, claims: decodeJwt(lastButOne) });
    expect(signatureChecks.count).toBe(1);
    expect(await accessToken.verifyAccessToken(last, config())).toEqual({ ok: true, claims: decodeJwt(last) });
    vi.setSystemTime(exp * 1000);
    expect(await accessToken.verifyAccessToken(lastButOne, config())).toEqual({ ok: false, reason: 'expired' });
    expect(await accessToken.verifyAccessToken(last, config())).toEqual({ ok: false, reason: 'expired' });
    expect(signatureChecks.count).toBe(4);
  });

  it('is kept per client: the answer remembered for this client is not given to another', async () => {
    const accessToken = fresh[6]!;
    const token = await signed();
    expect((await accessToken.verifyAccessToken(token, config())).ok).toBe(true);
    // Checked again for the other client (whose key set the mock does not publish: WorkOS cannot be asked).
    expect(await accessToken.verifyAccessToken(token, { ...config(), clientId: 'client_01OTHER' })).toEqual({
      ok: false,
      reason: 'unavailable',
    });
    expect(signatureChecks.count).toBe(2);
  });

  it('holds at most 2,000 tokens, the least recently used checked again first', async () => {
    const accessToken = fresh[7]!;
    // Signed 100 at a time: 2,001 requests at once overflow the mock's listen backlog (ECONNRESET).
    const tokens: string[] = [];
    while (tokens.length < 2_001) {
      const batch = Array.from({ length: Math.min(100, 2_001 - tokens.length) }, (_, index) =>
        signed({ jti: `jti_${tokens.length + index}` }),
      );
      tokens.push(...(await Promise.all(batch)));
    }
    for (const token of tokens) expect((await accessToken.verifyAccessToken(token, config())).ok).toBe(true);
    expect(signatureChecks.count).toBe(2_001);
    // The newest 2,000 are remembered; the first one was dropped to make room for the last.
    await accessToken.verifyAccessToken(tokens[2_000]!, config());
    await accessToken.verifyAccessToken(tokens[1]!, config());
    expect(signatureChecks.count).toBe(2_001);
    await accessToken.verifyAccessToken(tokens[0]!, config());
    expect(signatureChecks.count).toBe(2_002);
    // 2,001 tokens signed by the mock and checked: seconds on 2 busy cores, more under the mutation run's instrumentation.
  }, 30_000);
});

describe('accessTokenIssuer', () => {
  it("is WorkOS' issuer for this client id", () => {
    expect(accessToken.accessTokenIssuer({ clientId: 'client_01X', api: { origin: 'https://api.workos.com' } } as AuthConfig)).toBe(
      'https://api.workos.com/user_management/client_01X',
    );
  });
});
