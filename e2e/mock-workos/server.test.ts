/**
 * The real HTTP server: the node:http adapter, the typed control client, and
 * the CLI's start/stop contract.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MockWorkOSControl } from './control-client.ts';
import { DEMO_PASSWORD, SEED_USER_IDS } from './seed.ts';
import { startMockWorkOS } from './server.ts';
import {
  API_KEY,
  CLIENT_ID,
  REDIRECT_URI,
  callbackParams,
  createPkce,
  signInWithPassword,
  signInWithPasswordAt,
  useRunningMock,
} from './test-helpers.ts';

const running = useRunningMock();

describe('startMockWorkOS', () => {
  it('serves the hosted sign-in and the token endpoint over HTTP', async () => {
    expect(running.mock.url).toBe(`http://127.0.0.1:${running.mock.port}`);
    const pkce = createPkce();
    const { code } = await signInWithPassword(running.mock.url, 'admin@example.com', DEMO_PASSWORD, pkce);
    const auth = await running.workos.userManagement.authenticateWithCode({ clientId: CLIENT_ID, code, codeVerifier: pkce.verifier });
    expect(auth.user.id).toBe(SEED_USER_IDS.admin);
    expect(auth.accessToken.split('.')).toHaveLength(3);
    const calls = await running.control.requests({ userId: SEED_USER_IDS.admin, endpoint: 'authenticate' });
    expect(calls).toEqual([
      expect.objectContaining({ grantType: 'authorization_code', status: 200, sessionId: expect.stringMatching(/^session_/) }),
    ]);
  });

  it('refuses to listen on a non-loopback host', async () => {
    await expect(startMockWorkOS({ host: '0.0.0.0', clientId: CLIENT_ID, apiKey: API_KEY, redirectUris: [REDIRECT_URI] })).rejects.toThrow(
      /only loopback/,
    );
  });
});

describe('faults over HTTP', () => {
  it('really drops the connection', async () => {
    await running.control.injectFault({ endpoint: 'jwks', action: { type: 'drop' } });
    const error = await fetch(`${running.mock.url}/sso/jwks/${CLIENT_ID}`).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).cause).toMatchObject({ code: expect.stringMatching(/UND_ERR_SOCKET|ECONNRESET/) });
    expect(await running.control.requests({ endpoint: 'jwks' })).toEqual([expect.objectContaining({ fault: 'drop', status: null })]);
    expect((await fetch(`${running.mock.url}/sso/jwks/${CLIENT_ID}`)).status).toBe(200);
  });

  it('delays one user without blocking other requests', async () => {
    await running.control.injectFault({
      endpoint: 'get_user',
      match: { userId: SEED_USER_IDS.member },
      action: { type: 'delay', delayMs: 400 },
    });
    const started = performance.now();
    const slow = running.workos.userManagement.getUser(SEED_USER_IDS.member).then(() => performance.now() - started);
    const fast = running.workos.userManagement.getUser(SEED_USER_IDS.admin).then(() => performance.now() - started);
    const [slowMs, fastMs] = await Promise.all([slow, fast]);
    expect(slowMs).toBeGreaterThanOrEqual(390);
    expect(fastMs).toBeLessThan(300);
  });

  it('answers a status fault with its body, scoped to one email', async () => {
    const { user } = await running.control.createUser({ email: `fault-${Date.now()}@example.com`, password: DEMO_PASSWORD });
    await running.control.injectFault({
      endpoint: 'authenticate',
      match: { email: user.email, grantType: 'authorization_code' },
      action: { type: 'status', status: 429, body: { message: 'slow down' } },
    });
    const pkce = createPkce();
    const { code } = await signInWithPassword(running.mock.url, user.email, DEMO_PASSWORD, pkce);
    await expect(
      running.workos.userManagement.authenticateWithCode({ clientId: CLIENT_ID, code, codeVerifier: pkce.verifier }),
    ).rejects.toMatchObject({
      status: 429,
    });
    expect(await running.control.listFaults()).toEqual([]);
  });
});

describe('control client', () => {
  it('exposes the signing key, rotates it, and ends sessions', async () => {
    const { current, published } = await running.control.getSigningKeys();
    expect(published[0]).toEqual(current.jwk);
    expect(current.jwk).toMatchObject({ kty: 'RSA', kid: current.kid, alg: 'RS256' });
    const rotated = await running.control.rotateSigningKey();
    expect(rotated.kid).not.toBe(current.kid);
    expect((await running.control.getSigningKeys()).published.map((key) => key.kid)).toEqual([rotated.kid, current.kid]);

    const pkce = createPkce();
    const { code } = await signInWithPassword(running.mock.url, 'member@example.com', DEMO_PASSWORD, pkce);
    const auth = await running.workos.userManagement.authenticateWithCode({ clientId: CLIENT_ID, code, codeVerifier: pkce.verifier });
    const [session] = await running.control.listSessions({ userId: SEED_USER_IDS.member });
    expect(session).toMatchObject({ userId: SEED_USER_IDS.member, endedAt: null });
    const ended = await running.control.endSession(session?.id ?? '');
    expect(ended.endedAt).toEqual(expect.any(String));
    await expect(
      running.workos.userManagement.authenticateWithRefreshToken({ clientId: CLIENT_ID, refreshToken: auth.refreshToken }),
    ).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  it("creates an organization through the control API, not through WorkOS' POST /organizations (which needs the API key)", async () => {
    const organization = await running.control.createOrganization({ name: 'Control Co', domains: [], entitlements: [], featureFlags: [] });
    expect(organization).toMatchObject({ object: 'organization', name: 'Control Co' });
    expect(await running.control.requests({ endpoint: 'create_organization' })).toEqual([]);
  });

  it('reports control API errors with status and body', async () => {
    await expect(
      running.control.addMembership({ userId: 'user_01NOPE', organizationId: 'org_01NOPE', role: 'admin' }),
    ).rejects.toMatchObject({
      name: 'MockWorkOSControlError',
      status: 422,
    });
  });
});

/** The SDK's authorize URL for this client, without PKCE (as a confidential client may). */
const sdkAuthorizeUrl = (state?: string) =>
  running.workos.userManagement.getAuthorizationUrl({ provider: 'authkit', redirectUri: REDIRECT_URI, clientId: CLIENT_ID, state });

