import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkConfigAtStartup, listenOriginWarning } from './startup-check';

const REDIRECT_URI = 'http://localhost:3000/api/auth/callback';
const valid = {
  WORKOS_CLIENT_ID: 'client_01HXYZ',
  WORKOS_API_KEY: 'sk_test_abc123',
  WORKOS_COOKIE_PASSWORD: 'x'.repeat(32),
  NEXT_PUBLIC_WORKOS_REDIRECT_URI: REDIRECT_URI,
};

describe('listenOriginWarning (the redirect URI is not where this server listens)', () => {
  it('says nothing when the server listens on the redirect URI’s port (PORT unset is 3000)', () => {
    expect(listenOriginWarning(REDIRECT_URI, { PORT: '3000' })).toBeUndefined();
    expect(listenOriginWarning(REDIRECT_URI, {})).toBeUndefined();
    expect(listenOriginWarning(REDIRECT_URI, { PORT: ' 3000 ' })).toBeUndefined();
    // The standalone server without HOSTNAME listens on every address.
    expect(listenOriginWarning(REDIRECT_URI, { PORT: '3000', NODE_ENV: 'production' })).toBeUndefined();
    expect(
      listenOriginWarning('http://127.0.0.1:4000/api/auth/callback', { PORT: '4000', HOSTNAME: '0.0.0.0', NODE_ENV: 'production' }),
    ).toBeUndefined();
  });

  it('warns in one line, naming both origins and PORT, when the ports differ', () => {
    const warning = listenOriginWarning(REDIRECT_URI, { PORT: '3001' });
    expect(warning).toBe(
      'Warning: NEXT_PUBLIC_WORKOS_REDIRECT_URI is http://localhost:3000/api/auth/callback, but this server listens on http://localhost:3001: sign-in would come back to a refused connection. Start the server on port 3000 (PORT=3000, or `next dev -p 3000`; free the port if another process holds it) or set the redirect URI to http://localhost:3001/api/auth/callback (and add it in the WorkOS dashboard).',
    );
    expect(warning).not.toContain('\n');
  });

  it('reads a redirect URI without a port as port 80, or 443 for https', () => {
    expect(listenOriginWarning('http://localhost/api/auth/callback', { PORT: '3000' })).toContain('Start the server on port 80 ');
    expect(listenOriginWarning('https://localhost/api/auth/callback', { PORT: '3000' })).toContain('Start the server on port 443 ');
    expect(listenOriginWarning('https://localhost/api/auth/callback', { PORT: '443' })).toBeUndefined();
  });

  it('warns when the standalone server binds another host (HOSTNAME), never for a wildcard or loopback one', () => {
    expect(listenOriginWarning(REDIRECT_URI, { PORT: '3000', HOSTNAME: '10.1.2.3', NODE_ENV: 'production' })).toContain(
      'but this server listens on http://10.1.2.3:3000',
    );
    expect(listenOriginWarning(REDIRECT_URI, { PORT: '3000', HOSTNAME: 'App.Example.COM', NODE_ENV: 'production' })).toContain(
      'but this server listens on http://app.example.com:3000',
    );
    expect(listenOriginWarning(REDIRECT_URI, { PORT: '3000', HOSTNAME: '127.0.0.1', NODE_ENV: 'production' })).toBeUndefined();
    expect(listenOriginWarning(REDIRECT_URI, { PORT: '3000', HOSTNAME: '::', NODE_ENV: 'production' })).toBeUndefined();
    // next dev and next start never read HOSTNAME (a shell may export the machine's name).
    expect(listenOriginWarning(REDIRECT_URI, { PORT: '3000', HOSTNAME: 'my-laptop', NODE_ENV: 'development' })).toBeUndefined();
  });

  it('leaves a redirect URI on another machine alone: a proxy is in front', () => {
    expect(listenOriginWarning('https://app.example.com/api/auth/callback', { PORT: '3000' })).toBeUndefined();
  });
});

describe('checkConfigAtStartup("server")', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints the warning once for a port mismatch and starts anyway', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    checkConfigAtStartup('server', { ...valid, PORT: '4000' });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toContain('this server listens on http://localhost:4000');
  });

  it('prints nothing when the ports agree, and nothing at build', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    checkConfigAtStartup('server', { ...valid, PORT: '3000' });
    checkConfigAtStartup('build', { ...valid, PORT: '4000' });
    expect(warn).not.toHaveBeenCalled();
  });
});
