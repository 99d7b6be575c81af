import { describe, expect, it } from 'vitest';
import { assertAuthConfig } from './env';
import { allowedOriginForHost, claimedHost, loopbackAliasTarget, redirectUriFor, requestOrigin } from './origin';

const env = {
  WORKOS_CLIENT_ID: 'client_01TEST',
  WORKOS_API_KEY: 'sk_test_x',
  WORKOS_COOKIE_PASSWORD: 'p'.repeat(32),
  NEXT_PUBLIC_WORKOS_REDIRECT_URI: 'https://app.example.com/api/auth/callback',
};
const config = assertAuthConfig({
  ...env,
  APP_ALLOWED_ORIGINS: 'https://www.example.org, https://*-acme.vercel.app http://localhost:3000 https://staging.example.com:8443',
});
const CONFIGURED = 'https://app.example.com';
const on = (headers: Record<string, string>) => requestOrigin(new Headers(headers), config);

describe('claimedHost', () => {
  it('prefers Forwarded, then X-Forwarded-Host, then Host, each by its first value', () => {
    expect(claimedHost(new Headers({ host: 'a', 'x-forwarded-host': 'b, c', forwarded: 'for=1.2.3.4;host="d", host=e' }))).toBe('d');
    expect(claimedHost(new Headers({ host: 'a', 'x-forwarded-host': 'b, c' }))).toBe('b');
    expect(claimedHost(new Headers({ host: 'a', 'x-forwarded-host': ' b , c' }))).toBe('b');
    expect(claimedHost(new Headers({ host: 'a', forwarded: 'for=1.2.3.4;proto=https' }))).toBe('a');
    expect(claimedHost(new Headers())).toBeUndefined();
  });

  it('trims a host the same through Host as through X-Forwarded-Host, whitespace that Headers keeps included (a no-break space)', () => {
    expect(new Headers({ host: 'www.example.org\u00a0' }).get('host')).toBe('www.example.org\u00a0');
    expect(claimedHost(new Headers({ host: 'www.example.org\u00a0' }))).toBe('www.example.org');
    expect(claimedHost(new Headers({ 'x-forwarded-host': 'www.example.org\u00a0' }))).toBe('www.example.org');
    expect(on({ host: 'www.example.org\u00a0' })).toBe('https://www.example.org');
  });

  it('counts a Forwarded header that is not RFC 7239 as absent', () => {
    expect(claimedHost(new Headers({ host: 'a', forwarded: 'host=d e' }))).toBe('a');
  });
});

describe('requestOrigin', () => {
  it.each([
    [{ host: 'app.example.com' }, CONFIGURED],
    [{ host: 'www.example.org' }, 'https://www.example.org'],
    [{ host: 'WWW.Example.ORG:443' }, 'https://www.example.org'],
    [{ host: 'localhost:3000' }, 'http://localhost:3000'],
    [{ host: 'staging.example.com:8443' }, 'https://staging.example.com:8443'],
    [{ host: 'feature-x-acme.vercel.app' }, 'https://feature-x-acme.vercel.app'],
    [{ host: '10.0.0.5:3000', 'x-forwarded-host': 'www.example.org' }, 'https://www.example.org'],
    [{ host: '10.0.0.5:3000', forwarded: 'for=192.0.2.1;host=www.example.org;proto=http' }, 'https://www.example.org'],
  ])('serves %j on %s', (headers, origin) => {
    expect(on(headers)).toBe(origin);
  });

  it('takes the scheme from the list, never from the request (a TLS terminator that forwards no proto)', () => {
    expect(on({ host: 'www.example.org', 'x-forwarded-proto': 'http' })).toBe('https://www.example.org');
    expect(on({ host: 'localhost:3000', 'x-forwarded-proto': 'https' })).toBe('http://localhost:3000');
  });

  it.each([
    ['an unknown host', { host: 'evil.example' }],
    ['an unknown forwarded host', { host: 'www.example.org', 'x-forwarded-host': 'evil.example' }],
    ['an unknown Forwarded host', { host: 'www.example.org', forwarded: 'host=evil.example' }],
    ['a forwarded list led by an unknown host', { 'x-forwarded-host': 'evil.example, www.example.org' }],
    ['user info', { host: 'www.example.org@evil.example' }],
    ['a path', { host: 'evil.example/www.example.org' }],
    ['a suffix', { host: 'www.example.org.evil.example' }],
    ['another port', { host: 'localhost:3001' }],
    ['the default port of another scheme', { host: 'www.example.org:80' }],
    ['a wildcard spanning two labels', { host: 'a.b-acme.vercel.app' }],
    ['an empty wildcard', { host: '-acme.vercel.app' }],
    ['the pattern’s domain itself', { host: 'vercel.app' }],
    ['another team on the same domain', { host: 'feature-acme2.vercel.app' }],
    ['the pattern’s label on another domain of the same length', { host: 'feature-acmexvercel.app' }],
    ['whitespace', { host: 'www.example.org extra' }],
    ['no host at all', {}],
  ])('falls back to the configured origin for %s', (_label, headers) => {
    expect(on(headers as Record<string, string>)).toBe(CONFIGURED);
  });

  it('never produces an origin outside the list, whatever the header', () => {
    const allowed = (origin: string) =>
      origin === CONFIGURED ||
      ['https://www.example.org', 'http://localhost:3000', 'https://staging.example.com:8443'].includes(origin) ||
      /^https:\/\/[a-z0-9-]+-acme\.vercel\.app$/.test(origin);
    const hostile = [
      '',
      ' ',
      '*',
      '*-acme.vercel.app',
      'x-acme.vercel.app.',
      '[::1]:3000',
      'localhost:3000:3000',
      'localhost:03000',
      '%77ww.example.org',
      'www.example.org\t',
      'x-acme.vercel.app:443/..',
    ];
    for (const host of hostile) {
      for (const header of ['host', 'x-forwarded-host', 'forwarded']) {
        const origin = on({ [header]: header === 'forwarded' ? `host="${host}"` : host });
        expect(allowed(origin), `${header}: ${JSON.stringify(host)} → ${origin}`).toBe(true);
      }
    }
  });

  it('with no list, serves only the configured origin', () => {
    const single = assertAuthConfig(env);
    expect(allowedOriginForHost('app.example.com', single)).toBe(CONFIGURED);
    expect(allowedOriginForHost('www.example.org', single)).toBeUndefined();
  });
});

