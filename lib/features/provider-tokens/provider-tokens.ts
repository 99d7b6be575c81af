/**
 * Demo feature: upstream OAuth tokens from social sign-in (Google, Microsoft,
 * GitHub). The callback route runs {@link storeProviderTokens} on success; the
 * dashboard shows the connected provider (never a token).
 *
 * AuthKit hands them to onSuccess once. They let the app call the provider's API
 * later, so they are kept server-side only — never in the session cookie, the
 * page or a client component — behind a small interface you can swap for a
 * database or a secrets manager.
 *
 * Every store seals the tokens with iron-session (the same AES-256 + HMAC
 * scheme and password as the session cookie), so wherever they rest they reveal
 * nothing without the password. Which store {@link getOAuthTokenStore} picks:
 *
 * - REDIS_URL set: {@link RedisTokenStore}, one key per user (a hash of the id),
 *   shared by every instance, expiring with the session.
 * - otherwise: {@link SealedCookieTokenStore}, an HttpOnly cookie on this
 *   browser. Nothing is written to the server's disk, so it works on read-only
 *   and serverless filesystems and across instances. Tokens too large for one
 *   cookie are not kept (logged; the sign-in goes on): use Redis for those.
 * - OAUTH_TOKEN_STORE_DIR set (opt-in, wins over both): {@link EncryptedFileTokenStore},
 *   one sealed file per user on a writable disk of this one server.
 *
 * A store that fails never fails a sign-in or a sign-out (the flow's hook
 * runners log and go on), and the dashboard shows the panel as unavailable.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { cookies } from 'next/headers';
import { z } from 'zod';
import {
  deleteAppCookie,
  describeError,
  getAuthConfig,
  logAuthEvent,
  MAX_COOKIE_BYTES,
  redisConnection,
  sealWithCookiePassword,
  sessionMaxAgeSeconds,
  setAppCookie,
  unsealWithCookiePassword,
  type AppSession,
  type AuthConfig,
  type SignInEvent,
} from '@/lib/auth';
import type { RedisConnection } from '@/lib/redis/connection';

const storedTokensSchema = z.object({
  provider: z.string(),
  accessToken: z.string(),
  refreshToken: z.string().optional(),
  /** Epoch seconds. */
  expiresAt: z.number(),
  scopes: z.array(z.string()),
  storedAt: z.number(),
});

export type StoredOAuthTokens = z.infer<typeof storedTokensSchema>;

/** What pages may see: no token in here. */
interface ConnectedProvider {
  provider: string;
  scopes: string[];
  expiresAt: Date;
}

export interface OAuthTokenStore {
  save(userId: string, tokens: StoredOAuthTokens): Promise<void>;
  get(userId: string): Promise<StoredOAuthTokens | null>;
  delete(userId: string): Promise<void>;
}

/** Redis did not serve the command (down, slow, or it refused that key: the connection logs which): nothing was read, written or deleted. */
export class TokenStoreUnavailableError extends Error {
  override name = 'TokenStoreUnavailableError';
}

/** The sealed tokens do not fit in one cookie (a browser drops a cookie over 4096 bytes without a word). */
export class TokensTooLargeForCookieError extends Error {
  override name = 'TokensTooLargeForCookieError';
}

/** A seal is bound to its user: tokens sealed for one user never read as another's. */
const sealedRecordSchema = z.object({ userId: z.string(), tokens: storedTokensSchema });

async function sealTokens(userId: string, tokens: StoredOAuthTokens, password: string): Promise<string> {
  return sealWithCookiePassword(sealedRecordSchema.parse({ userId, tokens }), { password });
}

/** The tokens in a seal, or null when it is not ours (another password, another user, tampered, truncated). */
async function unsealTokens(userId: string, sealed: string, password: string): Promise<StoredOAuthTokens | null> {
  let data: unknown;
  try {
    data = await unsealWithCookiePassword(sealed, { password });
  } catch {
    return null;
  }
  // A seal made with another password unseals to {} and fails the schema.
  const record = sealedRecordSchema.safeParse(data);
  return record.success && record.data.userId === userId ? record.data.tokens : null;
}

