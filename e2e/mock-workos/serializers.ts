/**
 * Store records → the JSON WorkOS sends. Typed with WorkOS' OpenAPI types
 * (`@workos/openapi-spec`), so a drift from the published API fails `tsc`; the
 * conformance test checks the same against the spec's schemas at run time,
 * and the handler tests check the SDK (@workos-inc/node) still reads it.
 */
import type { components, operations } from '@workos/openapi-spec';
import type { LoggedEvent } from './store/event-log.ts';
import type { WebhookEndpointRecord } from './store/webhooks.ts';
import type {
  AuthChallengeRecord,
  ApiKeyRecord,
  AuthFactorRecord,
  InvitationRecord,
  InvitationState,
  MembershipRecord,
  MockWorkOSStore,
  OAuthTokens,
  OneTimeCodeRecord,
  OrganizationRecord,
  RoleRecord,
  SessionRecord,
  SessionStatus,
  UserRecord,
} from './store.ts';

type Schemas = components['schemas'];

/**
 * The spec's user plus `name`, which the spec does not list but the SDK (10.x)
 * reads as a required field, so WorkOS sends it.
 */
export type UserJson = Schemas['UserlandUser'] & { name: string | null };
export type OrganizationJson = Schemas['Organization'];
export type MembershipJson = Schemas['UserlandUserOrganizationMembership'];
export type AuthenticationJson = Schemas['UserlandAuthenticateResponse'];
type SessionListJson = operations['UserlandUserSessionsController_list']['responses'][200]['content']['application/json'];
export type SessionJson = NonNullable<SessionListJson['data']>[number];
export type RoleJson = Schemas['Role'];
export type InvitationJson = Schemas['UserlandUserInvite'];
export type MagicAuthJson = Schemas['MagicAuth'];
export type EmailVerificationJson = Schemas['EmailVerification'];
export type PasswordResetJson = Schemas['PasswordReset'];
export type AuthFactorJson = Schemas['AuthenticationFactor'];
export type AuthFactorEnrolledJson = Schemas['AuthenticationFactorEnrolled'];
export type AuthChallengeJson = Schemas['AuthenticationChallenge'];
export type UserApiKeyJson = Schemas['UserApiKey'];
export type UserApiKeyWithValueJson = Schemas['UserApiKeyWithValue'];
export type OrganizationApiKeyJson = Schemas['OrganizationApiKey'];
export type OrganizationApiKeyWithValueJson = Schemas['OrganizationApiKeyWithValue'];
export type WebhookEndpointJson = Schemas['WebhookEndpointJson'];
/** The common part of every event (`EventSchema`); each type's `data` is checked against the spec by the tests. */
export interface EventJson {
  object: 'event';
  id: string;
  event: string;
  data: Record<string, unknown>;
  created_at: string;
}

export interface ListJson<T> {
  object: 'list';
  data: T[];
  list_metadata: { before: string | null; after: string | null };
}

/** What the membership serializer reads: the store's users and organizations. */
interface Directory {
  users: ReadonlyMap<string, UserRecord>;
  organizations: ReadonlyMap<string, OrganizationRecord>;
}

/** Kept minimal on purpose: the app seals the whole user into a cookie that must stay under 4 KB. */
export function toUserResponse(user: UserRecord): UserJson {
  const name = [user.firstName, user.lastName].filter(Boolean).join(' ');
  return {
    object: 'user',
    id: user.id,
    email: user.email,
    email_verified: user.emailVerified,
    profile_picture_url: null,
    name: name || null,
    first_name: user.firstName,
    last_name: user.lastName,
    external_id: user.externalId,
    last_sign_in_at: user.lastSignInAt,
    locale: user.locale,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
    metadata: { ...user.metadata },
  };
}

export function toOrganizationResponse(organization: OrganizationRecord): OrganizationJson {
  return {
    object: 'organization',
    id: organization.id,
    name: organization.name,
    allow_profiles_outside_organization: organization.allowProfilesOutsideOrganization,
    domains: organization.domains.map((domain) => ({
      object: 'organization_domain',
      id: domain.id,
      domain: domain.domain,
      organization_id: organization.id,
      state: domain.state,
      verification_strategy: 'dns',
      ...(domain.state === 'pending' && {
        verification_prefix: 'workos-domain-verification',
        verification_token: domain.verificationToken,
      }),
      created_at: domain.createdAt,
      updated_at: domain.createdAt,
    })),
    created_at: organization.createdAt,
    updated_at: organization.updatedAt,
    external_id: organization.externalId,
    ...(organization.stripeCustomerId !== null && { stripe_customer_id: organization.stripeCustomerId }),
    metadata: { ...organization.metadata },
  };
}

/** A membership list item: the spec's shape, with the full `user` and a single `role` (no `roles`). */
export function toMembershipResponse(store: Directory, membership: MembershipRecord): MembershipJson {
  const user = store.users.get(membership.userId);
  if (!user) throw new Error(`membership ${membership.id} belongs to unknown user ${membership.userId}`);
  return {
    object: 'organization_membership',
    id: membership.id,
    organization_id: membership.organizationId,
    organization_name: store.organizations.get(membership.organizationId)?.name ?? '',
    status: membership.status,
    user_id: membership.userId,
    user: toUserResponse(user),
    directory_managed: false,
    role: { slug: membership.role },
    created_at: membership.createdAt,
    updated_at: membership.updatedAt,
    custom_attributes: {},
  };
}

