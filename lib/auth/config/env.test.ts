import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isLoopbackHost, parseAllowedOrigins } from './allowed-origins';
import { AuthConfigError, assertAuthConfig, parseAuthConfig } from './env';
import { buildConfigProblems, buildWithoutConfigHint } from './startup-check';

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
  it('reads `next dev` from NODE_ENV, so the proxy needs no process.env of its own', () => {
    expect(parseAuthConfig({ ...valid, NODE_ENV: 'development' })).toMatchObject({ ok: true, config: { isDevelopment: true } });
    expect(parseAuthConfig({ ...valid, NODE_ENV: 'production' })).toMatchObject({ ok: true, config: { isDevelopment: false } });
  });

  it('accepts a minimal valid environment and applies defaults', () => {
    const result = parseAuthConfig(valid);
    expect(result).toEqual({
      ok: true,
      config: {
        clientId: 'client_01HXYZ',
        apiKey: 'sk_test_abc123',
        cookiePassword: 'x'.repeat(32),
        redirectUri: 'http://localhost:3000/api/auth/callback',
        allowedOrigins: [{ kind: 'exact', scheme: 'http', hostname: 'localhost', port: '3000', entry: 'http://localhost:3000' }],
        cookie: { name: 'wos-session', domain: undefined, maxAgeSeconds: undefined, sameSite: 'lax' },
        redisUrl: undefined,
        webhookSecret: undefined, // demo:line webhooks
        isDevelopment: false,
        api: { hostname: 'api.workos.com', port: undefined, https: true, origin: 'https://api.workos.com', isLoopback: false },
      },
    });
  });

  describe('REDIS_URL', () => {
    it.each([
      ['redis://localhost:6379'],
      ['rediss://default:s3cret@redis.example.com:6380'],
      ['redis://127.0.0.1:6379/2'],
      ['redis://[::1]:6379/'],
      ['redis://127.0.0.1:6379/12'],
    ])('accepts %s', (url) => {
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
      ['redis://localhost:6379/cache/0', 'may only have a database number as its path'],
      ['redis://localhost:6379/0x', 'may only have a database number as its path'],
      ['not a url hunter2', 'is not a URL'],
    ])('rejects %j with a clear message that never shows the value', (url, message) => {
      const problem = problemFor({ ...valid, REDIS_URL: url }, 'REDIS_URL');
      expect(problem).toContain(message);
      expect(problem).toContain('redis://localhost:6379');
      expect(problem).not.toContain('hunter2');
    });
  });

  // demo:start webhooks
  describe('WORKOS_WEBHOOK_SECRET', () => {
    it('is optional, and read as it is', () => {
      expect(parseAuthConfig({ ...valid, WORKOS_WEBHOOK_SECRET: 'whsec_0FWAiVGkEfGBqqsJH4aNAGBJ4' })).toMatchObject({
        ok: true,
        config: { webhookSecret: 'whsec_0FWAiVGkEfGBqqsJH4aNAGBJ4' },
      });
      expect(parseAuthConfig({ ...valid, WORKOS_WEBHOOK_SECRET: '  ' })).toMatchObject({ ok: true, config: { webhookSecret: undefined } });
    });

    it.each([
      ['whsec_abc def1234567', 'may not contain spaces or quotes'],
      ['"whsec_0FWAiVGkEfGBqqsJH4aNAGBJ4"', 'may not contain spaces or quotes'],
      ['whsec_XXXXXXXXXXXXXXXXXXXXXXXX', 'is the placeholder from .env.example'],
    ])('refuses %j, saying where the real one is, without printing it', (secret, message) => {
      const problem = problemFor({ ...valid, WORKOS_WEBHOOK_SECRET: secret }, 'WORKOS_WEBHOOK_SECRET');
      expect(problem).toContain(message);
      expect(problem).toContain('WorkOS dashboard → Webhooks');
      expect(problem).not.toContain(secret);
    });

    it('refuses only the placeholder itself: a secret that begins or ends with whsec_XXXX… is read as it is', () => {
      for (const secret of ['whsec_XXXXXXXXXXXXXXXXXXXXXXXXq8', 'q8whsec_XXXXXXXXXXXXXXXXXXXXXXXX']) {
        expect(parseAuthConfig({ ...valid, WORKOS_WEBHOOK_SECRET: secret })).toMatchObject({ ok: true, config: { webhookSecret: secret } });
      }
    });
  });
  // demo:end webhooks

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

  describe('the placeholders of .env.example (copied as they are, they would send fake keys to WorkOS)', () => {
    const example = Object.fromEntries(
      [...readFileSync('.env.example', 'utf8').matchAll(/^(WORKOS_CLIENT_ID|WORKOS_API_KEY)=(.*)$/gm)].map(([, name, value]) => [
        name,
        value,
      ]),
    );

    it('are what this rule knows', () => {
      expect(example).toEqual({
        WORKOS_CLIENT_ID: 'client_01XXXXXXXXXXXXXXXXXXXXXXXX',
        WORKOS_API_KEY: 'sk_test_XXXXXXXXXXXXXXXXXXXXXXXX',
      });
    });

    it('are refused, each saying so and where real ones come from, and nothing else about them', () => {
      expect(problemsOf({ ...valid, ...example })).toEqual([
        {
          variable: 'WORKOS_CLIENT_ID',
          message:
            'is the placeholder from .env.example, not a real Client ID. Copy yours from the WorkOS dashboard → API Keys, or run `npm run dev:mock` to try the app without a WorkOS account.',
        },
        {
          variable: 'WORKOS_API_KEY',
          message:
            'is the placeholder from .env.example, not a real secret key. Copy yours from the WorkOS dashboard → API Keys, or run `npm run dev:mock` to try the app without a WorkOS account.',
        },
      ]);
    });

    it('are refused at any length, and real-looking ids with X in them are not', () => {
      expect(problemFor({ ...valid, WORKOS_CLIENT_ID: 'client_01XXXX' }, 'WORKOS_CLIENT_ID')).toContain('placeholder');
      expect(problemFor({ ...valid, WORKOS_API_KEY: 'sk_test_X' }, 'WORKOS_API_KEY')).toContain('placeholder');
      expect(parseAuthConfig({ ...valid, WORKOS_CLIENT_ID: 'client_01HXXXXQ8ZK', WORKOS_API_KEY: 'sk_test_XXXXa1' }).ok).toBe(true);
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
        problemFor(
          { ...valid, NEXT_PUBLIC_WORKOS_REDIRECT_URI: 'http://app.example.com/api/auth/callback' },
          'NEXT_PUBLIC_WORKOS_REDIRECT_URI',
        ),
      ).toContain('https');
    });

    it('rejects a path that is not the callback route', () => {
      expect(
        problemFor({ ...valid, NEXT_PUBLIC_WORKOS_REDIRECT_URI: 'http://localhost:3000/callback' }, 'NEXT_PUBLIC_WORKOS_REDIRECT_URI'),
      ).toBe(
        'must point at this app\'s callback route /api/auth/callback (got "/callback"), e.g. http://localhost:3000/api/auth/callback.',
      );
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
      const https = parseAuthConfig({
        ...valid,
        NEXT_PUBLIC_WORKOS_REDIRECT_URI: 'https://app.example.com/api/auth/callback',
        WORKOS_COOKIE_SAMESITE: 'none',
      });
      expect(https.ok && https.config.cookie.sameSite).toBe('none');
      // Without a redirect URI, that one is the problem reported.
      expect(
        problemsOf({ ...valid, NEXT_PUBLIC_WORKOS_REDIRECT_URI: undefined, WORKOS_COOKIE_SAMESITE: 'none' }).map((p) => p.variable),
      ).toEqual(['NEXT_PUBLIC_WORKOS_REDIRECT_URI']);
    });
  });

  describe('WorkOS API host', () => {
    it.each(['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]'])('accepts the loopback host %s for the mock', (hostname) => {
      const result = parseAuthConfig({ ...valid, WORKOS_API_HOSTNAME: hostname, WORKOS_API_PORT: '4010', WORKOS_API_HTTPS: 'false' });
      expect(result.ok && result.config.api).toMatchObject({ hostname, port: 4010, https: false, isLoopback: true });
      expect(result.ok && new URL(result.config.api.origin).port).toBe('4010');
    });

    it.each(['api.workos.com', 'auth.workos.com'])('accepts the WorkOS host %s', (hostname) => {
      expect(parseAuthConfig({ ...valid, WORKOS_API_HOSTNAME: hostname }).ok).toBe(true);
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

    it.each(['0', '65536', 'http', '1e3', '0x10', '+80'])('rejects the port %s', (port) => {
      expect(problemFor({ ...valid, WORKOS_API_PORT: port }, 'WORKOS_API_PORT')).toContain('between 1 and 65535');
    });

    it.each([
      ['1', 1],
      ['65535', 65535],
    ])('accepts the port %s', (port, number) => {
      const result = parseAuthConfig({ ...valid, WORKOS_API_HOSTNAME: 'localhost', WORKOS_API_PORT: port, WORKOS_API_HTTPS: 'false' });
      expect(result.ok && result.config.api.port).toBe(number);
    });

    it('rejects WORKOS_API_HTTPS values other than true/false', () => {
      expect(problemFor({ ...valid, WORKOS_API_HTTPS: 'yes' }, 'WORKOS_API_HTTPS')).toContain('true or false');
    });

    it('refuses plain HTTP to the real WorkOS API', () => {
      expect(problemFor({ ...valid, WORKOS_API_HTTPS: 'false' }, 'WORKOS_API_HTTPS')).toContain('loopback');
    });
  });
});

