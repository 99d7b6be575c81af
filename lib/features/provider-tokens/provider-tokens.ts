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
 * The default store writes one file per user, sealed with iron-session (the
 * same AES-256 + HMAC scheme as the session cookie), so it survives restarts
 * and a copied data folder reveals nothing without the password.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sealData, unsealData } from 'iron-session';
import { z } from 'zod';
import type { HandleAuthSuccessData } from '@/lib/auth/authkit';
import { getAuthConfig } from '@/lib/auth/config';
import { logAuthEvent } from '@/lib/auth/log';
import type { AppSession } from '@/lib/auth/session';

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
export interface ConnectedProvider {
  provider: string;
  scopes: string[];
  expiresAt: Date;
}

export interface OAuthTokenStore {
  save(userId: string, tokens: StoredOAuthTokens): Promise<void>;
  get(userId: string): Promise<StoredOAuthTokens | null>;
  delete(userId: string): Promise<void>;
}

export class EncryptedFileTokenStore implements OAuthTokenStore {
  private readonly directory: string;
  private readonly password: string;

  constructor(directory: string, password: string) {
    this.directory = directory;
    this.password = password;
  }

  // Hash the id so a user id never becomes a path (no traversal, no leaking ids in file names).
  private fileFor(userId: string): string {
    return path.join(this.directory, `${createHash('sha256').update(userId).digest('hex')}.sealed`);
  }

  async save(userId: string, tokens: StoredOAuthTokens): Promise<void> {
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    const sealed = await sealData(storedTokensSchema.parse(tokens), { password: this.password, ttl: 0 });
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
    // A file sealed with another password unseals to {} and fails the schema: treat as absent.
    const result = storedTokensSchema.safeParse(await unsealData(sealed, { password: this.password, ttl: 0 }));
    return result.success ? result.data : null;
  }

  async delete(userId: string): Promise<void> {
    await rm(this.fileFor(userId), { force: true });
  }
}

let store: OAuthTokenStore | undefined;

export function getOAuthTokenStore(): OAuthTokenStore {
  if (!store) {
    const config = getAuthConfig();
    store = new EncryptedFileTokenStore(path.resolve(config.oauthTokenStoreDir), config.cookiePassword);
  }
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

export async function getConnectedProvider(userId: string, tokenStore: OAuthTokenStore = getOAuthTokenStore()): Promise<ConnectedProvider | null> {
  const tokens = await tokenStore.get(userId);
  if (!tokens) return null;
  return { provider: tokens.provider, scopes: tokens.scopes, expiresAt: new Date(tokens.expiresAt * 1000) };
}

/** onSuccess hook: keeps a social sign-in's provider tokens server-side. */
export async function storeProviderTokens(
  data: Pick<HandleAuthSuccessData, 'user' | 'authenticationMethod' | 'oauthTokens'>,
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
