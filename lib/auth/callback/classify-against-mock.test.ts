/**
 * classifyCallbackError on the errors the real WorkOS SDK throws for what the
 * mock WorkOS answers (the mock follows WorkOS' OpenAPI spec). Apart from
 * errors.test.ts because it needs the mock: docs/testing.md "Without the mock" deletes
 * this file with e2e/.
 */
import { WorkOS } from '@workos-inc/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../../e2e/mock-workos/seed.ts';
import { startMockWorkOS, type RunningMockWorkOS } from '../../../e2e/mock-workos/server.ts';
import {
  API_KEY,
  CLIENT_ID,
  REDIRECT_URI as MOCK_REDIRECT_URI,
  createPkce,
  signInWithPassword,
} from '../../../e2e/mock-workos/test-helpers.ts';
import type { AuthErrorCode } from '../errors/codes';
import { classifyCallbackError } from './classify';

const REDIRECT_URI = 'http://localhost:3000/api/auth/callback';
const CALLBACK = `${REDIRECT_URI}?code=01JCODE&state=sealed`;

function classify(error: unknown): AuthErrorCode {
  return classifyCallbackError({ error, url: new URL(CALLBACK), redirectUri: REDIRECT_URI });
}

describe('classifyCallbackError on what the mock WorkOS really answers (it follows the OpenAPI spec)', () => {
  let mock: RunningMockWorkOS;
  beforeAll(async () => {
    mock = await startMockWorkOS({ port: 0, clientId: CLIENT_ID, apiKey: API_KEY, redirectUris: [MOCK_REDIRECT_URI] });
  });
  afterAll(() => mock.close());

  const sdk = (apiKey: string) =>
    new WorkOS(apiKey, { clientId: CLIENT_ID, apiHostname: '127.0.0.1', port: mock.port, https: false, maxRetries: 0 });

  async function exchangeError(apiKey: string, { reuse = false } = {}): Promise<unknown> {
    const pkce = createPkce();
    const { code } = await signInWithPassword(mock.url, 'admin@example.com', DEMO_PASSWORD, pkce);
    const exchange = () => sdk(apiKey).userManagement.authenticateWithCode({ clientId: CLIENT_ID, code, codeVerifier: pkce.verifier });
    if (reuse) await exchange();
    return exchange().then(
      () => {
        throw new Error('expected the exchange to fail');
      },
      (error: unknown) => error,
    );
  }

  it('reads a wrong client secret (400 invalid_client) as a configuration error', async () => {
    const error = await exchangeError('sk_test_wrong');
    expect(error).toMatchObject({ status: 400, error: 'invalid_client' });
    expect(classify(error)).toBe('configuration_error');
  });

  it('reads a reused code (400 invalid_grant) as an invalid code', async () => {
    const error = await exchangeError(API_KEY, { reuse: true });
    expect(error).toMatchObject({ status: 400, error: 'invalid_grant' });
    expect(classify(error)).toBe('invalid_code');
  });
});