describe('APP_ALLOWED_ORIGINS', () => {
  const https = { ...valid, NEXT_PUBLIC_WORKOS_REDIRECT_URI: 'https://app.example.com/api/auth/callback' };
  const allowed = (value: string, extra: Record<string, string> = {}) => {
    const result = parseAuthConfig({ ...https, ...extra, APP_ALLOWED_ORIGINS: value });
    if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
    return result.config.allowedOrigins.map((origin) => origin.entry);
  };
  const problems = (value: string, extra: Record<string, string> = {}) =>
    problemsOf({ ...https, ...extra, APP_ALLOWED_ORIGINS: value })
      .filter((p) => p.variable === 'APP_ALLOWED_ORIGINS')
      .map((p) => p.message);

  it('is optional: the redirect URI’s origin is always allowed, first', () => {
    expect(allowed('')).toEqual(['https://app.example.com']);
    expect(allowed('https://www.example.org, https://*-acme.vercel.app\nhttp://localhost:3000')).toEqual([
      'https://app.example.com',
      'https://www.example.org',
      'https://*-acme.vercel.app',
      'http://localhost:3000',
    ]);
  });

  it('takes a pattern apart: one wildcard in the first label, the rest fixed', () => {
    const result = parseAuthConfig({ ...https, APP_ALLOWED_ORIGINS: 'https://app-*-acme.vercel.app' });
    expect(result.ok && result.config.allowedOrigins[1]).toEqual({
      kind: 'pattern',
      scheme: 'https',
      labelPrefix: 'app-',
      labelSuffix: '-acme',
      domain: 'vercel.app',
      port: '',
      entry: 'https://app-*-acme.vercel.app',
    });
  });

  it.each([
    ['http://www.example.org', 'must use https unless it is a loopback address'],
    ['http://*-acme.example.org', 'must use https'],
    ['https://www.example.org/app', 'origin only'],
    ['https://user@www.example.org', 'origin only'],
    ['https://www.example.org?x=1', 'origin only'],
    ['www.example.org', 'not an origin'],
    ['ftp://www.example.org', 'must use http or https'],
    ['https://*.*.example.org', 'more than one "*"'],
    ['https://preview.*.example.org', 'inside the first label'],
    ['https://*.com', 'at least two fixed labels'],
    ['https://*:8443', 'at least two fixed labels'],
    ['https://*-acme.vercel.app/app', 'origin only'],
    ['https://*.exa_mple.com', 'inside the first label'],
    // A path the URL parser hides: a dot segment, or a backslash it reads as a slash.
    ['https://www.example.org/.', 'origin only'],
    ['http://localhost:3000/.', 'origin only'],
    ['https://www.example.org\\app', 'origin only'],
    ['https://www.example.org\\.', 'origin only'],
    // Spelt without `//`, the parser still reads a host, and a path it hides after it.
    ['https:www.example.org/a/..', 'origin only'],
    ['https:/www.example.org', 'origin only'],
    ['https://www.example.org#top', 'origin only'],
    // A control character the parser drops at either end.
    ['\u0001https://www.example.org', 'origin only'],
    ['https://www.example.org\u0001', 'origin only'],
    // Anyone can serve a host under a public suffix (ICANN or private section): the safe form keeps a part of the label.
    [
      'https://*.vercel.app',
      '"https://*.vercel.app": vercel.app is a public suffix: anyone can serve a host that matches. Use a pattern with a part only you control, e.g. https://*-acme.vercel.app.',
    ],
    ['https://*.co.uk', 'e.g. https://*-acme.co.uk'],
    ['https://*.github.io', 'github.io is a public suffix'],
    ['https://*.herokuapp.com', 'herokuapp.com is a public suffix'],
    ['https://*.pages.dev:8443', 'e.g. https://*-acme.pages.dev:8443'],
  ])('rejects %s with a message that says what to do', (value, message) => {
    const found = problems(value);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(message);
    expect(found[0]).toContain(value);
  });

  it('allows a wildcard whose fixed part only its owner controls', () => {
    expect(allowed('https://*-acme.vercel.app, https://*.acme.co.uk, https://pr-*.acme.github.io, https://*.example.com')).toHaveLength(5);
  });

  it('refuses a host listed with both schemes: the scheme comes from the list, never from the request', () => {
    const found = problemsOf({ ...valid, APP_ALLOWED_ORIGINS: 'https://localhost:3000' }).map((p) => p.message);
    expect(found).toEqual([expect.stringContaining('lists localhost:3000 with both http and https')]);
    // http's default port written out on the https entry: the same host and port.
    expect(
      problemsOf({
        ...valid,
        NEXT_PUBLIC_WORKOS_REDIRECT_URI: 'http://localhost/api/auth/callback',
        APP_ALLOWED_ORIGINS: 'https://localhost:80',
      }).map((p) => p.message),
    ).toEqual([expect.stringContaining('lists localhost:80 with both http and https')]);
    // https's default port without a port, against http on 443: the same host and port too.
    expect(
      problemsOf({
        ...valid,
        NEXT_PUBLIC_WORKOS_REDIRECT_URI: 'http://localhost:443/api/auth/callback',
        APP_ALLOWED_ORIGINS: 'https://localhost',
      }).map((p) => p.message),
    ).toEqual([expect.stringContaining('lists localhost:443 with both http and https')]);
  });

  it('reads entries between any commas, spaces and newlines, blank ends included', () => {
    expect(allowed(' https://www.example.org,,\n https://staging.example.com ,')).toEqual([
      'https://app.example.com',
      'https://www.example.org',
      'https://staging.example.com',
    ]);
  });

  it('lists an origin given twice once', () => {
    expect(allowed('https://www.example.org, https://www.example.org')).toEqual(['https://app.example.com', 'https://www.example.org']);
  });

  it('without a value, is the redirect URI’s origin alone, with no problem', () => {
    expect(parseAllowedOrigins(undefined, { redirectUri: 'https://app.example.com/api/auth/callback' })).toEqual({
      origins: [{ kind: 'exact', scheme: 'https', hostname: 'app.example.com', port: '', entry: 'https://app.example.com' }],
      problems: [],
    });
  });

  it('is not judged against a redirect URI that is not a URL (that one has its own message)', () => {
    expect(problemsOf({ ...https, NEXT_PUBLIC_WORKOS_REDIRECT_URI: 'not a url', APP_ALLOWED_ORIGINS: 'https://www.example.org' })).toEqual([
      { variable: 'NEXT_PUBLIC_WORKOS_REDIRECT_URI', message: expect.any(String) },
    ]);
  });

  it('reports every bad entry at once', () => {
    expect(problems('http://a.example.org, https://b.example.org/x, https://ok.example.org')).toHaveLength(2);
  });

  it('refuses an origin the cookie domain does not cover: the browser would drop its session cookie', () => {
    expect(problems('https://www.example.org', { WORKOS_COOKIE_DOMAIN: 'example.com' })[0]).toContain(
      'outside WORKOS_COOKIE_DOMAIN (example.com)',
    );
    expect(allowed('https://www.example.com, https://*-preview.example.com', { WORKOS_COOKIE_DOMAIN: '.example.com' })).toHaveLength(3);
  });

  it('reads an origin written in capitals as the URL parser does', () => {
    const result = parseAuthConfig({ ...https, APP_ALLOWED_ORIGINS: 'HTTPS://WWW.Example.ORG:8443' });
    expect(result.ok && result.config.allowedOrigins[1]).toEqual({
      kind: 'exact',
      scheme: 'https',
      hostname: 'www.example.org',
      port: '8443',
      entry: 'HTTPS://WWW.Example.ORG:8443',
    });
  });

  it('allows loopback origins over http, on any port', () => {
    expect(allowed('http://localhost:3000, http://127.0.0.1:3000, http://[::1]:3000')).toHaveLength(4);
  });
});

