import { beforeEach, describe, expect, it, vi } from 'vitest';
import { freePort } from '@/test/free-port';
import { TEST_ENV } from '@/test/auth-config';
import { parseAuthConfig, type AuthConfig } from '@/lib/auth/config/env';
import { MAX_COOKIE_BYTES } from '@/lib/auth/authkit/session-chunks';
import type { RedisConnection } from '@/lib/redis/connection';
import { BOUND_MARGIN, TEST_REDIS_TIMEOUTS, withRedisServer } from '@/test/redis-server-for-tests';
import type { RedisStatusEvent } from '@/lib/redis/connection';
import {
  PROVIDER_TOKENS_COOKIE,
  TokenStoreUnavailableError,
  TokensTooLargeForCookieError,
  createOAuthTokenStore,
  getConnectedProvider,
  providerForAuthenticationMethod,
  redisTokenStore,
  sealedCookieTokenStore,
  storeProviderTokens,
  type OAuthTokenStore,
  type StoredOAuthTokens,
} from './provider-tokens';

/**
 * The browser's cookies as the cookie store sees them: what the app-cookie
 * helpers would set on the response, and what the next request would carry.
 */
const jar = vi.hoisted(() => ({ values: new Map<string, string>(), calls: [] as string[] }));

vi.mock('next/headers', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  cookies: async () => ({ get: (name: string) => (jar.values.has(name) ? { name, value: jar.values.get(name) } : undefined) }),
  headers: async () => new Headers(),
}));

vi.mock('@/lib/auth', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  setAppCookie: async (name: string, value: string, maxAgeSeconds: number) => {
    jar.calls.push(`set ${name} maxAge=${maxAgeSeconds}`);
    jar.values.set(`app-${name}`, value);
  },
  deleteAppCookie: async (name: string) => {
    jar.calls.push(`delete ${name}`);
    jar.values.delete(`app-${name}`);
  },
}));

beforeEach(() => {
  jar.values.clear();
  jar.calls.length = 0;
  // The cookie store reads its cookie under the deployment's name: with a cookie domain, no `__Host-` prefix.
  for (const [name, value] of Object.entries({ ...TEST_ENV, WORKOS_COOKIE_DOMAIN: 'example.com' })) vi.stubEnv(name, value);
});

/** The name the browser keeps it under: the app's cookie namespace, no `__Host-` prefix with a cookie domain. */
const STORED_NAME = `app-${PROVIDER_TOKENS_COOKIE}`;
const PASSWORD = 'p'.repeat(32);
const OTHER_PASSWORD = 'q'.repeat(32);
const USER_ID = 'user_01JUSERIDVISIBLEINFILENAME';

const tokens: StoredOAuthTokens = {
  provider: 'Google',
  accessToken: 'ya29.ACCESS-TOKEN-PLAINTEXT-MARKER',
  refreshToken: '1//REFRESH-TOKEN-PLAINTEXT-MARKER',
  expiresAt: 1_800_000_000,
  scopes: ['openid', 'email', 'https://www.googleapis.com/auth/calendar.readonly'],
  storedAt: 1_700_000_000,
};

describe('providerForAuthenticationMethod', () => {
  it.each([
    ['GoogleOAuth', 'Google'],
    ['MicrosoftOAuth', 'Microsoft'],
    ['GitHubOAuth', 'GitHub'],
    ['AppleOAuth', 'Apple'],
  ])('maps %s to %s', (method, provider) => {
    expect(providerForAuthenticationMethod(method)).toBe(provider);
  });

  it.each([['Password'], ['SSO'], ['MagicAuth'], ['Passkey'], ['Impersonation'], ['googleoauth'], ['']])(
    'has no provider for %j',
    (method) => {
      expect(providerForAuthenticationMethod(method)).toBeUndefined();
    },
  );

  it('has no provider when the method is unknown', () => {
    expect(providerForAuthenticationMethod(undefined)).toBeUndefined();
  });
});

