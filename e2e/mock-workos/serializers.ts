/**
 * Store records → the JSON WorkOS sends. Typed with WorkOS' OpenAPI types
 * (`@workos/openapi-spec`), so a drift from the published API fails `tsc`; the
 * conformance test checks the same against the spec's schemas at run time,
 * and the handler tests check the SDK (@workos-inc/node) still reads it.
 */
import type { components, operations } from '@workos/openapi-spec';
import type {
  MembershipRecord,
  MockWorkOSStore,
  OAuthTokens,
  OrganizationRecord,
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

export interface ListJson<T> {
  object: 'list';
  data: T[];
  list_metadata: { before: string | null; after: string | null };
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
    locale: null,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
    metadata: {},
  };
}

export function toOrganizationResponse(organization: OrganizationRecord): OrganizationJson {
  return {
    object: 'organization',
    id: organization.id,
    name: organization.name,
    allow_profiles_outside_organization: false,
    domains: organization.domains.map((domain, index) => ({
      object: 'organization_domain',
      id: `org_domain_${organization.id.slice('org_'.length)}_${index}`,
      domain,
      organization_id: organization.id,
      state: 'verified',
      verification_strategy: 'dns',
      created_at: organization.createdAt,
      updated_at: organization.updatedAt,
    })),
    created_at: organization.createdAt,
    updated_at: organization.updatedAt,
    external_id: null,
    metadata: {},
  };
}

/** A membership list item: the spec's shape, with the full `user` and a single `role` (no `roles`). */
export function toMembershipResponse(store: MockWorkOSStore, membership: MembershipRecord): MembershipJson {
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

export function toListResponse<T>(data: T[], listMetadata: { before: string | null; after: string | null }): ListJson<T> {
  return { object: 'list', data, list_metadata: listMetadata };
}

const SESSION_AUTH_METHODS: Record<SessionRecord['method'], SessionJson['auth_method']> = {
  Password: 'password',
  MagicAuth: 'magic_code',
  SSO: 'sso',
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
