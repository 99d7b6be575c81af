/**
 * All state of the mock WorkOS, in memory, in one typed place: users,
 * organizations, memberships, pending hosted sign-ins, authorization codes,
 * sessions and their refresh tokens, signing keys, injected faults and the
 * request log. Handlers are thin HTTP wrappers around these operations.
 *
 * Time comes from an injectable clock so tests can expire codes without
 * sleeping.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { ROLE_PERMISSIONS, SEED_ORGANIZATIONS, SEED_USERS } from './seed.ts';
import { SigningKeyRing } from './signing-keys.ts';

export const AUTHORIZATION_CODE_TTL_SECONDS = 10 * 60;
export const AUTHORIZATION_REQUEST_TTL_SECONDS = 30 * 60;
export const MAGIC_CODE_TTL_SECONDS = 10 * 60;
export const MAGIC_CODE_MAX_ATTEMPTS = 5;
export const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 300;
const REQUEST_LOG_LIMIT = 5_000;

export type SocialProvider = 'GoogleOAuth' | 'MicrosoftOAuth' | 'GitHubOAuth';
export const SOCIAL_PROVIDERS: readonly SocialProvider[] = ['GoogleOAuth', 'MicrosoftOAuth', 'GitHubOAuth'];

/** The subset of WorkOS' `AuthenticationMethod` the mock can produce. */
export type MockAuthenticationMethod = 'Password' | 'MagicAuth' | 'SSO' | SocialProvider;

export interface Impersonator {
  email: string;
  reason: string | null;
}

