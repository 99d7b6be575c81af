/**
 * The mock's records and the small helpers every part of the store shares.
 * Types only depend on each other here, so `seed.ts` can describe the demo
 * world without importing the store (no seed ↔ store cycle).
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';

export const AUTHORIZATION_CODE_TTL_SECONDS = 10 * 60;
export const AUTHORIZATION_REQUEST_TTL_SECONDS = 30 * 60;
export const MAGIC_CODE_TTL_SECONDS = 10 * 60;
export const MAGIC_CODE_MAX_ATTEMPTS = 5;
/** Email verification codes, password reset tokens and pending authentications live as long as a magic code. */
export const ONE_TIME_CODE_TTL_SECONDS = 10 * 60;
/** SMS and generic one-time-password challenges (WorkOS: 5 minutes). */
export const OTP_CHALLENGE_TTL_SECONDS = 5 * 60;
export const INVITATION_DEFAULT_EXPIRY_DAYS = 7;
export const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 300;
/** A session's maximum length (WorkOS dashboard → Sessions; configurable there, fixed here). */
export const SESSION_LIFETIME_SECONDS = 30 * 24 * 60 * 60;

export type SocialProvider = 'GoogleOAuth' | 'MicrosoftOAuth' | 'GitHubOAuth';
export const SOCIAL_PROVIDERS: readonly SocialProvider[] = ['GoogleOAuth', 'MicrosoftOAuth', 'GitHubOAuth'];

/** How the user proved who they are at the hosted sign-in (a passkey proves both factors: WorkOS asks no TOTP code after it). */
type PrimaryFactor = 'Password' | 'MagicAuth' | 'SSO' | 'Passkey' | SocialProvider;

/** The subset of WorkOS' `authentication_method` enum the mock can produce. */
export type MockAuthenticationMethod = PrimaryFactor | 'Impersonation';

interface Impersonator {
  email: string;
  reason: string | null;
}

export interface UserRecord {
  id: string;
  email: string;
  emailVerified: boolean;
  firstName: string | null;
  lastName: string | null;
  externalId: string | null;
  /** null: the account cannot sign in with a password (SSO or social only). */
  password: string | null;
  /** TOTP is a fixed per-user code: it is a demo, and the page shows it. */
  mfa: { totpCode: string } | null;
  /** Every session of this user is marked as impersonated by this person. */
  impersonator: Impersonator | null;
  socialProvider: SocialProvider | null;
  metadata: Record<string, string>;
  locale: string | null;
  lastSignInAt: string | null;
  createdAt: string;
  updatedAt: string;
}

interface SsoConnection {
  connectionId: string;
  /** `misconfigured` sends the browser back to the app with an error, as a broken IdP setup does. */
  state: 'active' | 'misconfigured';
  /** Members whose email is on the organization's domains must use SSO. */
  required: boolean;
}

export type DomainState = 'verified' | 'pending';

export interface OrganizationDomainRecord {
  id: string;
  domain: string;
  state: DomainState;
  /** For a pending domain: the DNS TXT record that would prove it. */
  verificationToken: string;
  createdAt: string;
}

export interface OrganizationRecord {
  id: string;
  name: string;
  domains: OrganizationDomainRecord[];
  externalId: string | null;
  metadata: Record<string, string>;
  stripeCustomerId: string | null;
  allowProfilesOutsideOrganization: boolean;
  entitlements: string[];
  featureFlags: string[];
  sso: SsoConnection | null;
  /**
   * A sign-in into it needs a second factor (TOTP), set up at the sign-in if the user has none (WorkOS: an environment
   * setting). The API, which asks before an organization is chosen, requires it of all its members.
   */
  mfaRequired: boolean;
  createdAt: string;
  updatedAt: string;
}

export type MembershipStatus = 'active' | 'inactive' | 'pending';
export const MEMBERSHIP_STATUSES: readonly MembershipStatus[] = ['active', 'inactive', 'pending'];

export interface MembershipRecord {
  id: string;
  userId: string;
  organizationId: string;
  role: string;
  status: MembershipStatus;
  createdAt: string;
  updatedAt: string;
}

export interface MembershipSeed {
  organizationId: string;
  role: string;
  status?: MembershipStatus;
}

