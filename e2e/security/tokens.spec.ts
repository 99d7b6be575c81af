/**
 * Case 11: hostile access tokens sealed into an otherwise real-looking session.
 * The refresh token is one the mock never issued, so the app cannot "fix" the
 * session by refreshing: the only way to be signed in is to accept the token.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, exportSPKI, generateKeyPair, importJWK, type JWK } from 'jose';
import { expect, test } from '../fixtures';
import { expectRedirectedToSignIn, expectSessionCookieCleared, newUser, nowSeconds, seal, tripwire, withCookie } from './support';

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

test('11. forged, misconfigured and malformed access tokens are never accepted', async ({ mock }) => {
  const user = await newUser(mock, 'tokens');
  const { current } = await mock.getSigningKeys();
  const now = nowSeconds();
  const claims = {
    iss: process.env.E2E_MOCK_URL,
    sub: user.id,
    sid: `session_${randomUUID()}`,
    jti: randomUUID(),
    iat: now - 10,
    exp: now + 240,
    org_id: 'org_01HDEMOACME0000000000000',
    role: 'admin',
    permissions: ['users:manage'],
  };
  const attacker = await generateKeyPair('RS256', { extractable: true });
  const attackerJwk: JWK = { ...(await exportJWK(attacker.publicKey)), kid: 'attacker-key', alg: 'RS256', use: 'sig' };
  const publicPem = await exportSPKI((await importJWK(current.jwk, 'RS256')) as CryptoKey);
  const trap = await tripwire();
  const rs256 = (header: Record<string, unknown>, payload: Record<string, unknown> = claims) =>
    new SignJWT(payload).setProtectedHeader({ alg: 'RS256', ...header }).sign(attacker.privateKey);
  const hs256 = (secret: string) => {
    const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: current.kid })}.${b64(claims)}`;
    return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
  };
  const withoutSub: Record<string, unknown> = { ...claims };
  delete withoutSub.sub;
  const real = await mock.signAccessToken(claims);
  const [realHeader, realPayload, realSignature] = real.split('.');

  const tokens: Record<string, string> = {
    'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`,
    'alg none with kid': `${b64({ alg: 'none', kid: current.kid })}.${b64(claims)}.`,
    'HS256 keyed with the public key (PEM)': hs256(publicPem),
    'HS256 keyed with the public key (JWK)': hs256(JSON.stringify(current.jwk)),
    'right kid, wrong key': await rs256({ kid: current.kid }),
    'jku pointing elsewhere': await rs256({ kid: 'attacker-key', jku: `${trap.url}/jwks` }),
    'embedded jwk': await rs256({ kid: 'attacker-key', jwk: attackerJwk }),
    'x5u pointing elsewhere': await rs256({ kid: 'attacker-key', x5u: `${trap.url}/cert.pem` }),
    'unknown kid': await rs256({ kid: `unknown-${randomUUID()}` }),
    'path traversal kid': await rs256({ kid: '../../../../etc/passwd' }),
    'injection kid': await rs256({ kid: "' OR '1'='1" }),
    'huge kid': await rs256({ kid: 'k'.repeat(4_000) }),
    'expired by 1 s (real key)': await mock.signAccessToken({ ...claims, exp: nowSeconds() - 1 }),
    'nbf in the future (real key)': await mock.signAccessToken({ ...claims, nbf: nowSeconds() + 120 }),
    'missing sub (real key)': await mock.signAccessToken(withoutSub),
    'real signature, payload swapped': `${realHeader}.${b64({ ...claims, sub: user.id, role: 'owner' })}.${realSignature}`,
    'two segments': `${realHeader}.${realPayload}`,
    'four segments': `${real}.extra`,
    'bad base64': `${realHeader}.%%%%.${realSignature}`,
    'not JSON': `${b64('{not json')}.${b64('x')}.${realSignature}`,
    empty: '',
  };

  for (const [name, accessToken] of Object.entries(tokens)) {
    const session = {
      accessToken,
      refreshToken: `refresh_${randomUUID().replaceAll('-', '')}`,
      user: { object: 'user', id: user.id, email: user.email, emailVerified: true, firstName: 'Sec', lastName: 'tokens' },
    };
    const cookie = await seal(session);
    const dashboard = await withCookie('/dashboard', cookie);
    // 307 to AuthKit (authkit refused the token) or to our sign-in route (the proxy refused the session).
    expectRedirectedToSignIn(dashboard, name);
    expectSessionCookieCleared(dashboard);
    expect(dashboard.body, name).not.toContain(user.id);
    const home = await withCookie('/', cookie);
    expect(home.status, name).toBe(200);
    expect(home.body, name).not.toContain('Welcome back');
  }
  expect(trap.hits, 'the app fetched a URL named in a token header').toEqual([]);
  await trap.close();
  // Control: the real token in the same shape of session is accepted (so the cases above fail for the token, not the session).
  const browserlessSession = {
    accessToken: real,
    refreshToken: `refresh_${randomUUID()}`,
    user: { object: 'user', id: user.id, email: user.email },
  };
  const accepted = await withCookie('/dashboard', await seal(browserlessSession));
  expect(accepted.status).toBe(200);
  expect(accepted.body).toContain(user.id);
});