export interface UserRecord {
  id: string;
  email: string;
  emailVerified: boolean;
  firstName: string | null;
  lastName: string | null;
  /** null: the account cannot sign in with a password (SSO or social only). */
  password: string | null;
  /** TOTP is a fixed per-user code: it is a demo, and the page shows it. */
  mfa: { totpCode: string } | null;
  /** Every session of this user is marked as impersonated by this person. */
  impersonator: Impersonator | null;
  socialProvider: SocialProvider | null;
  lastSignInAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface SsoConnection {
  connectionId: string;
  /** `misconfigured` sends the browser back to the app with an error, as a broken IdP setup does. */
  state: 'active' | 'misconfigured';
  /** Members whose email is on the organization's domains must use SSO. */
  required: boolean;
}

export interface OrganizationRecord {
  id: string;
  name: string;
  domains: string[];
  entitlements: string[];
  featureFlags: string[];
  sso: SsoConnection | null;
  createdAt: string;
  updatedAt: string;
}

export interface MembershipRecord {
  id: string;
  userId: string;
  organizationId: string;
  role: string;
  status: 'active' | 'inactive' | 'pending';
  createdAt: string;
  updatedAt: string;
}

export interface MembershipSeed {
  organizationId: string;
  role: string;
}

export interface UserSeed {
  id?: string;
  email: string;
  firstName?: string | null;
  lastName?: string | null;
  password?: string | null;
  emailVerified?: boolean;
  mfa?: { totpCode: string } | null;
  impersonator?: Impersonator | null;
  socialProvider?: SocialProvider | null;
  memberships?: readonly MembershipSeed[];
  /** How the demo account is meant to be used (README, CLI banner, sign-in page). */
  demo?: { signIn: string; demonstrates: string };
}

export interface OrganizationSeed {
  id?: string;
  name: string;
  domains?: readonly string[];
  entitlements?: readonly string[];
  featureFlags?: readonly string[];
  sso?: SsoConnection | null;
}

export interface OAuthTokens {
  accessToken: string;
  refreshToken: string;
  /** Unix seconds. */
  expiresAt: number;
  scopes: string[];
}

/** What a completed hosted sign-in hands to the code it issues. */
export interface CompletedSignIn {
  userId: string;
  organizationId: string | null;
  method: MockAuthenticationMethod;
  oauthTokens: OAuthTokens | null;
}

export interface AuthorizationRequest {
  id: string;
  clientId: string;
  redirectUri: string;
  /** Returned to the app byte for byte; null when the app sent none. */
  state: string | null;
  codeChallenge: string;
  screenHint: 'sign-in' | 'sign-up';
  loginHint: string | null;
  organizationId: string | null;
  expiresAt: number;
  /** A primary factor succeeded and the user still owes an MFA code. */
  awaitingMfa: CompletedSignIn | null;
  magicCode: { userId: string; email: string; code: string; expiresAt: number; attempts: number } | null;
}

export interface AuthorizationCode {
  code: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  signIn: CompletedSignIn;
  expiresAt: number;
  used: boolean;
}

export interface SessionRecord {
  id: string;
  userId: string;
  clientId: string;
  /** The organization the session is currently in (switching moves it). */
  organizationId: string | null;
  method: MockAuthenticationMethod;
  impersonator: Impersonator | null;
  createdAt: string;
  endedAt: string | null;
}

interface RefreshTokenRecord {
  token: string;
  sessionId: string;
  used: boolean;
}

/** The endpoints a fault can target and the request log names. */
export type MockEndpoint =
  | 'authorize'
  | 'authenticate'
  | 'jwks'
  | 'logout'
  | 'get_user'
  | 'get_organization'
  | 'list_organization_memberships';

export const MOCK_ENDPOINTS: readonly MockEndpoint[] = [
  'authorize',
  'authenticate',
  'jwks',
  'logout',
  'get_user',
  'get_organization',
  'list_organization_memberships',
];

export type GrantType = 'authorization_code' | 'refresh_token';

/** Who a request is about, as far as the mock can tell before handling it. */
export interface RequestSubject {
  userId?: string;
  email?: string;
  sessionId?: string;
  grantType?: string;
}

export type FaultAction =
  /** Answer with this status and JSON body instead of the real response. */
  | { type: 'status'; status: number; body?: unknown; delayMs?: number }
  /** Destroy the socket without answering (fetch rejects with a network error). */
  | { type: 'drop'; delayMs?: number }
  /** Wait, then answer normally. */
  | { type: 'delay'; delayMs: number };

export interface FaultMatch {
  userId?: string;
  email?: string;
  grantType?: GrantType;
}

export interface FaultSpec {
  endpoint: MockEndpoint;
  action: FaultAction;
  /** How many matching calls it affects (default 1). */
  times?: number;
  /** Without `match` the fault is global: any call to the endpoint triggers it. */
  match?: FaultMatch;
}

export interface Fault extends FaultSpec {
  id: string;
  remaining: number;
}

export interface RequestLogEntry {
  seq: number;
  time: string;
  method: string;
  path: string;
  endpoint: MockEndpoint;
  grantType: string | null;
  userId: string | null;
  sessionId: string | null;
  /** HTTP status answered; null for a dropped connection. */
  status: number | null;
  fault: FaultAction['type'] | null;
}

export interface RequestLogFilter {
  userId?: string;
  endpoint?: MockEndpoint;
  grantType?: string;
}

export interface MockWorkOSConfig {
  clientId: string;
  apiKey: string;
  redirectUris: string[];
  logoutReturnUris: string[];
  defaultLogoutRedirect: string;
  accessTokenTtlSeconds: number;
}

export type Clock = () => number;

export type GrantResult<T> = { ok: true; value: T } | { ok: false; status: number; error: string; description: string };

const invalidGrant = (description: string) => ({ ok: false, status: 400, error: 'invalid_grant', description }) as const;

export function generateId(prefix: string): string {
  // WorkOS ids are `prefix_` + a 26-character ULID; random Crockford base32 keeps that shape.
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const bytes = randomBytes(24);
  let suffix = '01';
  for (const byte of bytes) suffix += alphabet[byte % alphabet.length];
  return `${prefix}_${suffix}`;
}

const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');

/** RFC 7636 S256: BASE64URL(SHA256(ASCII(code_verifier))). */
export function s256CodeChallenge(codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier, 'ascii').digest('base64url');
}

export const emailDomain = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

export class MockWorkOSStore {
  readonly config: MockWorkOSConfig;
  readonly keys: SigningKeyRing;
  readonly #clock: Clock;