/** A membership as events carry it: no `user`, no `organization_name` (the spec's event payload). */
export function toMembershipEventData(membership: MembershipRecord) {
  return {
    object: 'organization_membership',
    id: membership.id,
    user_id: membership.userId,
    organization_id: membership.organizationId,
    status: membership.status,
    role: { slug: membership.role },
    custom_attributes: {},
    directory_managed: false,
    created_at: membership.createdAt,
    updated_at: membership.updatedAt,
  } as const;
}

export function toRoleResponse(role: RoleRecord): RoleJson {
  return {
    object: 'role',
    id: role.id,
    slug: role.slug,
    name: role.name,
    description: role.description,
    type: role.organizationId === null ? 'EnvironmentRole' : 'OrganizationRole',
    resource_type_slug: 'organization',
    permissions: [...role.permissions],
    created_at: role.createdAt,
    updated_at: role.updatedAt,
  };
}

/** An organization role as `organization_role.*` events carry it; environment roles are `role.*` events. */
export function toRoleEventData(role: RoleRecord) {
  if (role.organizationId === null) {
    return {
      object: 'role',
      slug: role.slug,
      resource_type_slug: 'organization',
      permissions: [...role.permissions],
      created_at: role.createdAt,
      updated_at: role.updatedAt,
    } as const;
  }
  return {
    object: 'organization_role',
    organization_id: role.organizationId,
    slug: role.slug,
    name: role.name,
    description: role.description,
    resource_type_slug: 'organization',
    permissions: [...role.permissions],
    created_at: role.createdAt,
    updated_at: role.updatedAt,
  } as const;
}

/** Without the token and the accept link: what events carry. */
export function toInvitationEventData(invitation: InvitationRecord, state: InvitationState) {
  return {
    object: 'invitation',
    id: invitation.id,
    email: invitation.email,
    state,
    accepted_at: invitation.acceptedAt,
    revoked_at: invitation.revokedAt,
    expires_at: invitation.expiresAt,
    organization_id: invitation.organizationId,
    inviter_user_id: invitation.inviterUserId,
    accepted_user_id: invitation.acceptedUserId,
    role_slug: invitation.roleSlug,
    created_at: invitation.createdAt,
    updated_at: invitation.updatedAt,
  } as const;
}

/** The accept link is on the mock's own origin (its stand-in for the AuthKit domain). */
export function toInvitationResponse(invitation: InvitationRecord, state: InvitationState, acceptUrl: string): InvitationJson {
  return { ...toInvitationEventData(invitation, state), token: invitation.token, accept_invitation_url: acceptUrl };
}

/** A magic auth or email verification without its code (events); with it (the API's answers). */
export function toOneTimeCodeEventData<Kind extends 'magic_auth' | 'email_verification'>(object: Kind, record: OneTimeCodeRecord) {
  return {
    object,
    id: record.id,
    user_id: record.userId,
    email: record.email,
    expires_at: record.expiresAt,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  } as const;
}

export function toMagicAuthResponse(record: OneTimeCodeRecord): MagicAuthJson {
  return { ...toOneTimeCodeEventData('magic_auth', record), code: record.code };
}

export function toEmailVerificationResponse(record: OneTimeCodeRecord): EmailVerificationJson {
  return { ...toOneTimeCodeEventData('email_verification', record), code: record.code };
}

export function toPasswordResetEventData(record: OneTimeCodeRecord) {
  return {
    object: 'password_reset',
    id: record.id,
    user_id: record.userId,
    email: record.email,
    expires_at: record.expiresAt,
    created_at: record.createdAt,
  } as const;
}

export function toPasswordResetResponse(record: OneTimeCodeRecord, resetUrl: string): PasswordResetJson {
  return { ...toPasswordResetEventData(record), password_reset_token: record.code, password_reset_url: resetUrl };
}

/** `enrolled`: the answer to an enrolment, the only one that shows the TOTP secret, QR code and URI. */
export function toAuthFactorResponse(factor: AuthFactorRecord): AuthFactorJson {
  return {
    object: 'authentication_factor',
    id: factor.id,
    type: factor.type,
    ...(factor.userId !== null && { user_id: factor.userId }),
    ...(factor.totp && { totp: { issuer: factor.totp.issuer, user: factor.totp.user } }),
    ...(factor.phoneNumber !== null && { sms: { phone_number: factor.phoneNumber } }),
    created_at: factor.createdAt,
    updated_at: factor.updatedAt,
  };
}

export function toEnrolledAuthFactorResponse(
  factor: AuthFactorRecord,
  totpExtras: { qrCode: string; uri: string } | null,
): AuthFactorEnrolledJson {
  const base = toAuthFactorResponse(factor);
  if (!factor.totp || !totpExtras) return base as AuthFactorEnrolledJson;
  return { ...base, totp: { ...factor.totp, qr_code: totpExtras.qrCode, uri: totpExtras.uri } };
}

