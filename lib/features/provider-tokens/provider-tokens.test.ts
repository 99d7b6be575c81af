import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { freePort } from '@/test/free-port';
import { parseAuthConfig, type AuthConfig } from '@/lib/auth/config/env';
import { MAX_COOKIE_BYTES } from '@/lib/auth/authkit/session-chunks';
import { BOUND_MARGIN, TEST_REDIS_TIMEOUTS, withRedisServer } from '@/test/redis-server-for-tests';
import type { RedisStatusEvent } from '@/lib/redis/connection';
import {
  EncryptedFileTokenStore,
  PROVIDER_TOKENS_COOKIE,
  RedisTokenStore,
  SealedCookieTokenStore,
  TokenStoreUnavailableError,
  TokensTooLargeForCookieError,
  createOAuthTokenStore,
  getConnectedProvider,
  providerForAuthenticationMethod,
  storeProviderTokens,
  type AppCookieStore,
  type OAuthTokenStore,
  type StoredOAuthTokens,
} from './provider-tokens';

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

let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'oauth-tokens-test-'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function onlyFile(): Promise<string> {
  const files = await readdir(directory);
  expect(files).toHaveLength(1);
  return path.join(directory, files[0] ?? '');
}

describe('EncryptedFileTokenStore', () => {
  it('round-trips save and get', async () => {
    const store = new EncryptedFileTokenStore(directory, PASSWORD);
    await store.save(USER_ID, tokens);
    expect(await store.get(USER_ID)).toEqual(tokens);
  });

  it('round-trips tokens without a refresh token', async () => {
    const store = new EncryptedFileTokenStore(directory, PASSWORD);
    const withoutRefresh = { ...tokens, refreshToken: undefined };
    await store.save(USER_ID, withoutRefresh);
    const stored = await store.get(USER_ID);
    expect(stored).toEqual(withoutRefresh);
    expect(stored).not.toHaveProperty('refreshToken');
  });

  it('creates the directory when it does not exist yet', async () => {
    const nested = path.join(directory, 'a', 'b');
    const store = new EncryptedFileTokenStore(nested, PASSWORD);
    await store.save(USER_ID, tokens);
    expect(await store.get(USER_ID)).toEqual(tokens);
  });

  it('never writes a token in plain text', async () => {
    await new EncryptedFileTokenStore(directory, PASSWORD).save(USER_ID, tokens);
    const contents = await readFile(await onlyFile(), 'utf8');
    expect(contents.length).toBeGreaterThan(0);
    expect(contents).not.toContain('ACCESS-TOKEN-PLAINTEXT-MARKER');
    expect(contents).not.toContain('REFRESH-TOKEN-PLAINTEXT-MARKER');
    expect(contents).not.toContain('calendar.readonly');
    expect(contents.startsWith('Fe26.2*')).toBe(true);
  });

  it('names the file by a hash of the user id, never the id itself', async () => {
    await new EncryptedFileTokenStore(directory, PASSWORD).save(USER_ID, tokens);
    const name = path.basename(await onlyFile());
    expect(name).toMatch(/^[0-9a-f]{64}\.sealed$/);
    expect(name).not.toContain(USER_ID);
    expect(name).not.toContain('user_');
  });

  it('keeps a path-like user id inside the directory', async () => {
    const store = new EncryptedFileTokenStore(directory, PASSWORD);
    await store.save('../../escape', tokens);
    expect(path.dirname(await onlyFile())).toBe(directory);
    expect(await store.get('../../escape')).toEqual(tokens);
  });

  it('leaves only the sealed file behind, readable by its owner only', async () => {
    await new EncryptedFileTokenStore(directory, PASSWORD).save(USER_ID, tokens);
    const file = await onlyFile();
    expect(file.endsWith('.sealed')).toBe(true);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('overwrites the previous tokens of the same user', async () => {
    const store = new EncryptedFileTokenStore(directory, PASSWORD);
    await store.save(USER_ID, tokens);
    const renewed = { ...tokens, accessToken: 'renewed', expiresAt: tokens.expiresAt + 3600 };
    await store.save(USER_ID, renewed);
    expect(await store.get(USER_ID)).toEqual(renewed);
    expect(await readdir(directory)).toHaveLength(1);
  });

  it('keeps users apart', async () => {
    const store = new EncryptedFileTokenStore(directory, PASSWORD);
    const other = { ...tokens, provider: 'GitHub', accessToken: 'gho_other' };
    await store.save('user_a', tokens);
    await store.save('user_b', other);
    expect(await store.get('user_a')).toEqual(tokens);
    expect(await store.get('user_b')).toEqual(other);
  });

  it('returns null for a file sealed with another password', async () => {
    await new EncryptedFileTokenStore(directory, PASSWORD).save(USER_ID, tokens);
    expect(await new EncryptedFileTokenStore(directory, OTHER_PASSWORD).get(USER_ID)).toBeNull();
  });

  it('returns null for an unknown user, including when the directory does not exist', async () => {
    expect(await new EncryptedFileTokenStore(directory, PASSWORD).get('user_unknown')).toBeNull();
    expect(await new EncryptedFileTokenStore(path.join(directory, 'missing'), PASSWORD).get(USER_ID)).toBeNull();
  });

  it('deletes, and deleting again or an unknown user is a no-op', async () => {
    const store = new EncryptedFileTokenStore(directory, PASSWORD);
    await store.save(USER_ID, tokens);
    await store.save('user_keep', tokens);
    await store.delete(USER_ID);
    expect(await store.get(USER_ID)).toBeNull();
    expect(await store.get('user_keep')).toEqual(tokens);
    expect(await readdir(directory)).toHaveLength(1);
    await expect(store.delete(USER_ID)).resolves.toBeUndefined();
    await expect(store.delete('user_unknown')).resolves.toBeUndefined();
  });

  it('refuses to save tokens of the wrong shape', async () => {
    const store = new EncryptedFileTokenStore(directory, PASSWORD);
    const broken = { ...tokens, expiresAt: 'tomorrow' } as unknown as StoredOAuthTokens;
    await expect(store.save(USER_ID, broken)).rejects.toThrow();
    expect(await readdir(directory)).toEqual([]);
  });

  describe('a corrupted file reads as null', () => {
    async function corrupt(change: (sealed: string) => string): Promise<StoredOAuthTokens | null> {
      const store = new EncryptedFileTokenStore(directory, PASSWORD);
      await store.save(USER_ID, tokens);
      const file = await onlyFile();
      await writeFile(file, change(await readFile(file, 'utf8')));
      return store.get(USER_ID);
    }

    it('garbage', async () => {
      expect(await corrupt(() => 'not a seal')).toBeNull();
    });

    it('an empty file', async () => {
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
});

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

  it('works on top of the encrypted file store', async () => {
    const store = new EncryptedFileTokenStore(directory, PASSWORD);
    await store.save(USER_ID, tokens);
    expect(await getConnectedProvider(USER_ID, store)).toEqual({
      provider: 'Google',
      scopes: tokens.scopes,
      expiresAt: new Date(tokens.expiresAt * 1000),
    });
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

/** The app-cookie helpers as the store sees them: what the response would set, and what the next request would carry. */
function memoryJar() {
  const values = new Map<string, string>();
  const calls: string[] = [];
  const jar: AppCookieStore = {
    get: async (name) => values.get(name),
    set: async (name, value, maxAgeSeconds) => {
      calls.push(`set ${name} maxAge=${maxAgeSeconds}`);
      values.set(name, value);
    },
    delete: async (name) => {
      calls.push(`delete ${name}`);
      values.delete(name);
    },
  };
  return { jar, values, calls };
}

describe('SealedCookieTokenStore (the default without Redis: nothing on the server disk)', () => {
  const options = { maxAgeSeconds: 3600 };

  it('round-trips through one sealed HttpOnly cookie that lives as long as the session', async () => {
    const { jar, values, calls } = memoryJar();
    const store = new SealedCookieTokenStore(jar, PASSWORD, options);
    await store.save(USER_ID, tokens);
    expect(await store.get(USER_ID)).toEqual(tokens);
    // Attributes (HttpOnly, Secure per origin, Domain, SameSite) are the app-cookie helpers' (lib/auth/cookies.test.ts).
    expect(calls).toEqual([`set ${PROVIDER_TOKENS_COOKIE} maxAge=3600`]);
    const sealed = values.get(PROVIDER_TOKENS_COOKIE) ?? '';
    expect(sealed.startsWith('Fe26.2*')).toBe(true);
    expect(sealed).not.toContain('PLAINTEXT-MARKER');
    expect(sealed).not.toContain(USER_ID);
  });

  it("never reads one user's cookie as another user's tokens", async () => {
    const { jar } = memoryJar();
    const store = new SealedCookieTokenStore(jar, PASSWORD, options);
    await store.save('user_a', tokens);
    expect(await store.get('user_b')).toBeNull();
  });

  it('reads a cookie sealed with another password, or tampered with, as none', async () => {
    const { jar, values } = memoryJar();
    await new SealedCookieTokenStore(jar, OTHER_PASSWORD, options).save(USER_ID, tokens);
    const store = new SealedCookieTokenStore(jar, PASSWORD, options);
    expect(await store.get(USER_ID)).toBeNull();
    values.set(PROVIDER_TOKENS_COOKIE, 'Fe26.2*garbage');
    expect(await store.get(USER_ID)).toBeNull();
  });

  it('deletes through the app-cookie helper (which expires it with the attributes it was set with)', async () => {
    const { jar, calls } = memoryJar();
    const store: OAuthTokenStore = new SealedCookieTokenStore(jar, PASSWORD, options);
    await store.save(USER_ID, tokens);
    await store.delete(USER_ID);
    expect(calls).toEqual([`set ${PROVIDER_TOKENS_COOKIE} maxAge=3600`, `delete ${PROVIDER_TOKENS_COOKIE}`]);
    expect(await store.get(USER_ID)).toBeNull();
  });

  it('refuses tokens that would not fit in a cookie, and removes an older seal instead of keeping it', async () => {
    const { jar, values } = memoryJar();
    const store = new SealedCookieTokenStore(jar, PASSWORD, options);
    await store.save(USER_ID, tokens);
    const huge = { ...tokens, accessToken: 'x'.repeat(MAX_COOKIE_BYTES) };
    await expect(store.save(USER_ID, huge)).rejects.toBeInstanceOf(TokensTooLargeForCookieError);
    expect(values.has(PROVIDER_TOKENS_COOKIE)).toBe(false);
  });

  it("storeProviderTokens lets the too-large error reach the callback's hook runner (which logs it and goes on)", async () => {
    const { jar } = memoryJar();
    const store = new SealedCookieTokenStore(jar, PASSWORD, options);
    const huge = { accessToken: 'x'.repeat(MAX_COOKIE_BYTES), refreshToken: 'r', expiresAt: 1, scopes: [] };
    await expect(
      storeProviderTokens({ user: { id: USER_ID } as never, authenticationMethod: 'MicrosoftOAuth', oauthTokens: huge }, store),
    ).rejects.toBeInstanceOf(TokensTooLargeForCookieError);
  });
});

describe('RedisTokenStore (a real redis-server)', () => {
  const redis = withRedisServer();
  const connect = (url?: string) => redis.connect(url);

  it('is shared: tokens saved through one instance are read through another, and deleted for both', async () => {
    const one = new RedisTokenStore(connect(), PASSWORD, 3600);
    const two = new RedisTokenStore(connect(), PASSWORD, 3600);
    await one.save(USER_ID, tokens);
    expect(await two.get(USER_ID)).toEqual(tokens);
    await two.delete(USER_ID);
    expect(await one.get(USER_ID)).toBeNull();
  });

  it('keeps a seal under a hash of the user id, expiring with the session', async () => {
    await new RedisTokenStore(connect(), PASSWORD, 3600).save(USER_ID, tokens);
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
    const refused = new RedisTokenStore(connect(`redis://127.0.0.1:${await freePort()}`), PASSWORD, 3600);
    await expect(refused.save(USER_ID, tokens)).rejects.toBeInstanceOf(TokenStoreUnavailableError);
    await expect(refused.get(USER_ID)).rejects.toBeInstanceOf(TokenStoreUnavailableError);

    const store = new RedisTokenStore(connect(), PASSWORD, 3600);
    await store.get(USER_ID);
    redis.server.pause();
    const started = performance.now();
    await expect(store.get(USER_ID)).rejects.toBeInstanceOf(TokenStoreUnavailableError);
    expect(performance.now() - started).toBeLessThan(TEST_REDIS_TIMEOUTS.commandTimeoutMs * BOUND_MARGIN);
  });

  it('renders during an outage log no line each: the connection reports the outage once', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const events: RedisStatusEvent[] = [];
    const store = new RedisTokenStore(
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
  };
  const configWith = (extra: Record<string, string>): AuthConfig => {
    const result = parseAuthConfig({ ...env, ...extra });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    return result.config;
  };
  const redis = { attempt: async () => ({ ok: false as const }), close: async () => {} };

  it('uses a sealed cookie by default: nothing is written to the server disk', () => {
    expect(createOAuthTokenStore(configWith({}), undefined)).toBeInstanceOf(SealedCookieTokenStore);
  });

  it('uses Redis when REDIS_URL is set', () => {
    expect(createOAuthTokenStore(configWith({ REDIS_URL: 'redis://localhost:6379' }), redis)).toBeInstanceOf(RedisTokenStore);
  });

  it('uses sealed files only when OAUTH_TOKEN_STORE_DIR opts in', () => {
    expect(
      createOAuthTokenStore(configWith({ OAUTH_TOKEN_STORE_DIR: directory, REDIS_URL: 'redis://localhost:6379' }), redis),
    ).toBeInstanceOf(EncryptedFileTokenStore);
  });
});