/** Names keys and files after a hash of the user id: ids never become paths or key names. */
const hashedUserId = (userId: string) => createHash('sha256').update(userId).digest('hex');

export class EncryptedFileTokenStore implements OAuthTokenStore {
  private readonly directory: string;
  private readonly password: string;

  constructor(directory: string, password: string) {
    this.directory = directory;
    this.password = password;
  }

  // Hash the id so a user id never becomes a path (no traversal, no leaking ids in file names).
  private fileFor(userId: string): string {
    return path.join(this.directory, `${hashedUserId(userId)}.sealed`);
  }

  async save(userId: string, tokens: StoredOAuthTokens): Promise<void> {
    const sealed = await sealTokens(userId, tokens, this.password);
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    const file = this.fileFor(userId);
    const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
    // Write then rename: a crash mid-write never leaves a half-written file behind.
    await writeFile(temporary, sealed, { mode: 0o600 });
    await rename(temporary, file);
  }

  async get(userId: string): Promise<StoredOAuthTokens | null> {
    let sealed: string;
    try {
      sealed = await readFile(this.fileFor(userId), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    return unsealTokens(userId, sealed, this.password);
  }

  async delete(userId: string): Promise<void> {
    await rm(this.fileFor(userId), { force: true });
  }
}

/** Shared by every instance; each user's seal expires with the session (`ttlSeconds`). */
export class RedisTokenStore implements OAuthTokenStore {
  private readonly redis: RedisConnection;
  private readonly password: string;
  private readonly ttlSeconds: number;

  constructor(redis: RedisConnection, password: string, ttlSeconds: number) {
    this.redis = redis;
    this.password = password;
    this.ttlSeconds = ttlSeconds;
  }

  private keyFor(userId: string): string {
    return `authkit:provider-tokens:${hashedUserId(userId)}`;
  }

  async save(userId: string, tokens: StoredOAuthTokens): Promise<void> {
    const sealed = await sealTokens(userId, tokens, this.password);
    const written = await this.redis.attempt((client) => client.set(this.keyFor(userId), sealed, { EX: this.ttlSeconds }));
    if (!written.ok) throw new TokenStoreUnavailableError('Redis is unavailable: the provider tokens were not stored');
  }

  async get(userId: string): Promise<StoredOAuthTokens | null> {
    const read = await this.redis.attempt((client) => client.get(this.keyFor(userId)));
    if (!read.ok) throw new TokenStoreUnavailableError('Redis is unavailable: the provider tokens could not be read');
    return read.value ? unsealTokens(userId, read.value, this.password) : null;
  }

  async delete(userId: string): Promise<void> {
    const deleted = await this.redis.attempt((client) => client.del(this.keyFor(userId)));
    if (!deleted.ok) throw new TokenStoreUnavailableError('Redis is unavailable: the provider tokens were not deleted');
  }
}

/**
 * Where the cookie store keeps its cookie: by default the app-cookie helpers of
 * lib/auth/session/cookies.ts, so it carries the same attributes as every other auth
 * cookie (Secure for the request's origin, Domain, SameSite) and is deleted the
 * one way auth cookies are.
 */
export interface AppCookieStore {
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string, maxAgeSeconds: number): Promise<void>;
  delete(name: string): Promise<void>;
}

const requestCookies: AppCookieStore = {
  get: async (name) => (await cookies()).get(name)?.value,
  set: setAppCookie,
  delete: deleteAppCookie,
};

export const PROVIDER_TOKENS_COOKIE = 'provider-tokens';

/** This browser's tokens in a sealed HttpOnly cookie that lives as long as the session. */
export class SealedCookieTokenStore implements OAuthTokenStore {
  private readonly jar: AppCookieStore;
  private readonly password: string;
  private readonly maxAgeSeconds: number;

  constructor(jar: AppCookieStore, password: string, { maxAgeSeconds }: { maxAgeSeconds: number }) {
    this.jar = jar;
    this.password = password;
    this.maxAgeSeconds = maxAgeSeconds;
  }

