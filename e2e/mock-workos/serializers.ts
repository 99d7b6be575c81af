/**
 * Store records → the JSON WorkOS sends, typed with the SDK's own wire types
 * so a shape drift against @workos-inc/node fails `tsc`, not an e2e run.
 */
import {
  OrganizationDomainState,
  OrganizationDomainVerificationStrategy,
  type AuthenticationResponseResponse,
  type ListResponse,
  type OrganizationMembershipResponse,
  type OrganizationResponse,
  type UserResponse,
} from '@workos-inc/node';
import type { MembershipRecord, MockWorkOSStore, OAuthTokens, OrganizationRecord, SessionRecord, UserRecord } from './store.ts';

/** Kept minimal on purpose: the app seals the whole user into a cookie that must stay under 4 KB. */
export function toUserResponse(user: UserRecord): UserResponse {
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
    last_sign_in_at: user.lastSignInAt,
    locale: null,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
    metadata: {},
  };
}

export function toOrganizationResponse(organization: OrganizationRecord): OrganizationResponse {
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
      state: OrganizationDomainState.Verified,
      verification_strategy: OrganizationDomainVerificationStrategy.Dns,
      created_at: organization.createdAt,
      updated_at: organization.updatedAt,
    })),
    created_at: organization.createdAt,
    updated_at: organization.updatedAt,
    external_id: null,
    metadata: {},
  };
}

export function toMembershipResponse(membership: MembershipRecord, organization: OrganizationRecord | undefined): OrganizationMembershipResponse {
  return {
    object: 'organization_membership',
    id: membership.id,
    organization_id: membership.organizationId,
    organization_name: organization?.name ?? '',
    status: membership.status,
    user_id: membership.userId,
    directory_managed: false,
    role: { slug: membership.role },
    roles: [{ slug: membership.role }],
    created_at: membership.createdAt,
    updated_at: membership.updatedAt,
    custom_attributes: {},
  };
}

export function toListResponse<T>(data: T[], listMetadata: { before: string | null; after: string | null }): ListResponse<T> {
  return { object: 'list', data, list_metadata: listMetadata };
}

/** Never includes `sealed_session`: it would bloat the app's cookie past 4 KB. */
export async function toAuthenticationResponse(
  store: MockWorkOSStore,
  input: { session: SessionRecord; refreshToken: string; oauthTokens: OAuthTokens | null; issuer: string },
): Promise<AuthenticationResponseResponse> {
  const { session, refreshToken, oauthTokens, issuer } = input;
  const user = store.users.get(session.userId);
  if (!user) throw new Error(`session ${session.id} belongs to unknown user ${session.userId}`);
  const response: AuthenticationResponseResponse = {
    user: toUserResponse(user),
    access_token: await store.signAccessToken(session, issuer),
    refresh_token: refreshToken,
    authentication_method: session.method,
  };
  if (session.organizationId) response.organization_id = session.organizationId;
  if (session.impersonator) response.impersonator = { email: session.impersonator.email, reason: session.impersonator.reason };
  if (oauthTokens) {
    response.oauth_tokens = {
      access_token: oauthTokens.accessToken,
      refresh_token: oauthTokens.refreshToken,
      expires_at: oauthTokens.expiresAt,
      scopes: oauthTokens.scopes,
    };
  }
  return response;
}