/** Follows an authorize URL through the hosted password form to the code, as a browser would. */
const codeFromAuthorizeUrl = async (url: string, email: string) => (await signInWithPasswordAt(url, email, DEMO_PASSWORD)).code;

describe('PKCE as WorkOS does it', () => {
  it('signs in a confidential client that sends no PKCE: getAuthorizationUrl without a challenge, authenticateWithCode without a verifier', async () => {
    const url = sdkAuthorizeUrl('no-pkce');
    expect(new URL(url).searchParams.has('code_challenge')).toBe(false);
    const code = await codeFromAuthorizeUrl(url, 'admin@example.com');
    const auth = await running.workos.userManagement.authenticateWithCode({ clientId: CLIENT_ID, code });
    expect(auth.user.id).toBe(SEED_USER_IDS.admin);
    expect(auth.accessToken.split('.')).toHaveLength(3);
  });

  it('refuses a verifier for a code issued without a challenge, and a missing one for a code issued with one', async () => {
    const noChallenge = await codeFromAuthorizeUrl(sdkAuthorizeUrl(), 'admin@example.com');
    await expect(
      running.workos.userManagement.authenticateWithCode({ clientId: CLIENT_ID, code: noChallenge, codeVerifier: createPkce().verifier }),
    ).rejects.toMatchObject({
      status: 400,
      error: 'invalid_grant',
      errorDescription: 'A code_verifier was sent, but the authorization request had no code_challenge.',
    });
    const pkce = createPkce();
    const { code: withChallenge } = await signInWithPassword(running.mock.url, 'admin@example.com', DEMO_PASSWORD, pkce);
    await expect(running.workos.userManagement.authenticateWithCode({ clientId: CLIENT_ID, code: withChallenge })).rejects.toMatchObject({
      status: 400,
      error: 'invalid_grant',
      errorDescription: 'code_verifier is required: the authorization request used PKCE.',
    });
  });

  it('strict mode (control API) refuses the no-PKCE authorize request and the exchange of a code issued without a challenge', async () => {
    const url = sdkAuthorizeUrl('strict');
    const codeBeforeStrict = await codeFromAuthorizeUrl(url, 'admin@example.com');
    expect(await running.control.setPkceRequired(true)).toEqual({
      accessTokenTtlSeconds: 300,
      pkceRequired: true,
      refreshTokenReplayWindowSeconds: 0,
      organizationSelectionRequired: false,
      mfaRequired: false,
    });

    const refused = await fetch(url, { redirect: 'manual' });
    expect(Object.fromEntries(callbackParams(refused))).toEqual({
      error: 'invalid_request',
      error_description: 'code_challenge is required (strict PKCE mode of the mock).',
      state: 'strict',
    });
    await expect(running.workos.userManagement.authenticateWithCode({ clientId: CLIENT_ID, code: codeBeforeStrict })).rejects.toMatchObject(
      {
        status: 400,
        error: 'invalid_grant',
        errorDescription: 'PKCE is required (strict mode): the authorization request had no code_challenge.',
      },
    );
    // With PKCE, strict mode signs in as before.
    const pkce = createPkce();
    const { code } = await signInWithPassword(running.mock.url, 'member@example.com', DEMO_PASSWORD, pkce);
    await expect(
      running.workos.userManagement.authenticateWithCode({ clientId: CLIENT_ID, code, codeVerifier: pkce.verifier }),
    ).resolves.toMatchObject({
      user: { id: SEED_USER_IDS.member },
    });
    // reset() returns to the start-up setting.
    await running.control.reset();
    expect(await running.control.getConfig()).toMatchObject({ pkceRequired: false });
  });
});