/** `withCode`: a generic OTP challenge hands its code back (the app delivers it); SMS and TOTP never do. */
export function toAuthChallengeResponse(challenge: AuthChallengeRecord, withCode: boolean): AuthChallengeJson {
  return {
    object: 'authentication_challenge',
    id: challenge.id,
    authentication_factor_id: challenge.factorId,
    ...(challenge.expiresAt !== null && { expires_at: challenge.expiresAt }),
    ...(withCode && challenge.code !== null && { code: challenge.code }),
    created_at: challenge.createdAt,
    updated_at: challenge.updatedAt,
  };
}

/** `sk_…abcd`: what WorkOS shows of a key after creating it. */
const obfuscated = (value: string) => `${value.slice(0, 3)}…${value.slice(-4)}`;

export function toUserApiKeyResponse(key: ApiKeyRecord): UserApiKeyJson {
  return {
    object: 'api_key',
    id: key.id,
    owner: { type: 'user', id: key.userId ?? '', organization_id: key.organizationId },
    name: key.name,
    obfuscated_value: obfuscated(key.value),
    last_used_at: key.lastUsedAt,
    permissions: [...key.permissions],
    created_at: key.createdAt,
    updated_at: key.updatedAt,
  };
}

export function toOrganizationApiKeyResponse(key: ApiKeyRecord): OrganizationApiKeyJson {
  return {
    object: 'api_key',
    id: key.id,
    owner: { type: 'organization', id: key.organizationId },
    name: key.name,
    obfuscated_value: obfuscated(key.value),
    last_used_at: key.lastUsedAt,
    permissions: [...key.permissions],
    created_at: key.createdAt,
    updated_at: key.updatedAt,
  };
}

/** A user's or an organization's key, as its owner makes it. */
export const toApiKeyResponse = (key: ApiKeyRecord) =>
  key.userId === null ? toOrganizationApiKeyResponse(key) : toUserApiKeyResponse(key);

export function toEventResponse(event: LoggedEvent): EventJson {
  return { object: 'event', id: event.id, event: event.event, data: structuredClone(event.data), created_at: event.createdAt };
}

export function toWebhookEndpointResponse(endpoint: WebhookEndpointRecord): WebhookEndpointJson {
  return {
    object: 'webhook_endpoint',
    id: endpoint.id,
    endpoint_url: endpoint.url,
    secret: endpoint.secret,
    status: endpoint.status,
    events: [...endpoint.events],
    created_at: endpoint.createdAt,
    updated_at: endpoint.updatedAt,
  };
}

export function toListResponse<T>(data: T[], listMetadata: { before: string | null; after: string | null }): ListJson<T> {
  return { object: 'list', data, list_metadata: listMetadata };
}

const SESSION_AUTH_METHODS: Record<SessionRecord['method'], SessionJson['auth_method']> = {
  Password: 'password',
  MagicAuth: 'magic_code',
  SSO: 'sso',
  Passkey: 'passkey',
  GoogleOAuth: 'oauth',
  MicrosoftOAuth: 'oauth',
  GitHubOAuth: 'oauth',
  Impersonation: 'impersonation',
};

export function toSessionResponse(session: SessionRecord, status: SessionStatus): SessionJson {
  return {
    object: 'session',
    id: session.id,
    user_id: session.userId,
    ...(session.organizationId && { organization_id: session.organizationId }),
    ...(session.impersonator && { impersonator: { email: session.impersonator.email, reason: session.impersonator.reason } }),
    ip_address: session.ipAddress,
    user_agent: session.userAgent,
    auth_method: SESSION_AUTH_METHODS[session.method],
    status,
    expires_at: session.expiresAt,
    ended_at: session.endedAt,
    created_at: session.createdAt,
    updated_at: session.updatedAt,
  };
}

/** Never includes `sealed_session`: it would bloat the app's cookie past 4 KB. */
export async function toAuthenticationResponse(
  store: MockWorkOSStore,
  input: { session: SessionRecord; refreshToken: string; oauthTokens: OAuthTokens | null; issuer: string },
): Promise<AuthenticationJson> {
  const { session, refreshToken, oauthTokens, issuer } = input;
  const user = store.users.get(session.userId);
  if (!user) throw new Error(`session ${session.id} belongs to unknown user ${session.userId}`);
  const response: AuthenticationJson = {
    user: toUserResponse(user),
    access_token: await store.signAccessToken(session, issuer),
    refresh_token: refreshToken,
    authentication_method: session.method,
  };
  if (session.organizationId) response.organization_id = session.organizationId;
  if (session.impersonator) response.impersonator = { email: session.impersonator.email, reason: session.impersonator.reason };
  if (oauthTokens) {
    response.oauth_tokens = {
      provider: oauthTokens.provider,
      access_token: oauthTokens.accessToken,
      refresh_token: oauthTokens.refreshToken,
      expires_at: oauthTokens.expiresAt,
      scopes: oauthTokens.scopes,
    };
  }
  return response;
}