/** An environment role (WorkOS: Roles & Permissions), or a role of one organization (`organizationId`). */
export interface RoleRecord {
  id: string;
  slug: string;
  name: string;
  description: string | null;
  permissions: string[];
  /** null: an environment role, valid in every organization. */
  organizationId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface UserSeed {
  id?: string;
  email: string;
  firstName?: string | null;
  lastName?: string | null;
  externalId?: string | null;
  metadata?: Record<string, string>;
  locale?: string | null;
  password?: string | null;
  emailVerified?: boolean;
  mfa?: { totpCode: string } | null;
  impersonator?: Impersonator | null;
  socialProvider?: SocialProvider | null;
  memberships?: readonly MembershipSeed[];
  /** After a password sign-in without a passkey, the hosted page offers to create one (WorkOS: progressive enrollment, an environment setting). */
  passkeyProgressiveEnrollment?: boolean;
  /** How the demo account is meant to be used (README, CLI banner, sign-in page). */
  demo?: { signIn: string; demonstrates: string };
}

export interface OrganizationSeed {
  id?: string;
  name: string;
  /** Verified domains (`domainData` sets the state of each). */
  domains?: readonly string[];
  domainData?: readonly { domain: string; state: DomainState }[];
  externalId?: string | null;
  metadata?: Record<string, string>;
  stripeCustomerId?: string | null;
  allowProfilesOutsideOrganization?: boolean;
  entitlements?: readonly string[];
  featureFlags?: readonly string[];
  sso?: SsoConnection | null;
  mfaRequired?: boolean;
}

export interface InvitationRecord {
  id: string;
  email: string;
  organizationId: string | null;
  roleSlug: string | null;
  inviterUserId: string | null;
  /** The secret in the accept link. */
  token: string;
  expiresAt: string;
  acceptedAt: string | null;
  acceptedUserId: string | null;
  revokedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export type InvitationState = 'pending' | 'accepted' | 'expired' | 'revoked';

/** A one-time code or token sent by email: magic auth, email verification, password reset. */
export interface OneTimeCodeRecord {
  id: string;
  userId: string;
  email: string;
  /** 6 digits (magic auth, email verification) or a long token (password reset). */
  code: string;
  expiresAt: string;
  /** Wrong guesses so far; the code dies at MAGIC_CODE_MAX_ATTEMPTS. */
  attempts: number;
  usedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export type AuthFactorType = 'totp' | 'sms' | 'generic_otp';

export interface AuthFactorRecord {
  id: string;
  type: AuthFactorType;
  /** null: a factor enrolled on its own (POST /auth/factors/enroll), not a user's. */
  userId: string | null;
  totp: { issuer: string; user: string; secret: string } | null;
  phoneNumber: string | null;
  /** A seeded demo account's fixed code (the hosted page shows it), accepted instead of the TOTP. */
  demoCode: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AuthChallengeRecord {
  id: string;
  factorId: string;
  /** The code sent (SMS) or handed back (generic OTP); null for TOTP, whose code the authenticator computes. */
  code: string | null;
  expiresAt: string | null;
  attempts: number;
  verifiedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What a `pending_authentication_token` stands for: a sign-in that owes one more step. */
export interface PendingAuthentication {
  token: string;
  userId: string;
  step: 'email_verification' | 'mfa' | 'organization_selection';
  method: PrimaryFactor;
  client: ClientInfo;
  clientId: string;
  expiresAt: number;
}

/** A user's API key (`userId` set) or an organization's (`userId` null: machine access). */
export interface ApiKeyRecord {
  id: string;
  userId: string | null;
  organizationId: string;
  name: string;
  value: string;
  permissions: string[];
  createdAt: string;
  updatedAt: string;
  /** Set by each validation. */
  lastUsedAt: string | null;
}

export interface OAuthTokens {
  provider: SocialProvider;
  accessToken: string;
  refreshToken: string;
  /** Unix seconds. */
  expiresAt: number;
  scopes: string[];
}

/** The browser a sign-in came from, as WorkOS records it on the session. */
export interface ClientInfo {
  ipAddress: string | null;
  userAgent: string | null;
}

/** What a completed sign-in hands to the code it issues. */
export interface CompletedSignIn {
  userId: string;
  organizationId: string | null;
  method: PrimaryFactor;
  oauthTokens: OAuthTokens | null;
  /** When the user last proved who they are (ms): the sign-in on the page, or the browser's hosted session's (`max_age`). Default: when the session starts. */
  authenticatedAt?: number;
}

export interface AuthorizationRequest {
  id: string;
  clientId: string;
  redirectUri: string;
  /** Returned to the app byte for byte; null when the app sent none. */
  state: string | null;
  /** S256 challenge; null when the app sent none (a confidential client may). */
  codeChallenge: string | null;
  screenHint: 'sign-in' | 'sign-up';
  loginHint: string | null;
  organizationId: string | null;
  /** The invitation this sign-in accepts when it succeeds (an invitation link, or `invitation_token`). */
  invitationToken: string | null;
  client: ClientInfo;
  expiresAt: number;
  /** The magic auth (./verifications.ts) whose code this sign-in waits for. */
  magicAuthId: string | null;
}

export interface AuthorizationCode {
  code: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string | null;
  signIn: CompletedSignIn;
  client: ClientInfo;
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
  ipAddress: string | null;
  userAgent: string | null;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  endedAt: string | null;
  /** Started by a public client (PKCE, no client secret): its refresh tokens are exchanged without the secret too. */
  publicClient: boolean;
  /** The last interactive sign-in behind the session: its access tokens' `auth_time`, unchanged by refreshes. */
  authenticatedAt: string;
}

/**
 * The endpoints a fault can target and the request log names: the hosted sign-in and token
 * endpoints, then one name per WorkOS API operation (the SDK method's name, in snake case).
 */
export const MOCK_ENDPOINTS = [
  'authorize',
  'authenticate',
  'jwks',
  'logout',
  'list_sessions',
  'revoke_session',
  // users
  'list_users',
  'create_user',
  'get_user',
  'get_user_by_external_id',
  'update_user',
  'delete_user',
  'get_user_identities',
  'list_user_api_keys',
  'create_user_api_key',
  'send_verification_email',
  'verify_email',
  'get_email_verification',
  'create_magic_auth',
  'get_magic_auth',
  'create_password_reset',
  'get_password_reset',
  'reset_password',
  // organizations and their roles
  'list_organizations',
  'create_organization',
  'get_organization',
  'get_organization_by_external_id',
  'update_organization',
  'delete_organization',
  'list_organization_roles',
  'create_organization_role',
  'get_organization_role',
  'update_organization_role',
  'delete_organization_role',
  'set_organization_role_permissions',
  'add_organization_role_permission',
  'remove_organization_role_permission',
  // memberships
  'list_organization_memberships',
  'create_organization_membership',
  'get_organization_membership',
  'update_organization_membership',
  'delete_organization_membership',
  'deactivate_organization_membership',
  'reactivate_organization_membership',
  'list_organization_membership_groups',
  // invitations
  'list_invitations',
  'send_invitation',
  'get_invitation',
  'find_invitation_by_token',
  'accept_invitation',
  'revoke_invitation',
  'resend_invitation',
  // MFA
  'create_user_auth_factor',
  'list_user_auth_factors',
  'enroll_factor',
  'get_factor',
  'delete_factor',
  'challenge_factor',
  'verify_challenge',
  // organization API keys
  'list_organization_api_keys',
  'create_organization_api_key',
  'delete_api_key',
  'validate_api_key',
  // events and webhooks
  'list_events',
  'list_webhook_endpoints',
  'create_webhook_endpoint',
  'update_webhook_endpoint',
  'delete_webhook_endpoint',
] as const;

export type MockEndpoint = (typeof MOCK_ENDPOINTS)[number];

type GrantType = 'authorization_code' | 'refresh_token' | 'password';

/** Who a request is about, as far as the mock can tell before handling it. */
export interface RequestSubject {
  userId?: string;
  email?: string;
  sessionId?: string;
  grantType?: string;
  /** The redirect_uri of an authorize call, the return_to of a logout. */
  redirectUri?: string;
}

export type FaultAction =
  /** Answer with this status and JSON body instead of the real response. */
  | { type: 'status'; status: number; body?: unknown; delayMs?: number }
  /** Destroy the socket without answering (fetch rejects with a network error). */
  | { type: 'drop'; delayMs?: number }
  /** Wait, then answer normally. */
  | { type: 'delay'; delayMs: number }
  /**
   * Answer normally, but with these fields of the JSON body removed (`omit`)
   * or set to null (`nullify`): an oddly-shaped answer. A path is dot-separated
   * and `[]` stands for every item of an array, e.g. `data[].organization_name`.
   */
  | { type: 'alter_fields'; omit?: string[]; nullify?: string[]; delayMs?: number };

interface FaultMatch {
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
  /** The redirect_uri of an authorize call, the return_to of a logout: where the app asked to be sent back. */
  redirectUri: string | null;
  /** HTTP status answered; null for a dropped connection. */
  status: number | null;
  /** A successful `authenticate` answer: the organization it signed into (its `organization_id`), else null. */
  organizationId: string | null;
  fault: FaultAction['type'] | null;
  /**
   * `jwks` answered with keys: the key ids it published, i.e. what the caller can verify until it
   * fetches again (a fetch before a rotation lacks the new kid). Null for other calls and when a fault
   * or a 404 answered instead.
   */
  kids: string[] | null;
  /** The `authentication_method` a token endpoint success answered (`Password`, `Passkey`, …); null for other calls and failures. */
  authenticationMethod: string | null;
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
  /** The app's sign-in endpoint: an invitation link starts a sign-in there (WorkOS: "initiate login URL"). */
  initiateLoginUri: string;
  accessTokenTtlSeconds: number;
  /** Strict PKCE: refuse authorize without a challenge and any code without a verifier. */
  pkceRequired: boolean;
  /** 0 = strict single use; otherwise a just-used refresh token replays its rotation for this long. */
  refreshTokenReplayWindowSeconds: number;
  /**
   * A sign-in through the API (password, magic auth…) of a user with several active memberships answers
   * `organization_selection_required` instead of landing in the oldest (WorkOS does so depending on settings).
   */
  organizationSelectionRequired: boolean;
  /** Every user must sign in with a second factor (TOTP), except with SSO or a passkey (WorkOS: Authentication → MFA). */
  mfaRequired: boolean;
}

export type Clock = () => number;

export type GrantFailure =
  /** OAuth-style body `{error, error_description}`. */
  | { ok: false; status: number; error: string; description: string; extra?: Record<string, unknown> }
  /** WorkOS-style body `{code, message, …extra}`, plus the full `user` when `userId` is set. */
  | { ok: false; status: number; code: string; message: string; userId?: string; extra?: Record<string, unknown> };

export type GrantResult<T> = { ok: true; value: T } | GrantFailure;

export const invalidGrant = (description: string) => ({ ok: false, status: 400, error: 'invalid_grant', description }) as const;

export function generateId(prefix: string): string {
  // WorkOS ids are `prefix_` + a 26-character ULID; random Crockford base32 keeps that shape.
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const bytes = randomBytes(24);
  let suffix = '01';
  for (const byte of bytes) suffix += alphabet[byte % alphabet.length];
  return `${prefix}_${suffix}`;
}

export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');

/** RFC 7636 S256: BASE64URL(SHA256(ASCII(code_verifier))). */
export function s256CodeChallenge(codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier, 'ascii').digest('base64url');
}

export const emailDomain = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

/** Bad input to a store operation (unknown organization, duplicate email…); the control API answers 422. */
export class MockInputError extends Error {
  override name = 'MockInputError';
}

/**
 * An error WorkOS answers with a status and a `{code, message, …}` body (an
 * unknown id, a conflict, a failed check). The API handlers answer it as is;
 * the control API, like any MockInputError, as 422 with the message.
 */
export class WorkOSError extends MockInputError {
  override name = 'WorkOSError';
  readonly status: number;
  readonly code: string | null;
  readonly extra: Record<string, unknown>;

  constructor(status: number, code: string | null, message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.extra = extra;
  }

  get body(): Record<string, unknown> {
    return { ...(this.code !== null && { code: this.code }), message: this.message, ...this.extra };
  }
}

/** One field that failed validation, as WorkOS lists them in `errors`. */
export interface FieldError {
  field: string;
  code: string;
  message: string;
}

export const notFoundError = (kind: string, id: string) =>
  new WorkOSError(404, 'entity_not_found', `${kind} not found: '${id}'.`, { entity_id: id });

/** 422 with WorkOS' field errors: `{code: "invalid_request_parameters", message, errors: [{field, code, message}]}`. */
export const invalidParameters = (errors: FieldError[]) =>
  new WorkOSError(422, 'invalid_request_parameters', errors.map((error) => error.message).join(' '), { errors });

export const fieldError = (field: string, code: string, message: string): FieldError => ({ field, code, message });

/** Loose email check, as a form would do it (WorkOS checks deliverability too; the mock does not). */
export const isEmailAddress = (value: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);

/** 6 random digits. */
export const sixDigitCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0');