describe('npm run mock (cli.ts)', () => {
  it('prints its URL and the demo accounts, and exits cleanly on SIGTERM', async () => {
    const cli = spawn(process.execPath, [fileURLToPath(new URL('./cli.ts', import.meta.url))], {
      env: { ...process.env, MOCK_WORKOS_PORT: '0', MOCK_WORKOS_REQUIRE_PKCE: '1', MOCK_WORKOS_REFRESH_REPLAY_WINDOW_SECONDS: '5' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    cli.stdout.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      cli.stdout.on('data', (chunk: string) => {
        output += chunk;
        if (output.includes('umbrella.example.com')) resolve();
      });
      cli.once('exit', () => reject(new Error(`cli exited early:\n${output}`)));
    });
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    expect(url).toBeDefined();
    expect(output).toContain('admin@example.com');
    expect(output).toContain(DEMO_PASSWORD);
    // Where a person reads the codes the mock emails (the email verification step's, magic codes).
    expect(output).toContain(`Codes and links the mock emails (email verification, magic codes): ${url}/__mock/outbox`);
    expect((await fetch(`${url}/sso/jwks/client_01MOCKWORKOS`)).status).toBe(200);
    expect(output).toContain('PKCE required (strict), refresh tokens replayable for 5 s');
    expect(await new MockWorkOSControl(url ?? '').getConfig()).toEqual({
      accessTokenTtlSeconds: 300,
      pkceRequired: true,
      refreshTokenReplayWindowSeconds: 5,
      organizationSelectionRequired: false,
      mfaRequired: false,
    });
    cli.kill('SIGTERM');
    const [exitCode] = (await once(cli, 'exit')) as [number | null];
    expect(exitCode).toBe(0);
    // A child Node process that generates an RSA key: about 1-2 s, more on a loaded 2-core machine.
  }, 15_000);
});
