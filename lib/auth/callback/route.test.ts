/**
 * The callback sent back with the identity provider's own `error` (a cancel, a
 * misconfigured SSO connection): the person is told on the error page, and the
 * server logs one line with the provider's code, never a stack trace.
 */
import { NextRequest } from 'next/server';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { useAuthkitAgainstMock } from '../../../test/authkit-against-mock';

useAuthkitAgainstMock();
let callback: (request: NextRequest) => Promise<Response>;

beforeAll(async () => {
  callback = (await import('./route')).callbackRoute();
});
afterEach(() => vi.restoreAllMocks());

describe('the callback, sent back with the provider’s error', () => {
  it.each([
    ['access_denied', 'access_denied'],
    ['sso_connection_misconfigured', 'sso_failed'],
  ])('error=%s: the %s page, one log line with the provider’s code, no stack', async (providerError, code) => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const response = await callback(
      new NextRequest(`http://localhost:3000/api/auth/callback?error=${providerError}&error_description=Nope&state=abc`, {
        headers: { cookie: 'wos-auth-verifier-1=x' },
      }),
    );
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(new RegExp(`^http://localhost:3000/auth/error\\?code=${code}&ref=[a-z0-9]{10}$`));
    expect(response.headers.get('cache-control')).toContain('no-store');
    expect(error).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledTimes(1);
    const line = String(warn.mock.calls[0]![0]);
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toMatchObject({ event: 'sign_in_failed', code, providerError, reason: 'returned with an error' });
  });
});
