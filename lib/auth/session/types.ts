/** The app's own types for who is signed in: what pages, features and hooks see, whatever the vendor's shapes. */

export interface AuthUser {
  id: string;
  email: string;
  emailVerified: boolean;
  firstName: string | null;
  lastName: string | null;
  profilePictureUrl: string | null;
}

/** Someone from the WorkOS dashboard signed in as this user. */
export interface Impersonator {
  email: string;
  reason: string | null;
}

export interface AppSession {
  user: AuthUser;
  sessionId: string;
  organizationId: string | undefined;
  role: string | undefined;
  roles: string[];
  permissions: string[];
  entitlements: string[];
  featureFlags: string[];
  impersonator: Impersonator | undefined;
  /** How this session was signed in (Password, MagicAuth, SSO, GoogleOAuth, …). */
  authenticationMethod: string | undefined;
  accessTokenExpiresAt: Date | undefined;
  /** When the access token was issued (`iat`): with its expiry, the environment's token lifetime. */
  accessTokenIssuedAt: Date | undefined;
  /** The user's last interactive sign-in behind this session (`auth_time`; refreshes keep it), for step-up. */
  authenticatedAt: Date | undefined;
}

/**
 * What the browser may know about the session: the session without its tokens, their expiry or the
 * sign-in method. The root layout seeds authkit's AuthKitProvider with it (`initialAuth`), and the
 * server actions behind authkit's client components (authkit/client-actions.ts) answer with it.
 */
export type ClientAuth =
  | Pick<
      AppSession,
      'user' | 'sessionId' | 'organizationId' | 'role' | 'roles' | 'permissions' | 'entitlements' | 'featureFlags' | 'impersonator'
    >
  | { user: null };

/** Tokens from the upstream identity provider of a social sign-in (Google, GitHub…), when WorkOS returns them. */
export interface OAuthTokens {
  accessToken: string;
  refreshToken: string;
  /** Unix seconds. */
  expiresAt: number;
  scopes: string[];
}

/** What the callback's sign-in hooks receive once the session is sealed. */
export interface SignInEvent {
  user: AuthUser;
  organizationId: string | undefined;
  authenticationMethod: string | undefined;
  impersonator: Impersonator | undefined;
  /** The app's custom state sent with the authorization request (authorization/route.ts `customState`). */
  state: string | undefined;
  oauthTokens: OAuthTokens | undefined;
}
