/**
 * Sessions and their tokens: the authorization_code and password grants start
 * a session, the refresh_token grant rotates its refresh token (strict single
 * use, or a configurable replay window), logout and revocation end it, and
 * access tokens carry its current organization and role.
 */
import { AuthorizationStore } from './authorization.ts';
import {
  generateId,
  invalidGrant,
  MockInputError,
  randomToken,
  SESSION_LIFETIME_SECONDS,
  type ClientInfo,
  type GrantResult,
  type MockAuthenticationMethod,
  type OAuthTokens,
  type RequestSubject,
  type SessionRecord,
  type UserRecord,
} from './records.ts';

interface RefreshTokenRecord {
  token: string;
  sessionId: string;
  /** When it was exchanged (ms); null while unused. */
  usedAt: number | null;
  /** The response its exchange returned, replayed inside the replay window. */
  rotation: unknown;
}

export type SessionStatus = 'active' | 'expired' | 'revoked';

export interface IssuedSession {
  session: SessionRecord;
  refreshToken: string;
  oauthTokens: OAuthTokens | null;
}

export type RefreshOutcome = { replayed: false; session: SessionRecord; refreshToken: string } | { replayed: true; response: unknown };

export abstract class SessionStore extends AuthorizationStore {
  readonly sessions = new Map<string, SessionRecord>();
  readonly #refreshTokens = new Map<string, RefreshTokenRecord>();
  /** Per-user access-token lifetimes: lets parallel tests shorten their own user's tokens only. */
  readonly #userAccessTokenTtlSeconds = new Map<string, number>();

  protected override clearState(): void {
    super.clearState();
    this.sessions.clear();
    this.#refreshTokens.clear();
    this.#userAccessTokenTtlSeconds.clear();
  }

  /** Who an authenticate call is about, for faults and the log, without consuming anything. */
  subjectOfGrant(params: Record<string, string | undefined>): RequestSubject {
    const grantType = params.grant_type;
    if (grantType === 'authorization_code' && params.code) {
      const userId = this.codes.get(params.code)?.signIn.userId;
      return { grantType, userId, email: userId ? this.users.get(userId)?.email : undefined };
    }
    if (grantType === 'refresh_token' && params.refresh_token) {
      const sessionId = this.#refreshTokens.get(params.refresh_token)?.sessionId;
      const userId = sessionId ? this.sessions.get(sessionId)?.userId : undefined;
      return { grantType, sessionId, userId, email: userId ? this.users.get(userId)?.email : undefined };
    }
    if (grantType === 'password' && params.email) {
      return { grantType, email: params.email, userId: this.findUserByEmail(params.email)?.id };
    }
    return { grantType };
  }