describe('a problem that is not about one variable', () => {
  it('is reported as the environment’s', () => {
    expect(parseAuthConfig(null as unknown as Record<string, string>)).toEqual({
      ok: false,
      problems: [{ variable: 'environment', message: expect.any(String) }],
    });
  });

  it('is thrown as an AuthConfigError, named so in logs', () => {
    expect(() => assertAuthConfig({})).toThrow(expect.objectContaining({ name: 'AuthConfigError' }));
  });
});

describe('isLoopbackHost', () => {
  it.each([
    'localhost',
    'LOCALHOST',
    'app.localhost',
    '127.0.0.1',
    '127.255.255.254',
    '::1',
    '[::1]',
    '0:0:0:0:0:0:0:1',
    '[0:0:0:0:0:0:0:1]',
  ])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each([
    'example.com',
    '0.0.0.0',
    '127.0.0.256',
    '127.0.0',
    '::2',
    'localhost.example.com',
    '169.254.1.1',
    '127.0.0.1e2',
    '[local]host',
    'local[host]',
  ])('%s is not loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
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

describe('buildConfigProblems (what stops `next build`)', () => {
  const SWITCH = { WORKOS_BUILD_WITHOUT_CONFIG: '1' };

  it('without the switch, is every problem, exactly as at start', () => {
    expect(buildConfigProblems({})).toEqual(problemsOf({}));
    expect(buildConfigProblems({ WORKOS_BUILD_WITHOUT_CONFIG: '0' })).toEqual(problemsOf({}));
    expect(buildConfigProblems({ WORKOS_BUILD_WITHOUT_CONFIG: 'false' })).toEqual(problemsOf({}));
  });

  it('reads the switch without the blanks around it (`WORKOS_BUILD_WITHOUT_CONFIG= 1 ` in a .env file)', () => {
    expect(buildConfigProblems({ WORKOS_BUILD_WITHOUT_CONFIG: ' 1 ' })).toEqual([]);
  });

  it('with the switch, lets a build run without any WorkOS value', () => {
    expect(buildConfigProblems(SWITCH)).toEqual([]);
    expect(buildConfigProblems({ WORKOS_BUILD_WITHOUT_CONFIG: 'true' })).toEqual([]);
  });

  it('with the switch, treats blank required values (`FOO=` in a .env file) as absent', () => {
    expect(buildConfigProblems({ ...SWITCH, WORKOS_CLIENT_ID: '', NEXT_PUBLIC_WORKOS_REDIRECT_URI: ' ' })).toEqual([]);
  });

  it('with the switch, still refuses a value that is set but wrong', () => {
    expect(buildConfigProblems({ ...SWITCH, WORKOS_CLIENT_ID: 'sk_test_abc' }).map((p) => p.variable)).toEqual(['WORKOS_CLIENT_ID']);
    expect(
      buildConfigProblems({ ...SWITCH, NEXT_PUBLIC_WORKOS_REDIRECT_URI: 'http://app.example.com/api/auth/callback' }).map(
        (p) => p.variable,
      ),
    ).toEqual(['NEXT_PUBLIC_WORKOS_REDIRECT_URI']);
    expect(buildConfigProblems({ ...SWITCH, WORKOS_API_PORT: '0' }).map((p) => p.variable)).toEqual(['WORKOS_API_PORT']);
  });

  it('with the switch and every value set, applies the cross-variable rules too', () => {
    expect(buildConfigProblems({ ...valid, ...SWITCH, WORKOS_API_HOSTNAME: 'evil.example' }).map((p) => p.variable)).toEqual([
      'WORKOS_API_HOSTNAME',
    ]);
  });

  it('refuses a switch value it does not understand instead of guessing', () => {
    expect(buildConfigProblems({ ...valid, WORKOS_BUILD_WITHOUT_CONFIG: 'yes' })).toEqual([
      { variable: 'WORKOS_BUILD_WITHOUT_CONFIG', message: 'must be 1 (build without the WorkOS values) or unset; got "yes".' },
    ]);
  });

  it('is empty for a complete, valid environment', () => {
    expect(buildConfigProblems(valid)).toEqual([]);
  });
});

describe('buildWithoutConfigHint', () => {
  it('names the switch when a required value is missing', () => {
    expect(buildWithoutConfigHint({ ...valid, WORKOS_API_KEY: undefined })).toContain('WORKOS_BUILD_WITHOUT_CONFIG=1');
  });

  it('says nothing when every required value is there (a malformed one is not fixed by the switch)', () => {
    expect(buildWithoutConfigHint({ ...valid, WORKOS_CLIENT_ID: 'nope' })).toBeUndefined();
  });
});