describe('getConnectedProvider', () => {
  function storeHolding(held: Record<string, StoredOAuthTokens>): OAuthTokenStore {
    return {
      save: () => Promise.reject(new Error('read-only')),
      get: (userId) => Promise.resolve(held[userId] ?? null),
      delete: () => Promise.reject(new Error('read-only')),
    };
  }

  it('exposes provider, scopes and expiry as a Date, and no token', async () => {
    const connected = await getConnectedProvider(USER_ID, storeHolding({ [USER_ID]: tokens }));
    expect(connected).toEqual({
      provider: 'Google',
      scopes: tokens.scopes,
      expiresAt: new Date(1_800_000_000_000),
    });
    expect(connected !== 'unavailable' && connected?.expiresAt).toBeInstanceOf(Date);
    expect(Object.keys(connected ?? {}).sort()).toEqual(['expiresAt', 'provider', 'scopes']);
    expect(JSON.stringify(connected)).not.toContain('PLAINTEXT-MARKER');
  });

  it('returns null for a user without tokens', async () => {
    expect(await getConnectedProvider('user_other', storeHolding({ [USER_ID]: tokens }))).toBeNull();
  });

  it('works on top of the sealed cookie store', async () => {
    const store = sealedCookieTokenStore(PASSWORD, 3600);
    await store.save(USER_ID, tokens);
    expect(await getConnectedProvider(USER_ID, store)).toEqual({
      provider: 'Google',
      scopes: tokens.scopes,
      expiresAt: new Date(tokens.expiresAt * 1000),
    });
  });
});

describe('storeProviderTokens', () => {
  const oauthTokens = { accessToken: 'gho_token', refreshToken: 'ghr_token', expiresAt: 1_800_000_000, scopes: ['read:user'] };

  it("keeps a social sign-in's tokens under its provider, and logs it without a token", async () => {
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    const store = sealedCookieTokenStore(PASSWORD, 3600);
    await storeProviderTokens({ user: { id: USER_ID } as never, authenticationMethod: 'GitHubOAuth', oauthTokens }, store);
    expect(await store.get(USER_ID)).toEqual({ provider: 'GitHub', ...oauthTokens, storedAt: expect.any(Number) });
    expect(info.mock.calls.map(([line]) => JSON.parse(String(line)))).toEqual([
      expect.objectContaining({ event: 'oauth_tokens_stored', userId: USER_ID, provider: 'GitHub' }),
    ]);
    expect(String(info.mock.calls[0]?.[0])).not.toMatch(/gho_token|ghr_token/);
    info.mockRestore();
  });

  it('keeps nothing for a sign-in that is not social, or without tokens', async () => {
    const store = sealedCookieTokenStore(PASSWORD, 3600);
    await storeProviderTokens({ user: { id: USER_ID } as never, authenticationMethod: 'Password', oauthTokens }, store);
    await storeProviderTokens({ user: { id: USER_ID } as never, authenticationMethod: 'GoogleOAuth', oauthTokens: undefined }, store);
    expect(jar.calls).toEqual([]);
  });
});

describe('getConnectedProvider when the store is down', () => {
  const failingWith = (error: Error): OAuthTokenStore => ({
    save: () => Promise.reject(error),
    get: () => Promise.reject(error),
    delete: () => Promise.reject(error),
  });

  it('answers "unavailable" (the panel degrades, the page does not fail) and logs it without a token', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const diskError = Object.assign(new Error(`EACCES ${tokens.accessToken}`), { code: 'EACCES' });
    expect(await getConnectedProvider(USER_ID, failingWith(diskError))).toBe('unavailable');
    expect(JSON.parse(String(warn.mock.calls[0]?.[0]))).toMatchObject({
      event: 'provider_tokens_read_failed',
      userId: USER_ID,
      reason: 'Error code=EACCES',
    });
    expect(String(warn.mock.calls[0]?.[0])).not.toContain('PLAINTEXT-MARKER');
    warn.mockRestore();
  });

  it('answers "unavailable" without a line of its own when Redis is unavailable: the connection logs that, once per outage', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(await getConnectedProvider(USER_ID, failingWith(new TokenStoreUnavailableError('x')))).toBe('unavailable');
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });
});