describe('allowedOriginForHost, a pattern with a fixed part before the wildcard', () => {
  const prefixed = assertAuthConfig({ ...env, APP_ALLOWED_ORIGINS: 'https://pr-*.example.com' });
  it('matches only a label that starts with it', () => {
    expect(allowedOriginForHost('pr-42.example.com', prefixed)).toBe('https://pr-42.example.com');
    expect(allowedOriginForHost('app-pr-.example.com', prefixed)).toBeUndefined();
  });
});

describe('redirectUriFor', () => {
  it('is the callback on that origin', () => {
    expect(redirectUriFor('https://feature-x-acme.vercel.app')).toBe('https://feature-x-acme.vercel.app/api/auth/callback');
  });
});

describe('loopbackAliasTarget', () => {
  const local = assertAuthConfig({ ...env, NEXT_PUBLIC_WORKOS_REDIRECT_URI: 'http://localhost:3000/api/auth/callback' });
  const target = (host: string, on = local) => loopbackAliasTarget(new Headers({ host }), on);

  it('sends 127.0.0.1, [::1] and other loopback names on the same port to the configured origin', () => {
    expect(target('127.0.0.1:3000')).toBe('http://localhost:3000');
    expect(target('[::1]:3000')).toBe('http://localhost:3000');
    expect(target('127.0.0.2:3000')).toBe('http://localhost:3000');
    // No port on either side (http's default).
    expect(target('127.0.0.1', assertAuthConfig({ ...env, NEXT_PUBLIC_WORKOS_REDIRECT_URI: 'http://localhost/api/auth/callback' }))).toBe(
      'http://localhost',
    );
  });

  it('leaves the configured origin, another port, a host that is not loopback and a malformed host alone', () => {
    for (const host of ['localhost:3000', '127.0.0.1:3001', '127.0.0.1', '192.168.1.5:3000', 'example.com:3000', 'a b']) {
      expect(target(host), host).toBeUndefined();
    }
  });

  it('leaves an alias that is itself an allowed origin alone, and a configured origin that is not loopback', () => {
    const both = assertAuthConfig({
      ...env,
      NEXT_PUBLIC_WORKOS_REDIRECT_URI: 'http://localhost:3000/api/auth/callback',
      APP_ALLOWED_ORIGINS: 'http://127.0.0.1:3000',
    });
    expect(target('127.0.0.1:3000', both)).toBeUndefined();
    expect(target('[::1]:3000', both)).toBe('http://localhost:3000');
    expect(target('127.0.0.1', config)).toBeUndefined();
  });
});