  readonly users = new Map<string, UserRecord>();
  readonly organizations = new Map<string, OrganizationRecord>();
  readonly memberships = new Map<string, MembershipRecord>();
  readonly rolePermissions = new Map<string, readonly string[]>();
  readonly authorizationRequests = new Map<string, AuthorizationRequest>();
  readonly codes = new Map<string, AuthorizationCode>();
  readonly sessions = new Map<string, SessionRecord>();
  readonly #refreshTokens = new Map<string, RefreshTokenRecord>();
  #faults: Fault[] = [];
  #requestLog: RequestLogEntry[] = [];
  #requestSeq = 0;
  readonly #initialAccessTokenTtlSeconds: number;
  /** Per-user access-token lifetimes: lets parallel tests shorten their own user's tokens only. */
  readonly #userAccessTokenTtlSeconds = new Map<string, number>();

  private constructor(config: MockWorkOSConfig, keys: SigningKeyRing, clock: Clock) {
    this.config = config;
    this.keys = keys;
    this.#clock = clock;
    this.#initialAccessTokenTtlSeconds = config.accessTokenTtlSeconds;
    this.reset();
  }

  static async create(config: MockWorkOSConfig, { clock = Date.now }: { clock?: Clock } = {}): Promise<MockWorkOSStore> {
    return new MockWorkOSStore({ ...config }, await SigningKeyRing.create(), clock);
  }

  now(): number {
    return this.#clock();
  }

