import { describe, expect, it } from 'vitest';
import { AuthConfigError, assertAuthConfig, isLoopbackHost, parseAuthConfig } from './config';

const valid = {
  WORKOS_CLIENT_ID: 'client_01HXYZ',
  WORKOS_API_KEY: 'sk_test_abc123',
  WORKOS_COOKIE_PASSWORD: 'x'.repeat(32),
  NEXT_PUBLIC_WORKOS_REDIRECT_URI: 'http://localhost:3000/api/auth/callback',
};

function problemsOf(env: Record<string, string | undefined>) {
  const result = parseAuthConfig(env);
  if (result.ok) throw new Error('expected the environment to be rejected');
  return result.problems;
}

function problemFor(env: Record<string, string | undefined>, variable: string) {
  const problem = problemsOf(env).find((p) => p.variable === variable);
  if (!problem) throw new Error(`expected a problem for ${variable}`);
  return problem.message;
}

describe('parseAuthConfig', () => {
  it('accepts a minimal valid environment and applies defaults', () => {
    const result = parseAuthConfig(valid);
    expect(result).toEqual({
      ok: true,
      config: {
        clientId: 'client_01HXYZ',
        apiKey: 'sk_test_abc123',
        cookiePassword: 'x'.repeat(32),
        redirectUri: 'http://localhost:3000/api/auth/callback',
        cookie: { name: 'wos-session', domain: undefined, maxAgeSeconds: undefined, sameSite: 'lax' },
        oauthTokenStoreDir: undefined,
        redisUrl: undefined,
        api: { hostname: 'api.workos.com', port: undefined, https: true, origin: 'https://api.workos.com', isLoopback: false },
      },
    });
  });

  describe('REDIS_URL', () => {
    it.each([['redis://localhost:6379'], ['rediss://default:s3cret@redis.example.com:6380'], ['redis://127.0.0.1:6379/2'], ['redis://[::1]:6379/']])('accepts %s', (url) => {
      const result = parseAuthConfig({ ...valid, REDIS_URL: url });
      expect(result.ok && result.config.redisUrl).toBe(url);
    });

    it('treats an empty value as unset (no Redis)', () => {
      const result = parseAuthConfig({ ...valid, REDIS_URL: ' ' });
      expect(result.ok && result.config.redisUrl).toBeUndefined();
    });

    it.each([
      ['localhost:6379', 'must start with redis:// or rediss:// (TLS), not localhost://'],
      ['http://redis.example.com:6379', 'must start with redis:// or rediss:// (TLS), not http://'],
      ['redis://:hunter2@', 'is not a URL'],
      ['redis:///0', 'has no host'],
      ['redis://localhost:6379/cache', 'may only have a database number as its path'],
      ['not a url hunter2', 'is not a URL'],
    ])('rejects %j with a clear message that never shows the value', (url, message) => {
      const problem = problemFor({ ...valid, REDIS_URL: url }, 'REDIS_URL');
      expect(problem).toContain(message);
      expect(problem).toContain('redis://localhost:6379');
      expect(problem).not.toContain('hunter2');
    });
  });

  it('lists every missing variable at once, each with its fix', () => {
    const problems = problemsOf({});
    expect(problems.map((p) => p.variable)).toEqual([
      'WORKOS_CLIENT_ID',
      'WORKOS_API_KEY',
      'WORKOS_COOKIE_PASSWORD',
      'NEXT_PUBLIC_WORKOS_REDIRECT_URI',
    ]);
    expect(problems[0]?.message).toContain('WorkOS dashboard');
    expect(problems[0]?.message).toContain('npm run dev:mock');
    expect(problems[2]?.message).toContain('openssl rand -base64 32');
    expect(problems[3]?.message).toContain('/api/auth/callback');
  });

  describe('WORKOS_CLIENT_ID', () => {
    it('rejects a value that is not a client id', () => {
      expect(problemFor({ ...valid, WORKOS_CLIENT_ID: 'sk_test_abc' }, 'WORKOS_CLIENT_ID')).toContain('client_');
    });
  });

  describe('WORKOS_API_KEY', () => {
    it('rejects a value that is not a secret key', () => {
      expect(problemFor({ ...valid, WORKOS_API_KEY: 'pk_live_abc' }, 'WORKOS_API_KEY')).toContain('sk_');
    });
  });

  describe('WORKOS_COOKIE_PASSWORD', () => {
    it('rejects a 20-character password, saying how long it is and how to make one', () => {
      const message = problemFor({ ...valid, WORKOS_COOKIE_PASSWORD: 'p'.repeat(20) }, 'WORKOS_COOKIE_PASSWORD');
      expect(message).toContain('at least 32 characters (it has 20)');
      expect(message).toContain('openssl rand -base64 32');
    });

    it('never prints the secret itself', () => {
      const secretish = 'sup3r-s3cret-value';
      const error = (() => {
        try {
          assertAuthConfig({ ...valid, WORKOS_COOKIE_PASSWORD: secretish, WORKOS_API_KEY: 'bad-key-value' });
        } catch (caught) {
          return caught;
        }
        throw new Error('expected a throw');
      })();
      expect(error).toBeInstanceOf(AuthConfigError);
      expect((error as Error).message).not.toContain(secretish);
      expect((error as Error).message).not.toContain('bad-key-value');
    });
  });

  describe('NEXT_PUBLIC_WORKOS_REDIRECT_URI', () => {
    it('accepts an https URI on a public host', () => {
      expect(parseAuthConfig({ ...valid, NEXT_PUBLIC_WORKOS_REDIRECT_URI: 'https://app.example.com/api/auth/callback' }).ok).toBe(true);
    });

    it('rejects a relative URI', () => {
      expect(problemFor({ ...valid, NEXT_PUBLIC_WORKOS_REDIRECT_URI: '/api/auth/callback' }, 'NEXT_PUBLIC_WORKOS_REDIRECT_URI')).toContain(
        'absolute URL',
      );
    });

    it('rejects a non-http scheme', () => {
      expect(
        problemFor({ ...valid, NEXT_PUBLIC_WORKOS_REDIRECT_URI: 'ftp://localhost/api/auth/callback' }, 'NEXT_PUBLIC_WORKOS_REDIRECT_URI'),
      ).toContain('http or https');
    });

    it('rejects plain http on a public host', () => {
      expect(
        problemFor({ ...valid, NEXT_PUBLIC_WORKOS_REDIRECT_URI: 'http://app.example.com/api/auth/callback' }, 'NEXT_PUBLIC_WORKOS_REDIRECT_URI'),
      ).toContain('https');
    });

    it('rejects a path that is not the callback route', () => {
      expect(
        problemFor({ ...valid, NEXT_PUBLIC_WORKOS_REDIRECT_URI: 'http://localhost:3000/callback' }, 'NEXT_PUBLIC_WORKOS_REDIRECT_URI'),
      ).toContain('/api/auth/callback');
    });
  });

  describe('optional cookie settings', () => {
    it('accepts well-formed values', () => {
      const result = parseAuthConfig({
        ...valid,
        WORKOS_COOKIE_NAME: 'my-session',
        WORKOS_COOKIE_DOMAIN: 'example.com',
        WORKOS_COOKIE_MAX_AGE: '3600',
        WORKOS_COOKIE_SAMESITE: 'strict',
      });
      expect(result.ok && result.config.cookie).toEqual({
        name: 'my-session',
        domain: 'example.com',
        maxAgeSeconds: 3600,
        sameSite: 'strict',
      });
    });

    it('treats empty strings as unset', () => {
      const result = parseAuthConfig({ ...valid, WORKOS_COOKIE_NAME: '', WORKOS_API_HOSTNAME: ' ' });
      expect(result.ok && result.config.cookie.name).toBe('wos-session');
      expect(result.ok && result.config.api.hostname).toBe('api.workos.com');
    });

    it.each([
      ['WORKOS_COOKIE_NAME', 'bad name;', 'letters'],
      ['WORKOS_COOKIE_DOMAIN', 'https://example.com', 'bare domain'],
      ['WORKOS_COOKIE_MAX_AGE', '-5', 'whole number'],
      ['WORKOS_COOKIE_MAX_AGE', '1h', 'whole number'],
      ['WORKOS_COOKIE_SAMESITE', 'sometimes', 'lax, strict or none'],
    ])('rejects %s=%s', (variable, value, expected) => {
      expect(problemFor({ ...valid, [variable]: value }, variable)).toContain(expected);
    });

    it('rejects SameSite=none with an http redirect URI', () => {
      expect(problemFor({ ...valid, WORKOS_COOKIE_SAMESITE: 'none' }, 'WORKOS_COOKIE_SAMESITE')).toContain('https');
    });
  });

  describe('WorkOS API host', () => {
    it.each(['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]'])('accepts the loopback host %s for the mock', (hostname) => {
      const result = parseAuthConfig({ ...valid, WORKOS_API_HOSTNAME: hostname, WORKOS_API_PORT: '4010', WORKOS_API_HTTPS: 'false' });
      expect(result.ok && result.config.api).toMatchObject({ hostname, port: 4010, https: false, isLoopback: true });
      expect(result.ok && new URL(result.config.api.origin).port).toBe('4010');
    });

    it('accepts the real WorkOS host', () => {
      expect(parseAuthConfig({ ...valid, WORKOS_API_HOSTNAME: 'api.workos.com' }).ok).toBe(true);
    });

    it.each(['evil.example', '10.0.0.5', '128.0.0.1', 'localhost.evil.example', 'workos.com.evil.example'])(
      'rejects the non-WorkOS, non-loopback host %s',
      (hostname) => {
        expect(problemFor({ ...valid, WORKOS_API_HOSTNAME: hostname }, 'WORKOS_API_HOSTNAME')).toContain('not a WorkOS host');
      },
    );

    it('rejects a URL where a host name belongs, with one message', () => {
      const problems = problemsOf({ ...valid, WORKOS_API_HOSTNAME: 'https://evil.example' });
      expect(problems).toHaveLength(1);
      expect(problems[0]?.message).toContain('bare host name');
    });

    it.each(['0', '65536', 'http'])('rejects the port %s', (port) => {
      expect(problemFor({ ...valid, WORKOS_API_PORT: port }, 'WORKOS_API_PORT')).toContain('between 1 and 65535');
    });

    it('rejects WORKOS_API_HTTPS values other than true/false', () => {
      expect(problemFor({ ...valid, WORKOS_API_HTTPS: 'yes' }, 'WORKOS_API_HTTPS')).toContain('true or false');
    });

    it('refuses plain HTTP to the real WorkOS API', () => {
      expect(problemFor({ ...valid, WORKOS_API_HTTPS: 'false' }, 'WORKOS_API_HTTPS')).toContain('loopback');
    });
  });
});

describe('isLoopbackHost', () => {
  it.each(['localhost', 'LOCALHOST', 'app.localhost', '127.0.0.1', '127.255.255.254', '::1', '[::1]'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each(['example.com', '0.0.0.0', '127.0.0.256', '127.0.0', '::2', 'localhost.example.com', '169.254.1.1'])(
    '%s is not loopback',
    (host) => {
      expect(isLoopbackHost(host)).toBe(false);
    },
  );
});

describe('formatted error', () => {
  it('has one line per problem and the mock hint', () => {
    const error = new AuthConfigError(problemsOf({ ...valid, WORKOS_COOKIE_PASSWORD: 'short', WORKOS_API_HOSTNAME: 'evil.example' }));
    const bullets = error.message.split('\n').filter((line) => line.startsWith('  • '));
    expect(bullets).toHaveLength(2);
    expect(error.message).toContain('WorkOS configuration has 2 problems');
    expect(error.message).toContain('npm run dev:mock');
  });
});