  async save(userId: string, tokens: StoredOAuthTokens): Promise<void> {
    const sealed = await sealTokens(userId, tokens, this.password);
    if (PROVIDER_TOKENS_COOKIE.length + sealed.length > MAX_COOKIE_BYTES) {
      // An older seal must not stand in for these tokens.
      await this.delete();
      throw new TokensTooLargeForCookieError(
        `the sealed provider tokens take ${sealed.length} bytes, more than a cookie holds: set REDIS_URL to keep them`,
      );
    }
    await this.jar.set(PROVIDER_TOKENS_COOKIE, sealed, this.maxAgeSeconds);
  }

  async get(userId: string): Promise<StoredOAuthTokens | null> {
    const sealed = await this.jar.get(PROVIDER_TOKENS_COOKIE);
    return sealed ? unsealTokens(userId, sealed, this.password) : null;
  }

  async delete(): Promise<void> {
    await this.jar.delete(PROVIDER_TOKENS_COOKIE);
  }
}

/** The store for this configuration (see the top of this file). */
export function createOAuthTokenStore(config: AuthConfig, redis: RedisConnection | undefined): OAuthTokenStore {
  if (config.oauthTokenStoreDir) return new EncryptedFileTokenStore(path.resolve(config.oauthTokenStoreDir), config.cookiePassword);
  if (redis) return new RedisTokenStore(redis, config.cookiePassword, sessionMaxAgeSeconds(config));
  return new SealedCookieTokenStore(requestCookies, config.cookiePassword, { maxAgeSeconds: sessionMaxAgeSeconds(config) });
}

let store: OAuthTokenStore | undefined;

function getOAuthTokenStore(): OAuthTokenStore {
  store ??= createOAuthTokenStore(getAuthConfig(), redisConnection());
  return store;
}

/** AuthKit's authentication method → the provider name we show. */
const PROVIDER_BY_METHOD: Record<string, string> = {
  GoogleOAuth: 'Google',
  MicrosoftOAuth: 'Microsoft',
  GitHubOAuth: 'GitHub',
  AppleOAuth: 'Apple',
};

export function providerForAuthenticationMethod(method: string | undefined): string | undefined {
  return method && Object.hasOwn(PROVIDER_BY_METHOD, method) ? PROVIDER_BY_METHOD[method] : undefined;
}

/** What the dashboard's panel shows: the provider, none, or that the store cannot be read right now. */
export type ConnectedProviderState = ConnectedProvider | null | 'unavailable';

export async function getConnectedProvider(
  userId: string,
  tokenStore: OAuthTokenStore = getOAuthTokenStore(),
): Promise<ConnectedProviderState> {
  let tokens: StoredOAuthTokens | null;
  try {
    tokens = await tokenStore.get(userId);
  } catch (error) {
    // One panel degrades; the page does not fail. Redis problems are logged by the connection (an outage once, not per render).
    if (!(error instanceof TokenStoreUnavailableError))
      logAuthEvent({ event: 'provider_tokens_read_failed', userId, reason: describeError(error) });
    return 'unavailable';
  }
  if (!tokens) return null;
  return { provider: tokens.provider, scopes: tokens.scopes, expiresAt: new Date(tokens.expiresAt * 1000) };
}

/** onSuccess hook: keeps a social sign-in's provider tokens server-side. */
export async function storeProviderTokens(
  data: Pick<SignInEvent, 'user' | 'authenticationMethod' | 'oauthTokens'>,
  tokenStore: OAuthTokenStore = getOAuthTokenStore(),
): Promise<void> {
  const provider = providerForAuthenticationMethod(data.authenticationMethod);
  if (!provider || !data.oauthTokens) return;
  await tokenStore.save(data.user.id, {
    provider,
    accessToken: data.oauthTokens.accessToken,
    refreshToken: data.oauthTokens.refreshToken,
    expiresAt: data.oauthTokens.expiresAt,
    scopes: data.oauthTokens.scopes,
    storedAt: Math.floor(Date.now() / 1000),
  });
  logAuthEvent({ event: 'oauth_tokens_stored', userId: data.user.id, provider });
}

/** Sign-out hook: the provider tokens leave with the person. */
export async function forgetProviderTokens(session: AppSession | null, tokenStore: OAuthTokenStore = getOAuthTokenStore()): Promise<void> {
  if (session) await tokenStore.delete(session.user.id);
}
