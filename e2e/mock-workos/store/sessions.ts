/**
 * Sessions and their tokens: the authorization_code and password grants start
 * a session, the refresh_token grant rotates its refresh token (strict single
 * use, or a configurable replay window), logout and revocation end it, and
 * access tokens carry its current organization and role.
 */
import { toSessionResponse } from '../serializers.ts';
import { AuthorizationStore } from './authorization.ts';
import {
  generateId,
  invalidGrant,
  MockInputError,
  randomToken,
  SESSION_LIFETIME_SECONDS,
  WorkOSError,
  type ClientInfo,
  type GrantResult,
  type MockAuthenticationMethod,
  type OAuthTokens,
  type PendingAuthentication,
  type RequestSubject,
  type SessionRecord,
  type UserRecord,
} from './records.ts';

/** The grant's words for a wrong email verification code (the email_verification endpoints have their own). */
const GRANT_CODE_ERRORS: Record<string, WorkOSError> = {
  email_verification_code_incorrect: new WorkOSError(400, 'invalid_one_time_code', 'The code is invalid.'),
  email_verification_code_expired: new WorkOSError(400, 'one_time_code_expired', 'The code has expired.'),
  email_verification_code_previously_used: new WorkOSError(400, 'one_time_code_previously_used', 'The code has already been used.'),
};

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
    if (params.email) {
      return { grantType, email: params.email, userId: this.findUserByEmail(params.email)?.id };
    }
    const pendingUserId = this.pendingUserId(params.pending_authentication_token);
    if (pendingUserId) return { grantType, userId: pendingUserId, email: this.users.get(pendingUserId)?.email };
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
      publicClient?: boolean;
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
      publicClient: input.publicClient ?? false,
    };
    this.sessions.set(session.id, session);
    this.events.append('session.created', toSessionResponse(session, 'active'), session.organizationId);
    return session;
  }

  /** authorization_code grant: redeem the code (PKCE rules in {@link AuthorizationStore}), start a session. */
  exchangeCode(input: {
    clientId: string;
    code: string | undefined;
    codeVerifier: string | undefined;
    client: Partial<ClientInfo>;
    /** No client secret was sent: allowed only for a code issued with a PKCE challenge (a public client). */
    publicClient?: boolean;
  }): GrantResult<IssuedSession> {
    if (input.publicClient && (!input.code || this.codes.get(input.code)?.codeChallenge == null)) {
      return {
        ok: false,
        status: 400,
        error: 'invalid_client',
        description: 'client_secret is required unless the code was issued with PKCE.',
      };
    }
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
      publicClient: input.publicClient,
    });
    return { ok: true, value: { session, refreshToken: this.#issueRefreshToken(session.id), oauthTokens: code.signIn.oauthTokens } };
  }

  /**
   * password grant (an app's own sign-in form). SSO-only domains answer
   * `sso_required`; then the steps a first factor can still owe (below).
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
    return this.#afterFirstFactor(user, { clientId: input.clientId, method: 'Password', client: input.client });
  }

  /** magic-auth grant: the code sent by POST /user_management/magic_auth (or the hosted page) for this email. */
  authenticateWithMagicAuth(input: { clientId: string; email: string | undefined; code: string | undefined; client: ClientInfo }) {
    return this.#grant(() => {
      const user = this.verifyMagicAuth(input.email ?? '', input.code ?? '');
      return this.#afterFirstFactor(user, { clientId: input.clientId, method: 'MagicAuth', client: input.client });
    });
  }

  /** email-verification grant: the code sent when a sign-in answered `email_verification_required`. */
  authenticateWithEmailVerification(input: { clientId: string; pendingToken: string | undefined; code: string | undefined }) {
    return this.#grant(() => {
      const pending = this.pendingAuthentication(input.pendingToken, 'email_verification', input.clientId);
      try {
        this.verifyEmail(pending.userId, input.code ?? '');
      } catch (error) {
        throw error instanceof WorkOSError ? (GRANT_CODE_ERRORS[error.code ?? ''] ?? error) : error;
      }
      this.endPendingAuthentication(pending.token);
      return this.#afterFirstFactor(this.requireUser(pending.userId), pending);
    });
  }

  /** mfa-totp grant: a challenge of one of the user's factors, answered with its code. */
  authenticateWithTotp(input: {
    clientId: string;
    pendingToken: string | undefined;
    challengeId: string | undefined;
    code: string | undefined;
  }) {
    return this.#grant(() => {
      const pending = this.pendingAuthentication(input.pendingToken, 'mfa', input.clientId);
      const challenge = this.authChallenges.get(input.challengeId ?? '');
      if (!challenge || this.authFactors.get(challenge.factorId)?.userId !== pending.userId) {
        throw new WorkOSError(400, 'user_mismatch', 'The authentication challenge is not one of this user’s.');
      }
      if (!this.verifyChallenge(challenge.id, input.code ?? '').valid)
        throw new WorkOSError(400, 'invalid_one_time_code', 'The code is invalid.');
      this.endPendingAuthentication(pending.token);
      return this.#afterFirstFactor(this.requireUser(pending.userId), pending, { mfaDone: true });
    });
  }

  /** organization-selection grant: one of the user's organizations, for a sign-in that answered `organization_selection_required`. */
  authenticateWithOrganizationSelection(input: { clientId: string; pendingToken: string | undefined; organizationId: string | undefined }) {
    return this.#grant((): GrantResult<IssuedSession> => {
      const pending = this.pendingAuthentication(input.pendingToken, 'organization_selection', input.clientId);
      const organizationId = input.organizationId ?? '';
      if (!this.activeMembership(pending.userId, organizationId)) {
        return {
          ok: false,
          status: 400,
          error: 'organization_membership_not_found',
          description: `The user is not a member of organization ${organizationId}.`,
        };
      }
      this.endPendingAuthentication(pending.token);
      return this.#signIn(this.requireUser(pending.userId), pending, organizationId);
    });
  }

  /** A store error (WorkOSError) becomes the grant's failure answer. */
  #grant(run: () => GrantResult<IssuedSession>): GrantResult<IssuedSession> {
    try {
      return run();
    } catch (error) {
      if (!(error instanceof WorkOSError)) throw error;
      return { ok: false, status: error.status, code: error.code ?? 'invalid_request', message: error.message, extra: error.extra };
    }
  }

  /**
   * What a proven first factor still owes, in WorkOS' order: a verified email
   * (a code goes to the outbox; 403 `email_verification_required`), MFA
   * enrolment when MFA is required and the user has no factor (403
   * `mfa_enrollment`), the MFA challenge when the user has a TOTP factor
   * (403 `mfa_challenge`), an
   * organization when the mock requires selection and the user has several
   * (403 `organization_selection_required`). Each answers a pending token the
   * matching grant continues with; with nothing owed, the session starts.
   */
  #afterFirstFactor(
    user: UserRecord,
    context: { clientId: string; method: PendingAuthentication['method']; client: ClientInfo },
    { mfaDone = false } = {},
  ): GrantResult<IssuedSession> {
    const pending = (step: PendingAuthentication['step']) =>
      this.startPendingAuthentication({
        userId: user.id,
        step,
        method: context.method,
        client: context.client,
        clientId: context.clientId,
      });
    if (!user.emailVerified) {
      const verification = this.sendVerificationEmail(user.id);
      return {
        ok: false,
        status: 403,
        code: 'email_verification_required',
        message: 'Email ownership must be verified before authentication.',
        userId: user.id,
        extra: {
          pending_authentication_token: pending('email_verification').token,
          email: user.email,
          email_verification_id: verification.id,
        },
      };
    }
    const factors = this.totpFactorsOf(user.id);
    if (!mfaDone && factors.length === 0 && this.mfaRequiredFor(user.id)) {
      // The app enrolls a factor (POST /user_management/users/{id}/auth_factors), then continues with the MFA-TOTP grant.
      return {
        ok: false,
        status: 403,
        code: 'mfa_enrollment',
        message: 'The user must enroll in MFA to finish authenticating.',
        userId: user.id,
        extra: { pending_authentication_token: pending('mfa').token },
      };
    }
    if (!mfaDone && factors.length > 0) {
      return {
        ok: false,
        status: 403,
        code: 'mfa_challenge',
        message: 'The user must complete an MFA challenge to finish authenticating.',
        userId: user.id,
        extra: {
          pending_authentication_token: pending('mfa').token,
          authentication_factors: factors.map((factor) => ({ id: factor.id, type: factor.type })),
        },
      };
    }
    const organizations = this.membershipsOfUser(user.id).filter((membership) => membership.status === 'active');
    if (this.config.organizationSelectionRequired && organizations.length > 1) {
      return {
        ok: false,
        status: 403,
        code: 'organization_selection_required',
        message: 'The user must choose an organization to finish authenticating.',
        userId: user.id,
        extra: {
          pending_authentication_token: pending('organization_selection').token,
          organizations: organizations.map((membership) => ({
            id: membership.organizationId,
            name: this.organizations.get(membership.organizationId)?.name ?? '',
          })),
        },
      };
    }
    return this.#signIn(user, context, this.defaultOrganizationOf(user.id));
  }

  #signIn(
    user: UserRecord,
    context: { clientId: string; method: PendingAuthentication['method']; client: ClientInfo },
    organizationId: string | null,
  ): GrantResult<IssuedSession> {
    user.lastSignInAt = this.isoNow();
    const session = this.#startSession(user, {
      clientId: context.clientId,
      organizationId,
      method: context.method,
      client: context.client,
    });
    return { ok: true, value: { session, refreshToken: this.#issueRefreshToken(session.id), oauthTokens: null } };
  }

  /**
   * refresh_token grant with rotation: the presented token dies, a new one is
   * issued. Presented again inside the replay window (off by default), it
   * answers the very response its first use got. A refused organization
   * switch leaves the token usable (the session is fine, only the switch was not).
   */
  refresh(input: {
    clientId: string;
    refreshToken: string | undefined;
    organizationId: string | undefined;
    /** No client secret was sent: allowed only for a session a public client started. */
    publicClient?: boolean;
  }): GrantResult<RefreshOutcome> {
    const record = input.refreshToken ? this.#refreshTokens.get(input.refreshToken) : undefined;
    if (!record) return invalidGrant('The refresh token is invalid.');
    const session = this.sessions.get(record.sessionId);
    if (!session || session.clientId !== input.clientId) return invalidGrant('The refresh token is invalid.');
    if (input.publicClient && !session.publicClient) {
      return {
        ok: false,
        status: 400,
        error: 'invalid_client',
        description: 'client_secret is required: this session was not started by a public client.',
      };
    }
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
    let targetOrganizationId = input.organizationId || session.organizationId;
    // The session's own organization, which the user has left (membership deactivated or deleted):
    // the session goes on without one. authkit asks for that organization on every refresh.
    if (
      targetOrganizationId === session.organizationId &&
      targetOrganizationId &&
      !this.activeMembership(session.userId, targetOrganizationId)
    ) {
      targetOrganizationId = null;
    }
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
      claims.permissions = [...this.permissionsOfRole(membership.role, organization.id)];
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
      this.events.append('session.revoked', toSessionResponse(session, 'revoked'), session.organizationId);
    }
    return true;
  }

  /** A deleted user's sessions end with them. */
  protected override forgetUser(userId: string): void {
    super.forgetUser(userId);
    for (const session of this.sessionsOfUser(userId)) this.endSession(session.id);
  }
}