  #startSession(
    user: UserRecord,
    input: {
      clientId: string;
      organizationId: string | null;
      method: MockAuthenticationMethod;
      client: ClientInfo;
      authenticatedAt?: number;
    },
  ): SessionRecord {
    const now = this.isoNow();
    const session: SessionRecord = {
      id: generateId('session'),
      userId: user.id,
      clientId: input.clientId,
      organizationId: input.organizationId,
      // WorkOS reports an impersonated session as such, whatever the admin signed in with.
      method: user.impersonator ? 'Impersonation' : input.method,
      impersonator: user.impersonator,
      ipAddress: input.client.ipAddress,
      userAgent: input.client.userAgent,
      createdAt: now,
      updatedAt: now,
      expiresAt: new Date(this.now() + SESSION_LIFETIME_SECONDS * 1000).toISOString(),
      endedAt: null,
      authenticatedAt: new Date(input.authenticatedAt ?? this.now()).toISOString(),
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** authorization_code grant: redeem the code (PKCE rules in {@link AuthorizationStore}), start a session. */
  exchangeCode(input: {
    clientId: string;
    code: string | undefined;
    codeVerifier: string | undefined;
    client: Partial<ClientInfo>;
  }): GrantResult<IssuedSession> {
    const redeemed = this.redeemCode(input);
    if (!redeemed.ok) return redeemed;
    const code = redeemed.value;
    const user = this.users.get(code.signIn.userId);
    if (!user) return invalidGrant('The user no longer exists.');
    const session = this.#startSession(user, {
      clientId: code.clientId,
      organizationId: code.signIn.organizationId,
      method: code.signIn.method,
      authenticatedAt: code.signIn.authenticatedAt,
      client: { ipAddress: input.client.ipAddress ?? code.client.ipAddress, userAgent: input.client.userAgent ?? code.client.userAgent },
    });
    return { ok: true, value: { session, refreshToken: this.#issueRefreshToken(session.id), oauthTokens: code.signIn.oauthTokens } };
  }

  /**
   * password grant (an app's own sign-in form). SSO-only domains answer
   * `sso_required`, an MFA user `mfa_challenge` (the mock has no MFA challenge
   * API, so that is as far as it goes).
   */
  authenticateWithPassword(input: {
    clientId: string;
    email: string | undefined;
    password: string | undefined;
    client: ClientInfo;
  }): GrantResult<IssuedSession> {
    const email = input.email ?? '';
    const ssoOrganization = this.ssoOrganizationForEmail(email);
    if (ssoOrganization?.sso?.required) {
      return {
        ok: false,
        status: 400,
        error: 'sso_required',
        description: `${ssoOrganization.name} requires single sign-on.`,
        extra: { connection_ids: [ssoOrganization.sso.connectionId], email: email.toLowerCase() },
      };
    }
    const user = this.findUserByEmail(email);
    if (!user || user.password === null || user.password !== input.password) {
      return { ok: false, status: 400, code: 'invalid_credentials', message: 'Invalid credentials.' };
    }
    if (user.mfa) {
      return {
        ok: false,
        status: 403,
        code: 'mfa_challenge',
        message: 'The user must complete an MFA challenge to finish authenticating.',
        userId: user.id,
        extra: { pending_authentication_token: randomToken(24), authentication_factors: [{ id: generateId('auth_factor'), type: 'totp' }] },
      };
    }
    user.lastSignInAt = this.isoNow();
    const session = this.#startSession(user, {
      clientId: input.clientId,
      organizationId: this.defaultOrganizationOf(user.id),
      method: 'Password',
      client: input.client,
    });
    return { ok: true, value: { session, refreshToken: this.#issueRefreshToken(session.id), oauthTokens: null } };
  }

  /**
   * refresh_token grant with rotation: the presented token dies, a new one is
   * issued. Presented again inside the replay window (off by default), it
   * answers the very response its first use got. A refused organization
   * switch leaves the token usable (the session is fine, only the switch was not).
   */
  refresh(input: { clientId: string; refreshToken: string | undefined; organizationId: string | undefined }): GrantResult<RefreshOutcome> {
    const record = input.refreshToken ? this.#refreshTokens.get(input.refreshToken) : undefined;
    if (!record) return invalidGrant('The refresh token is invalid.');
    const session = this.sessions.get(record.sessionId);
    if (!session || session.clientId !== input.clientId) return invalidGrant('The refresh token is invalid.');
    const status = this.sessionStatus(session);
    if (status === 'revoked') return invalidGrant('The session has ended.');
    if (status === 'expired') return invalidGrant('The session has expired.');
    if (record.usedAt !== null) {
      const windowMs = this.config.refreshTokenReplayWindowSeconds * 1000;
      if (windowMs > 0 && record.rotation !== undefined && this.now() - record.usedAt <= windowMs)
        return { ok: true, value: { replayed: true, response: record.rotation } };
      // WorkOS' own wording for a reused refresh token (seen in SDK and authkit issue reports).
      return invalidGrant('Refresh token already exchanged.');
    }
    if (!this.users.has(session.userId)) return invalidGrant('The user no longer exists.');
    const targetOrganizationId = input.organizationId || session.organizationId;
    if (targetOrganizationId && !this.activeMembership(session.userId, targetOrganizationId)) {
      return {
        ok: false,
        status: 400,
        error: 'organization_membership_not_found',
        description: `The user is not a member of organization ${targetOrganizationId}.`,
      };
    }
    record.usedAt = this.now();
    session.organizationId = targetOrganizationId;
    session.updatedAt = this.isoNow();
    return { ok: true, value: { replayed: false, session, refreshToken: this.#issueRefreshToken(session.id) } };
  }

  /** Keeps the response a refresh token's exchange returned, for the replay window. */
  rememberRotation(refreshToken: string, response: unknown): void {
    const record = this.#refreshTokens.get(refreshToken);
    if (record) record.rotation = response;
  }

  #issueRefreshToken(sessionId: string): string {
    const token = randomToken();
    this.#refreshTokens.set(token, { token, sessionId, usedAt: null, rotation: undefined });
    return token;
  }

  /** Claims of a fresh access token for the session's current state. */
  accessTokenClaims(session: SessionRecord, issuer: string): Record<string, unknown> {
    const issuedAt = Math.floor(this.now() / 1000);
    const claims: Record<string, unknown> = { iss: issuer, sub: session.userId, sid: session.id, jti: generateId('jti').slice(4) };
    // OIDC auth_time: the session's last interactive sign-in, the same in every token of the session.
    claims.auth_time = Math.floor(Date.parse(session.authenticatedAt) / 1000);
    if (session.impersonator) claims.act = { sub: session.impersonator.email };
    const membership = session.organizationId ? this.activeMembership(session.userId, session.organizationId) : undefined;
    const organization = session.organizationId ? this.organizations.get(session.organizationId) : undefined;
    if (membership && organization) {
      claims.org_id = organization.id;
      claims.role = membership.role;
      claims.roles = [membership.role];
      claims.permissions = [...(this.rolePermissions.get(membership.role) ?? [])];
      claims.entitlements = [...organization.entitlements];
      claims.feature_flags = [...organization.featureFlags];
    }
    claims.iat = issuedAt;
    claims.exp = issuedAt + this.accessTokenTtlFor(session.userId);
    return claims;
  }

  async signAccessToken(session: SessionRecord, issuer: string): Promise<string> {
    return this.keys.sign(this.accessTokenClaims(session, issuer));
  }

  /** Lifetime of access tokens issued to this user from now on; `null` goes back to the global lifetime. */
  setUserAccessTokenTtl(userId: string, seconds: number | null): void {
    if (!this.users.has(userId)) throw new MockInputError(`user ${userId} does not exist`);
    if (seconds === null) this.#userAccessTokenTtlSeconds.delete(userId);
    else this.#userAccessTokenTtlSeconds.set(userId, seconds);
  }

  /** The access-token lifetime for this user: their own, else the global one. */
  accessTokenTtlFor(userId: string): number {
    return this.#userAccessTokenTtlSeconds.get(userId) ?? this.config.accessTokenTtlSeconds;
  }

  sessionStatus(session: SessionRecord): SessionStatus {
    if (session.endedAt) return 'revoked';
    return Date.parse(session.expiresAt) <= this.now() ? 'expired' : 'active';
  }

  /** A user's sessions, any status, oldest first. */
  sessionsOfUser(userId: string): SessionRecord[] {
    return [...this.sessions.values()].filter((session) => session.userId === userId);
  }

  /** Moves a session's last interactive sign-in `seconds` earlier (tests of step-up, without waiting). Returns false for an unknown id. */
  backdateSignIn(sessionId: string, seconds: number): boolean {
    const session = this.sessions.get(sessionId);
    if (!session) return false;
    session.authenticatedAt = new Date(Date.parse(session.authenticatedAt) - seconds * 1000).toISOString();
    return true;
  }

  /** Ends a session (logout, revocation): its refresh tokens stop working. Returns false for an unknown id. */
  endSession(sessionId: string): boolean {
    const session = this.sessions.get(sessionId);
    if (!session) return false;
    if (!session.endedAt) {
      session.endedAt = this.isoNow();
      session.updatedAt = session.endedAt;
    }
    return true;
  }
}
