import { afterEach, describe, expect, it, vi } from 'vitest';
import { STARTER_WEBHOOK_EVENTS } from '../e2e/mock-workos/defaults.ts'; // demo:line webhooks
import { parseAuthConfig } from '../lib/auth/config/env.ts';
import { mockAppVariables, startMockForApp, type MockApp } from './mock-app.ts';

describe('mockAppVariables (what dev:mock and start:mock hand the app)', () => {
  it('points the app at the mock on loopback, with the mock’s own credentials and a fresh cookie password', () => {
    const variables = mockAppVariables({ appPort: 3100, mockHost: '127.0.0.1', mockPort: 4110, exportedCookiePassword: undefined });
    expect(variables).toEqual({
      PORT: '3100',
      WORKOS_CLIENT_ID: 'client_01MOCKWORKOS',
      WORKOS_API_KEY: 'sk_test_mock',
      WORKOS_API_HOSTNAME: '127.0.0.1',
      WORKOS_API_PORT: '4110',
      WORKOS_API_HTTPS: 'false',
      WORKOS_COOKIE_PASSWORD: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      NEXT_PUBLIC_WORKOS_REDIRECT_URI: 'http://localhost:3100/api/auth/callback',
    });
    // The app's own config check accepts them as they are.
    expect(parseAuthConfig(variables)).toMatchObject({ ok: true, config: { api: { origin: 'http://127.0.0.1:4110', isLoopback: true } } });
  });

  it('draws a new cookie password each run, unless one of 32+ characters is exported in the shell', () => {
    const run = (exportedCookiePassword?: string) =>
      mockAppVariables({ appPort: 3000, mockHost: '127.0.0.1', mockPort: 4010, exportedCookiePassword }).WORKOS_COOKIE_PASSWORD;
    expect(run()).not.toBe(run());
    expect(run('p'.repeat(32))).toBe('p'.repeat(32));
    expect(run('too-short')).not.toBe('too-short');
  });

  it('brackets an IPv6 mock host', () => {
    expect(
      mockAppVariables({ appPort: 3000, mockHost: '::1', mockPort: 4010, exportedCookiePassword: undefined }).WORKOS_API_HOSTNAME,
    ).toBe('[::1]');
  });
});

describe('startMockForApp', () => {
  let app: MockApp | undefined;
  afterEach(async () => {
    await app?.mock.close();
    app = undefined;
    vi.unstubAllEnvs();
  });

  it('starts the mock on the requested port and wires the environment to where it really listens', async () => {
    vi.stubEnv('PORT', '3123');
    vi.stubEnv('MOCK_WORKOS_PORT', '0');
    vi.stubEnv('WORKOS_API_KEY', 'sk_live_a_real_key_from_the_shell');
    app = await startMockForApp('npm run dev:mock');
    expect(app.appPort).toBe(3123);
    expect(app.env).toMatchObject({
      PORT: '3123',
      WORKOS_API_PORT: String(app.mock.port),
      WORKOS_API_KEY: 'sk_test_mock',
      NEXT_PUBLIC_WORKOS_REDIRECT_URI: 'http://localhost:3123/api/auth/callback',
    });
    const jwks = await fetch(`${app.mock.url}/sso/jwks/client_01MOCKWORKOS`);
    expect(jwks.status).toBe(200);
    // demo:start webhooks
    // The mock delivers its webhooks to the app's route, signed with the secret the app is given.
    expect(app.env.WORKOS_WEBHOOK_SECRET).toMatch(/^whsec_[\w-]{32}$/);
    expect(
      [...app.mock.store.webhooks.endpoints.values()].map(({ url, secret, status, events }) => ({ url, secret, status, events })),
    ).toEqual([
      {
        url: 'http://localhost:3123/api/webhooks/workos',
        secret: app.env.WORKOS_WEBHOOK_SECRET,
        status: 'enabled',
        events: [...STARTER_WEBHOOK_EVENTS],
      },
    ]);
    // demo:end webhooks
  });

  it('refuses a mock host that is not loopback, before starting anything', async () => {
    vi.stubEnv('MOCK_WORKOS_HOST', '0.0.0.0');
    await expect(startMockForApp('npm run dev:mock')).rejects.toThrow(
      'MOCK_WORKOS_HOST="0.0.0.0" is not a loopback host: the app must never trust a fake WorkOS on the network.',
    );
  });
});
