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
 * Both stores seal the tokens with iron-session (the same AES-256 + HMAC
 * scheme and password as the session cookie), so wherever they rest they reveal
 * nothing without the password. Which store {@link getOAuthTokenStore} picks:
 *
 * - REDIS_URL set: {@link redisTokenStore}, one key per user (a hash of the id),
 *   shared by every instance, expiring with the session.
 * - otherwise: {@link sealedCookieTokenStore}, an HttpOnly cookie on this
 *   browser. Nothing is written to the server's disk, so it works on read-only
 *   and serverless filesystems and across instances. Tokens too large for one
 *   cookie are not kept (logged; the sign-in goes on): use Redis for those.
 *
 * There is no file store: files on one server's disk would not be shared by
 * several instances or survive a serverless function, and these two cover
 * every deployment.
 *
 * A store that fails never fails a sign-in or a sign-out (the flow's hook
 * runners log and go on), and the dashboard shows the panel as unavailable.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  deleteAppCookie,
  describeError,
  getAuthConfig,
  logAuthEvent,
  MAX_COOKIE_BYTES,
  readSealedAppCookie,
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
type ConnectedProvider = Pick<StoredOAuthTokens, 'provider' | 'scopes'> & { expiresAt: Date };

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

/** Shared by every instance; each user's seal expires with the session (`ttlSeconds`). */
export function redisTokenStore(redis: RedisConnection, password: string, ttlSeconds: number): OAuthTokenStore {
  // Named after a hash of the user id: an id never becomes a key name.
  const keyFor = (userId: string) => `authkit:provider-tokens:${createHash('sha256').update(userId).digest('hex')}`;
  /** Runs one command; Redis down or slow is a {@link TokenStoreUnavailableError} saying what did not happen. */
  async function command<T>(notDone: string, operation: Parameters<typeof redis.attempt<T>>[0]): Promise<T> {
    const result = await redis.attempt(operation);
    if (!result.ok) throw new TokenStoreUnavailableError(`Redis is unavailable: the provider tokens ${notDone}`);
    return result.value;
  }
  return {
    async save(userId, tokens) {
      const sealed = await sealTokens(userId, tokens, password);
      await command('were not stored', (client) => client.set(keyFor(userId), sealed, { EX: ttlSeconds }));
    },
    async get(userId) {
      const sealed = await command('could not be read', (client) => client.get(keyFor(userId)));
      return sealed ? unsealTokens(userId, sealed, password) : null;
    },
    async delete(userId) {
      await command('were not deleted', (client) => client.del(keyFor(userId)));
    },
  };
}

export const PROVIDER_TOKENS_COOKIE = 'provider-tokens';

/**
 * This browser's tokens in a sealed HttpOnly cookie that lives as long as the
 * session. Set, read and deleted by the app-cookie helpers (lib/auth/session/cookies.ts),
 * so it carries the same attributes as every other auth cookie (Secure for the
 * request's origin, Domain, SameSite), is deleted the one way auth cookies are,
 * and reads as none whenever it cannot be read.
 */
export function sealedCookieTokenStore(password: string, maxAgeSeconds: number): OAuthTokenStore {
  return {
    async save(userId, tokens) {
      const sealed = await sealTokens(userId, tokens, password);
      if (PROVIDER_TOKENS_COOKIE.length + sealed.length > MAX_COOKIE_BYTES) {
        // An older seal must not stand in for these tokens.
        await deleteAppCookie(PROVIDER_TOKENS_COOKIE);
        throw new TokensTooLargeForCookieError(
          `the sealed provider tokens take ${sealed.length} bytes, more than a cookie holds: set REDIS_URL to keep them`,
        );
      }
      await setAppCookie(PROVIDER_TOKENS_COOKIE, sealed, maxAgeSeconds);
    },
    async get(userId) {
      const record = await readSealedAppCookie(PROVIDER_TOKENS_COOKIE, sealedRecordSchema, { password });
      return record?.userId === userId ? record.tokens : null;
    },
    delete: () => deleteAppCookie(PROVIDER_TOKENS_COOKIE),
  };
}

/** The store for this configuration (see the top of this file). */
export function createOAuthTokenStore(config: AuthConfig, redis: RedisConnection | undefined): OAuthTokenStore {
  const lifetime = sessionMaxAgeSeconds(config);
  return redis ? redisTokenStore(redis, config.cookiePassword, lifetime) : sealedCookieTokenStore(config.cookiePassword, lifetime);
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
  await tokenStore.save(data.user.id, { provider, ...data.oauthTokens, storedAt: Math.floor(Date.now() / 1000) });
  logAuthEvent({ event: 'oauth_tokens_stored', userId: data.user.id, provider });
}

/** Sign-out hook: the provider tokens leave with the person. */
export async function forgetProviderTokens(session: AppSession | null, tokenStore: OAuthTokenStore = getOAuthTokenStore()): Promise<void> {
  if (session) await tokenStore.delete(session.user.id);
}