describe('the sealed cookie store (the default without Redis: nothing on the server disk)', () => {
  const store = sealedCookieTokenStore(PASSWORD, 3600);

  it('round-trips through one sealed HttpOnly cookie that lives as long as the session', async () => {
    await store.save(USER_ID, tokens);
    expect(await store.get(USER_ID)).toEqual(tokens);
    // Attributes (HttpOnly, Secure per origin, Domain, SameSite) are the app-cookie helpers' (lib/auth/cookies.test.ts).
    expect(jar.calls).toEqual([`set ${PROVIDER_TOKENS_COOKIE} maxAge=3600`]);
    const sealed = jar.values.get(STORED_NAME) ?? '';
    expect(sealed.startsWith('Fe26.2*')).toBe(true);
    expect(sealed).not.toContain('PLAINTEXT-MARKER');
    expect(sealed).not.toContain('calendar.readonly');
    expect(sealed).not.toContain(USER_ID);
  });

  it('round-trips tokens without a refresh token', async () => {
    const withoutRefresh = { ...tokens, refreshToken: undefined };
    await store.save(USER_ID, withoutRefresh);
    const stored = await store.get(USER_ID);
    expect(stored).toEqual(withoutRefresh);
    expect(stored).not.toHaveProperty('refreshToken');
  });

  it("never reads one user's cookie as another user's tokens", async () => {
    await store.save('user_a', tokens);
    expect(await store.get('user_b')).toBeNull();
  });

  it('reads a cookie sealed with another password, or tampered with, as none', async () => {
    await sealedCookieTokenStore(OTHER_PASSWORD, 3600).save(USER_ID, tokens);
    expect(await store.get(USER_ID)).toBeNull();
    jar.values.set(STORED_NAME, 'Fe26.2*garbage');
    expect(await store.get(USER_ID)).toBeNull();
  });

  describe('a corrupted cookie reads as none', () => {
    async function corrupt(change: (sealed: string) => string): Promise<StoredOAuthTokens | null> {
      await store.save(USER_ID, tokens);
      jar.values.set(STORED_NAME, change(jar.values.get(STORED_NAME) ?? ''));
      return store.get(USER_ID);
    }

    it('garbage', async () => {
      expect(await corrupt(() => 'not a seal')).toBeNull();
    });

    it('an empty value', async () => {
      expect(await corrupt(() => '')).toBeNull();
    });

    it('truncated', async () => {
      expect(await corrupt((sealed) => sealed.slice(0, sealed.length / 2))).toBeNull();
    });

    it('one character of the ciphertext changed', async () => {
      expect(
        await corrupt((sealed) => {
          const parts = sealed.split('*');
          const ciphertext = parts[4] ?? '';
          parts[4] = (ciphertext[0] === 'A' ? 'B' : 'A') + ciphertext.slice(1);
          return parts.join('*');
        }),
      ).toBeNull();
    });
  });

  it('refuses to save tokens of the wrong shape, and sets no cookie', async () => {
    const broken = { ...tokens, expiresAt: 'tomorrow' } as unknown as StoredOAuthTokens;
    await expect(store.save(USER_ID, broken)).rejects.toThrow();
    expect(jar.calls).toEqual([]);
  });

  it('deletes through the app-cookie helper (which expires it with the attributes it was set with)', async () => {
    await store.save(USER_ID, tokens);
    await store.delete(USER_ID);
    expect(jar.calls).toEqual([`set ${PROVIDER_TOKENS_COOKIE} maxAge=3600`, `delete ${PROVIDER_TOKENS_COOKIE}`]);
    expect(await store.get(USER_ID)).toBeNull();
  });

  it('refuses tokens that would not fit in a cookie, and removes an older seal instead of keeping it', async () => {
    await store.save(USER_ID, tokens);
    const huge = { ...tokens, accessToken: 'x'.repeat(MAX_COOKIE_BYTES) };
    await expect(store.save(USER_ID, huge)).rejects.toBeInstanceOf(TokensTooLargeForCookieError);
    expect(jar.values.has(STORED_NAME)).toBe(false);
  });

  it("storeProviderTokens lets the too-large error reach the callback's hook runner (which logs it and goes on)", async () => {
    const huge = { accessToken: 'x'.repeat(MAX_COOKIE_BYTES), refreshToken: 'r', expiresAt: 1, scopes: [] };
    await expect(
      storeProviderTokens({ user: { id: USER_ID } as never, authenticationMethod: 'MicrosoftOAuth', oauthTokens: huge }, store),
    ).rejects.toBeInstanceOf(TokensTooLargeForCookieError);
  });
});