  #isoNow(): string {
    return new Date(this.now()).toISOString();
  }

  /**
   * Back to the seed: users, organizations, sessions, faults, log and token
   * lifetime. Signing keys are kept on purpose: an app's cached JWKS stays valid.
   */
  reset(): void {
    for (const map of [this.users, this.organizations, this.memberships, this.rolePermissions, this.authorizationRequests, this.codes, this.sessions]) {
      map.clear();
    }
    this.#refreshTokens.clear();
    this.#faults = [];
    this.#requestLog = [];
    this.config.accessTokenTtlSeconds = this.#initialAccessTokenTtlSeconds;
    this.#userAccessTokenTtlSeconds.clear();
    for (const [role, permissions] of Object.entries(ROLE_PERMISSIONS)) this.rolePermissions.set(role, permissions);
    for (const organization of SEED_ORGANIZATIONS) this.createOrganization(organization);
    for (const user of SEED_USERS) this.createUser(user);
  }

  // ── directory ────────────────────────────────────────────────────────────

  /** A role (environment-wide, as in WorkOS) whose members' tokens carry these permissions. */
  createRole(slug: string, permissions: readonly string[]): { slug: string; permissions: readonly string[] } {
    if (this.rolePermissions.has(slug)) throw new MockInputError(`role "${slug}" already exists`);
    this.rolePermissions.set(slug, [...permissions]);
    return { slug, permissions: [...permissions] };
  }

  /** New permissions for an existing role: tokens issued from now on (a refresh included) carry them. */
  setRolePermissions(slug: string, permissions: readonly string[]): { slug: string; permissions: readonly string[] } {
    if (!this.rolePermissions.has(slug)) throw new MockInputError(`role "${slug}" does not exist`);
    this.rolePermissions.set(slug, [...permissions]);
    return { slug, permissions: [...permissions] };
  }

  createOrganization(seed: OrganizationSeed): OrganizationRecord {
    const id = seed.id ?? generateId('org');
    if (this.organizations.has(id)) throw new MockInputError(`organization ${id} already exists`);
    const now = this.#isoNow();
    const organization: OrganizationRecord = {
      id,
      name: seed.name,
      domains: (seed.domains ?? []).map((domain) => domain.toLowerCase()),
      entitlements: [...(seed.entitlements ?? [])],
      featureFlags: [...(seed.featureFlags ?? [])],
      sso: seed.sso ?? null,
      createdAt: now,
      updatedAt: now,
    };
    this.organizations.set(id, organization);
    return organization;
  }

  createUser(seed: UserSeed): UserRecord {
    const id = seed.id ?? generateId('user');
    if (this.users.has(id)) throw new MockInputError(`user ${id} already exists`);
    if (this.findUserByEmail(seed.email)) throw new MockInputError(`a user with email ${seed.email} already exists`);
    for (const membership of seed.memberships ?? []) this.#assertMembershipInput(membership.organizationId, membership.role);
    const now = this.#isoNow();
    const user: UserRecord = {
      id,
      email: seed.email.toLowerCase(),
      emailVerified: seed.emailVerified ?? true,
      firstName: seed.firstName ?? null,
      lastName: seed.lastName ?? null,
      password: seed.password ?? null,
      mfa: seed.mfa ?? null,
      impersonator: seed.impersonator ?? null,
      socialProvider: seed.socialProvider ?? null,
      lastSignInAt: null,
      createdAt: now,
      updatedAt: now,
    };
    this.users.set(id, user);
    for (const membership of seed.memberships ?? []) this.createMembership(id, membership.organizationId, membership.role);
    return user;
  }

  #assertMembershipInput(organizationId: string, role: string): void {
    if (!this.organizations.has(organizationId)) throw new MockInputError(`organization ${organizationId} does not exist`);
    if (!this.rolePermissions.has(role)) {
      throw new MockInputError(`role "${role}" does not exist (known: ${[...this.rolePermissions.keys()].join(', ')})`);
    }
  }

  createMembership(userId: string, organizationId: string, role: string): MembershipRecord {
    if (!this.users.has(userId)) throw new MockInputError(`user ${userId} does not exist`);
    this.#assertMembershipInput(organizationId, role);
    if (this.activeMembership(userId, organizationId)) throw new MockInputError(`user ${userId} is already a member of ${organizationId}`);
    const now = this.#isoNow();
    const membership: MembershipRecord = {
      id: generateId('om'),
      userId,
      organizationId,
      role,
      status: 'active',
      createdAt: now,
      updatedAt: now,
    };
    this.memberships.set(membership.id, membership);
    return membership;
  }

  findUserByEmail(email: string): UserRecord | undefined {
    const wanted = email.trim().toLowerCase();
    for (const user of this.users.values()) if (user.email === wanted) return user;
    return undefined;
  }

  findSocialAccount(provider: SocialProvider): UserRecord | undefined {
    for (const user of this.users.values()) if (user.socialProvider === provider) return user;
    return undefined;
  }

  membershipsOfUser(userId: string): MembershipRecord[] {
    return [...this.memberships.values()].filter((membership) => membership.userId === userId);
  }

  activeMembership(userId: string, organizationId: string): MembershipRecord | undefined {
    return this.membershipsOfUser(userId).find(
      (membership) => membership.organizationId === organizationId && membership.status === 'active',
    );
  }

  /** The organization a sign-in lands in when the app did not ask for one: the oldest active membership. */
  defaultOrganizationOf(userId: string): string | null {
    return this.membershipsOfUser(userId).find((membership) => membership.status === 'active')?.organizationId ?? null;
  }

  /** The organization whose verified domain matches the email and has an SSO connection. */
  ssoOrganizationForEmail(email: string): OrganizationRecord | undefined {
    const domain = emailDomain(email);
    for (const organization of this.organizations.values()) {
      if (organization.sso && organization.domains.includes(domain)) return organization;
    }
    return undefined;
  }

  // ── hosted sign-in ──────────────────────────────────────────────────────

  createAuthorizationRequest(
    input: Omit<AuthorizationRequest, 'id' | 'expiresAt' | 'awaitingMfa' | 'magicCode'>,
  ): AuthorizationRequest {
    const request: AuthorizationRequest = {
      ...input,
      id: generateId('authreq'),
      expiresAt: this.now() + AUTHORIZATION_REQUEST_TTL_SECONDS * 1000,
      awaitingMfa: null,
      magicCode: null,
    };
    this.authorizationRequests.set(request.id, request);
    return request;
  }

  /** A live pending sign-in, or undefined when unknown or expired. */
  getAuthorizationRequest(id: string | null | undefined): AuthorizationRequest | undefined {
    if (!id) return undefined;
    const request = this.authorizationRequests.get(id);
    if (!request) return undefined;
    if (request.expiresAt <= this.now()) {
      this.authorizationRequests.delete(id);
      return undefined;
    }
    return request;
  }

  startMagicAuth(request: AuthorizationRequest, user: UserRecord): string {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    request.magicCode = {
      userId: user.id,
      email: user.email,
      code,
      expiresAt: this.now() + MAGIC_CODE_TTL_SECONDS * 1000,
      attempts: 0,
    };
    return code;
  }

  /** Ends the pending sign-in and issues the single-use code the app exchanges. */
  issueAuthorizationCode(request: AuthorizationRequest, signIn: CompletedSignIn): AuthorizationCode {
    const code: AuthorizationCode = {
      code: randomToken(24),
      clientId: request.clientId,
      redirectUri: request.redirectUri,
      codeChallenge: request.codeChallenge,
      signIn,
      expiresAt: this.now() + AUTHORIZATION_CODE_TTL_SECONDS * 1000,
      used: false,
    };
    this.codes.set(code.code, code);
    this.authorizationRequests.delete(request.id);
    const user = this.users.get(signIn.userId);
    if (user) user.lastSignInAt = this.#isoNow();
    return code;
  }

  // ── token endpoint ──────────────────────────────────────────────────────

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
    return { grantType };
  }

  /**
   * authorization_code grant. A code is burnt by any exchange attempt, right or
   * wrong, so a stolen code gets exactly one try.
   */
  exchangeCode(input: { clientId: string; code: string | undefined; codeVerifier: string | undefined }): GrantResult<{
    session: SessionRecord;
    refreshToken: string;
    oauthTokens: OAuthTokens | null;
  }> {
    const code = input.code ? this.codes.get(input.code) : undefined;
    if (!code) return invalidGrant('The code is invalid.');
    if (code.used) return invalidGrant('The code has already been used.');
    code.used = true;
    if (code.expiresAt <= this.now()) return invalidGrant('The code has expired.');
    if (code.clientId !== input.clientId) return invalidGrant('The code was issued to another client.');
    if (!input.codeVerifier) return invalidGrant('code_verifier is required: the authorization request used PKCE.');
    if (s256CodeChallenge(input.codeVerifier) !== code.codeChallenge) {
      return invalidGrant('The code_verifier does not match the code_challenge.');
    }
    const user = this.users.get(code.signIn.userId);
    if (!user) return invalidGrant('The user no longer exists.');
    const session: SessionRecord = {
      id: generateId('session'),
      userId: user.id,
      clientId: code.clientId,
      organizationId: code.signIn.organizationId,
      method: code.signIn.method,
      impersonator: user.impersonator,
      createdAt: this.#isoNow(),
      endedAt: null,
    };
    this.sessions.set(session.id, session);
    return { ok: true, value: { session, refreshToken: this.#issueRefreshToken(session.id), oauthTokens: code.signIn.oauthTokens } };
  }

  /**
   * refresh_token grant with rotation: the presented token dies, a new one is
   * issued. A refused organization switch leaves the token usable (the session
   * is still fine, only the switch was not allowed).
   */
  refresh(input: { clientId: string; refreshToken: string | undefined; organizationId: string | undefined }): GrantResult<{
    session: SessionRecord;
    refreshToken: string;
  }> {
    const record = input.refreshToken ? this.#refreshTokens.get(input.refreshToken) : undefined;
    if (!record) return invalidGrant('The refresh token is invalid.');
    if (record.used) return invalidGrant('The refresh token has already been used.');
    const session = this.sessions.get(record.sessionId);
    if (!session || session.endedAt) return invalidGrant('The session has ended.');
    if (session.clientId !== input.clientId) return invalidGrant('The refresh token was issued to another client.');
    if (!this.users.has(session.userId)) return invalidGrant('The user no longer exists.');
    const targetOrganizationId = input.organizationId || session.organizationId;
    if (targetOrganizationId && !this.activeMembership(session.userId, targetOrganizationId)) {
      return {
        ok: false,
        status: 403,
        error: 'organization_membership_not_found',
        description: `The user is not a member of organization ${targetOrganizationId}.`,
      };
    }
    record.used = true;
    session.organizationId = targetOrganizationId;
    return { ok: true, value: { session, refreshToken: this.#issueRefreshToken(session.id) } };
  }

  #issueRefreshToken(sessionId: string): string {
    const token = randomToken();
    this.#refreshTokens.set(token, { token, sessionId, used: false });
    return token;
  }

  /** Claims of a fresh access token for the session's current state. */
  accessTokenClaims(session: SessionRecord, issuer: string): Record<string, unknown> {
    const issuedAt = Math.floor(this.now() / 1000);
    const claims: Record<string, unknown> = {
      iss: issuer,
      sub: session.userId,
      sid: session.id,
      jti: generateId('jti').slice(4),
    };
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

  /**
   * Lifetime of access tokens issued to this user from now on; `null` goes back
   * to the global lifetime (`config.accessTokenTtlSeconds`).
   */
  setUserAccessTokenTtl(userId: string, seconds: number | null): void {
    if (!this.users.has(userId)) throw new MockInputError(`user ${userId} does not exist`);
    if (seconds === null) this.#userAccessTokenTtlSeconds.delete(userId);
    else this.#userAccessTokenTtlSeconds.set(userId, seconds);
  }

  /** The access-token lifetime for this user: their own, else the global one. */
  accessTokenTtlFor(userId: string): number {
    return this.#userAccessTokenTtlSeconds.get(userId) ?? this.config.accessTokenTtlSeconds;
  }

  /** Ends a session: its refresh tokens stop working. Returns false for an unknown id. */
  endSession(sessionId: string): boolean {
    const session = this.sessions.get(sessionId);
    if (!session) return false;
    session.endedAt ??= this.#isoNow();
    return true;
  }

  // ── faults and request log ──────────────────────────────────────────────

  addFault(spec: FaultSpec): Fault {
    const fault: Fault = { ...spec, id: generateId('fault'), remaining: spec.times ?? 1 };
    this.#faults.push(fault);
    return fault;
  }

  get faults(): readonly Fault[] {
    return this.#faults;
  }

  /** Removes one fault by id (a test cleaning up only its own); false if it was used up or unknown. */
  removeFault(id: string): boolean {
    const before = this.#faults.length;
    this.#faults = this.#faults.filter((fault) => fault.id !== id);
    return this.#faults.length < before;
  }

  clearFaults(): void {
    this.#faults = [];
  }

  /** Consumes one use of the first fault matching this call, if any. */
  takeFault(endpoint: MockEndpoint, subject: RequestSubject): Fault | undefined {
    const fault = this.#faults.find(({ endpoint: faultEndpoint, match }) => {
      if (faultEndpoint !== endpoint) return false;
      if (!match) return true;
      if (match.userId !== undefined && match.userId !== subject.userId) return false;
      if (match.email !== undefined && match.email.toLowerCase() !== subject.email?.toLowerCase()) return false;
      if (match.grantType !== undefined && match.grantType !== subject.grantType) return false;
      return true;
    });
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.#faults = this.#faults.filter((other) => other !== fault);
    return fault;
  }

  /** Records a call; the returned entry is completed (status, fault) by the caller. */
  logRequest(input: { method: string; path: string; endpoint: MockEndpoint } & RequestSubject): RequestLogEntry {
    const entry: RequestLogEntry = {
      seq: ++this.#requestSeq,
      time: this.#isoNow(),
      method: input.method,
      path: input.path,
      endpoint: input.endpoint,
      grantType: input.grantType ?? null,
      userId: input.userId ?? null,
      sessionId: input.sessionId ?? null,
      status: null,
      fault: null,
    };
    this.#requestLog.push(entry);
    if (this.#requestLog.length > REQUEST_LOG_LIMIT) this.#requestLog.shift();
    return entry;
  }

  requestLog(filter: RequestLogFilter = {}): RequestLogEntry[] {
    return this.#requestLog.filter(
      (entry) =>
        (filter.userId === undefined || entry.userId === filter.userId) &&
        (filter.endpoint === undefined || entry.endpoint === filter.endpoint) &&
        (filter.grantType === undefined || entry.grantType === filter.grantType),
    );
  }

  clearRequestLog(): void {
    this.#requestLog = [];
  }
}

/** Bad input to a store operation (unknown organization, duplicate email…); the control API answers 422. */
export class MockInputError extends Error {
  override name = 'MockInputError';
}
