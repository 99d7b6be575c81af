import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  EncryptedFileTokenStore,
  getConnectedProvider,
  providerForAuthenticationMethod,
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
    expect(connected?.expiresAt).toBeInstanceOf(Date);
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