describe('the Redis store (a real redis-server)', () => {
  const redis = withRedisServer();
  const connect = (url?: string) => redis.connect(url);

  it('is shared: tokens saved through one instance are read through another, and deleted for both', async () => {
    const one = redisTokenStore(connect(), PASSWORD, 3600);
    const two = redisTokenStore(connect(), PASSWORD, 3600);
    await one.save(USER_ID, tokens);
    expect(await two.get(USER_ID)).toEqual(tokens);
    await two.delete(USER_ID);
    expect(await one.get(USER_ID)).toBeNull();
  });

  it('keeps users apart, and never reads a seal made with another password', async () => {
    const store = redisTokenStore(connect(), PASSWORD, 3600);
    const other = { ...tokens, provider: 'GitHub', accessToken: 'gho_other' };
    await store.save('user_a', tokens);
    await store.save('user_b', other);
    expect(await store.get('user_a')).toEqual(tokens);
    expect(await store.get('user_b')).toEqual(other);
    expect(await redisTokenStore(connect(), OTHER_PASSWORD, 3600).get('user_a')).toBeNull();
    await store.delete('user_a');
    await store.delete('user_b');
  });

  it('keeps a seal under a hash of the user id, expiring with the session', async () => {
    await redisTokenStore(connect(), PASSWORD, 3600).save(USER_ID, tokens);
    const keys = await redis.inspector.keys('authkit:provider-tokens:*');
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^authkit:provider-tokens:[0-9a-f]{64}$/);
    const stored = await redis.inspector.get(keys[0] ?? '');
    expect(stored?.startsWith('Fe26.2*')).toBe(true);
    expect(stored).not.toContain('PLAINTEXT-MARKER');
    const ttl = await redis.inspector.ttl(keys[0] ?? '');
    expect(ttl).toBeGreaterThan(3590);
    expect(ttl).toBeLessThanOrEqual(3600);
    await redis.inspector.del(keys[0] ?? '');
  });

  it('says it is unavailable, within the bound, when Redis refuses connections or stops answering', async () => {
    const refused = redisTokenStore(connect(`redis://127.0.0.1:${await freePort()}`), PASSWORD, 3600);
    await expect(refused.save(USER_ID, tokens)).rejects.toBeInstanceOf(TokenStoreUnavailableError);
    await expect(refused.get(USER_ID)).rejects.toBeInstanceOf(TokenStoreUnavailableError);
    await expect(refused.delete(USER_ID)).rejects.toBeInstanceOf(TokenStoreUnavailableError);

    const store = redisTokenStore(connect(), PASSWORD, 3600);
    await store.get(USER_ID);
    redis.server.pause();
    const started = performance.now();
    await expect(store.get(USER_ID)).rejects.toBeInstanceOf(TokenStoreUnavailableError);
    expect(performance.now() - started).toBeLessThan(TEST_REDIS_TIMEOUTS.commandTimeoutMs * BOUND_MARGIN);
  });

  it('renders during an outage log no line each: the connection reports the outage once', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const events: RedisStatusEvent[] = [];
    const store = redisTokenStore(
      redis.connect(undefined, (event) => events.push(event)),
      PASSWORD,
      3600,
    );
    await store.save(USER_ID, tokens);
    redis.server.pause();
    for (let render = 0; render < 5; render++) expect(await getConnectedProvider(USER_ID, store)).toBe('unavailable');
    expect(warn).not.toHaveBeenCalled();
    expect(events.map((event) => event.status)).toEqual(['unavailable']);
    warn.mockRestore();
  });
});

describe('createOAuthTokenStore', () => {
  const env = {
    WORKOS_CLIENT_ID: 'client_01HXYZ',
    WORKOS_API_KEY: 'sk_test_abc123',
    WORKOS_COOKIE_PASSWORD: PASSWORD,
    NEXT_PUBLIC_WORKOS_REDIRECT_URI: 'https://app.example.com/api/auth/callback',
    WORKOS_COOKIE_MAX_AGE: '7200',
  };
  const configWith = (extra: Record<string, string>): AuthConfig => {
    const result = parseAuthConfig({ ...env, ...extra });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    return result.config;
  };

  it('uses a sealed cookie that lives as long as the session by default: nothing is written to the server disk', async () => {
    const store = createOAuthTokenStore(configWith({}), undefined);
    await store.save(USER_ID, tokens);
    expect(jar.calls).toEqual([`set ${PROVIDER_TOKENS_COOKIE} maxAge=7200`]);
    expect(await store.get(USER_ID)).toEqual(tokens);
  });

  it('uses Redis when REDIS_URL is set: a seal expiring with the session, and no cookie', async () => {
    const commands: unknown[][] = [];
    const client = { set: async (...args: unknown[]) => commands.push(args) };
    const redis: RedisConnection = {
      attempt: async (operation) => ({ ok: true, value: await operation(client as never) }),
      close: async () => {},
    };
    await createOAuthTokenStore(configWith({ REDIS_URL: 'redis://localhost:6379' }), redis).save(USER_ID, tokens);
    expect(commands).toEqual([
      [expect.stringMatching(/^authkit:provider-tokens:[0-9a-f]{64}$/), expect.stringMatching(/^Fe26\.2\*/), { EX: 7200 }],
    ]);
    expect(jar.calls).toEqual([]);
  });
});
