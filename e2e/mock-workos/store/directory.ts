/**
 * The directory an app manages with its API key: users, organizations,
 * memberships, roles (environment roles and each organization's own) and
 * API keys (users' and organizations'). Every change appends its WorkOS event to the event log
 * (./event-log.ts). Operations raise WorkOSError with the status and body
 * WorkOS answers (an unknown id, a taken external id, a bad role…).
 */
import { randomBytes } from 'node:crypto';
import { toMembershipEventData, toOrganizationResponse, toRoleEventData, toApiKeyResponse, toUserResponse } from '../serializers.ts';
import { FaultStore } from './faults.ts';
import {
  emailDomain,
  fieldError,
  generateId,
  invalidParameters,
  isEmailAddress,
  notFoundError,
  WorkOSError,
  type ApiKeyRecord,
  type DomainState,
  type MembershipRecord,
  type MembershipStatus,
  type OrganizationDomainRecord,
  type OrganizationRecord,
  type OrganizationSeed,
  type RoleRecord,
  type SocialProvider,
  type UserRecord,
  type UserSeed,
} from './records.ts';

/** The fields of a user an app may change (PUT /user_management/users/{id}). */
export interface UserChanges {
  email?: string;
  firstName?: string | null;
  lastName?: string | null;
  emailVerified?: boolean;
  password?: string;
  externalId?: string | null;
  metadata?: Record<string, string> | null;
  locale?: string | null;
}

/** The fields of an organization an app may change (PUT /organizations/{id}). */
export interface OrganizationChanges {
  name?: string;
  domainData?: readonly { domain: string; state: DomainState }[];
  externalId?: string | null;
  metadata?: Record<string, string> | null;
  stripeCustomerId?: string | null;
  allowProfilesOutsideOrganization?: boolean;
}

/** WorkOS' rule for passwords it sets (the hosted sign-up asks the same). */
const MIN_PASSWORD_LENGTH = 8;

/** Organization role slugs: `org-` then lowercase letters, digits, `-` and `_` (the spec's rule). */
const ORGANIZATION_ROLE_SLUG = /^org-[a-z0-9_-]+$/;
const PERMISSION_SLUG = /^[a-z0-9:._*-]+$/;

const roleKey = (organizationId: string | null, slug: string) => `${organizationId ?? ''}/${slug}`;

export function assertPasswordStrength(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new WorkOSError(400, 'password_strength_error', 'Password does not meet strength requirements.', {
      errors: [{ code: 'password_too_short', message: `Password must be at least ${MIN_PASSWORD_LENGTH} characters long.` }],
    });
  }
}

function assertPermissionSlugs(permissions: readonly string[]): void {
  const bad = permissions.find((permission) => !PERMISSION_SLUG.test(permission));
  if (bad !== undefined) throw new WorkOSError(422, null, `Permission "${bad}" is not a valid permission slug.`);
}

export abstract class DirectoryStore extends FaultStore {
  readonly users = new Map<string, UserRecord>();
  readonly organizations = new Map<string, OrganizationRecord>();
  readonly memberships = new Map<string, MembershipRecord>();
  /** Environment roles and organization roles, by `<organization id or "">/<slug>`. */
  readonly roles = new Map<string, RoleRecord>();
  readonly apiKeys = new Map<string, ApiKeyRecord>();
  /** `Idempotency-Key` → what the first call with it created, and its body (POST /organizations). */
  readonly idempotencyKeys = new Map<string, { objectId: string; body: string; at: number }>();

  protected override clearState(): void {
    super.clearState();
    for (const map of [this.users, this.organizations, this.memberships, this.roles, this.apiKeys, this.idempotencyKeys]) map.clear();
  }

  // ── roles ──────────────────────────────────────────────────────────────

  /** An environment role (valid in every organization) whose members' tokens carry these permissions. */
  createRole(slug: string, permissions: readonly string[], name = slug): RoleRecord {
    if (this.roles.has(roleKey(null, slug))) throw new WorkOSError(409, 'role_slug_conflict', `role "${slug}" already exists`);
    assertPermissionSlugs(permissions);
    const now = this.isoNow();
    const role: RoleRecord = {
      id: generateId('role'),
      slug,
      name,
      description: null,
      permissions: [...permissions],
      organizationId: null,
      createdAt: now,
      updatedAt: now,
    };
    this.roles.set(roleKey(null, slug), role);
    this.events.append('role.created', toRoleEventData(role), null);
    return role;
  }

  /** New permissions for an environment role: tokens issued from now on (a refresh included) carry them. */
  setRolePermissions(slug: string, permissions: readonly string[]): RoleRecord {
    const role = this.roles.get(roleKey(null, slug));
    if (!role) throw new WorkOSError(404, 'entity_not_found', `role "${slug}" does not exist`);
    return this.#setPermissions(role, permissions);
  }

  #setPermissions(role: RoleRecord, permissions: readonly string[]): RoleRecord {
    assertPermissionSlugs(permissions);
    role.permissions = [...new Set(permissions)];
    role.updatedAt = this.isoNow();
    this.#roleEvent('updated', role);
    return role;
  }

  #roleEvent(change: 'created' | 'updated' | 'deleted', role: RoleRecord): void {
    const type = role.organizationId === null ? 'role' : 'organization_role';
    this.events.append(`${type}.${change}`, toRoleEventData(role), role.organizationId);
  }

  /** The role `slug` means in this organization: the organization's own, else the environment's. */
  roleFor(slug: string, organizationId: string | null): RoleRecord | undefined {
    return (organizationId ? this.roles.get(roleKey(organizationId, slug)) : undefined) ?? this.roles.get(roleKey(null, slug));
  }

  permissionsOfRole(slug: string, organizationId: string | null): readonly string[] {
    return this.roleFor(slug, organizationId)?.permissions ?? [];
  }

  /** Environment roles, then the organization's own, each oldest first. */
  rolesOfOrganization(organizationId: string): RoleRecord[] {
    this.requireOrganization(organizationId);
    const roles = [...this.roles.values()];
    return [...roles.filter((role) => role.organizationId === null), ...roles.filter((role) => role.organizationId === organizationId)];
  }

  organizationRole(organizationId: string, slug: string): RoleRecord {
    this.requireOrganization(organizationId);
    const role = this.roles.get(roleKey(organizationId, slug));
    if (!role) throw new WorkOSError(404, 'entity_not_found', `Role not found: '${slug}'.`);
    return role;
  }

  createOrganizationRole(organizationId: string, input: { slug?: string; name: string; description?: string | null }): RoleRecord {
    this.requireOrganization(organizationId);
    const slug =
      input.slug ??
      `org-${
        input.name
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-|-$/g, '') || 'role'
      }-${randomBytes(3).toString('hex')}`;
    if (!ORGANIZATION_ROLE_SLUG.test(slug)) {
      throw invalidParameters([
        fieldError(
          'slug',
          'slug_invalid',
          "slug must begin with 'org-' and contain only lowercase letters, numbers, hyphens and underscores.",
        ),
      ]);
    }
    if (this.roles.has(roleKey(organizationId, slug)) || this.roles.has(roleKey(null, slug))) {
      throw new WorkOSError(409, 'organization_role_slug_conflict', `A role with slug "${slug}" already exists in this organization.`);
    }
    const now = this.isoNow();
    const role: RoleRecord = {
      id: generateId('role'),
      slug,
      name: input.name,
      description: input.description ?? null,
      permissions: [],
      organizationId,
      createdAt: now,
      updatedAt: now,
    };
    this.roles.set(roleKey(organizationId, slug), role);
    this.#roleEvent('created', role);
    return role;
  }

  updateOrganizationRole(organizationId: string, slug: string, changes: { name?: string; description?: string | null }): RoleRecord {
    const role = this.organizationRole(organizationId, slug);
    if (changes.name !== undefined) role.name = changes.name;
    if (changes.description !== undefined) role.description = changes.description;
    role.updatedAt = this.isoNow();
    this.#roleEvent('updated', role);
    return role;
  }

  /** Refused (409 role_has_assignments) while a membership holds the role. */
  deleteOrganizationRole(organizationId: string, slug: string): void {
    const role = this.organizationRole(organizationId, slug);
    const holders = [...this.memberships.values()].filter((m) => m.organizationId === organizationId && m.role === slug);
    if (holders.length > 0) {
      throw new WorkOSError(
        409,
        'role_has_assignments',
        `Role "${slug}" is assigned to ${holders.length} membership(s); reassign them first.`,
      );
    }
    this.roles.delete(roleKey(organizationId, slug));
    this.#roleEvent('deleted', role);
  }

  setOrganizationRolePermissions(organizationId: string, slug: string, permissions: readonly string[]): RoleRecord {
    return this.#setPermissions(this.organizationRole(organizationId, slug), permissions);
  }

  addOrganizationRolePermission(organizationId: string, slug: string, permission: string): RoleRecord {
    const role = this.organizationRole(organizationId, slug);
    return this.#setPermissions(role, [...role.permissions, permission]);
  }

  removeOrganizationRolePermission(organizationId: string, slug: string, permission: string): RoleRecord {
    const role = this.organizationRole(organizationId, slug);
    if (!role.permissions.includes(permission)) {
      throw new WorkOSError(404, 'entity_not_found', `Permission not found on role "${slug}": '${permission}'.`);
    }
    return this.#setPermissions(
      role,
      role.permissions.filter((candidate) => candidate !== permission),
    );
  }

  // ── organizations ──────────────────────────────────────────────────────

  requireOrganization(id: string): OrganizationRecord {
    const organization = this.organizations.get(id);
    if (!organization) throw notFoundError('Organization', id);
    return organization;
  }

  findOrganizationByExternalId(externalId: string): OrganizationRecord | undefined {
    for (const organization of this.organizations.values()) if (organization.externalId === externalId) return organization;
    return undefined;
  }

  #domainRecords(
    organizationId: string,
    wanted: readonly { domain: string; state: DomainState }[],
    existing: OrganizationDomainRecord[] = [],
  ): OrganizationDomainRecord[] {
    const records: OrganizationDomainRecord[] = [];
    for (const { domain: raw, state } of wanted) {
      const domain = raw.trim().toLowerCase();
      if (!/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(domain)) {
        throw invalidParameters([fieldError('domain_data', 'domain_invalid', `"${raw}" is not a domain.`)]);
      }
      const owner = [...this.organizations.values()].find(
        (other) => other.id !== organizationId && other.domains.some((candidate) => candidate.domain === domain),
      );
      if (owner) throw new WorkOSError(409, null, `The domain ${domain} already belongs to another organization.`);
      if (records.some((record) => record.domain === domain)) continue;
      const kept = existing.find((record) => record.domain === domain);
      records.push(
        kept
          ? { ...kept, state }
          : { id: generateId('org_domain'), domain, state, verificationToken: randomBytes(12).toString('hex'), createdAt: this.isoNow() },
      );
    }
    return records;
  }

  #assertFreeExternalId(kind: 'organization' | 'user', externalId: string | null | undefined, ownId: string): void {
    if (externalId === null || externalId === undefined) return;
    const owner = kind === 'organization' ? this.findOrganizationByExternalId(externalId) : this.findUserByExternalId(externalId);
    if (owner && owner.id !== ownId) {
      throw new WorkOSError(400, 'external_id_already_used', `The external_id "${externalId}" is already used by another ${kind}.`);
    }
  }

  createOrganization(seed: OrganizationSeed): OrganizationRecord {
    const id = seed.id ?? generateId('org');
    if (this.organizations.has(id)) throw new WorkOSError(409, null, `organization ${id} already exists`);
    this.#assertFreeExternalId('organization', seed.externalId, id);
    if (seed.stripeCustomerId) this.#assertFreeStripeCustomer(seed.stripeCustomerId, id);
    const domainData = seed.domainData ?? (seed.domains ?? []).map((domain) => ({ domain, state: 'verified' as const }));
    const now = this.isoNow();
    const organization: OrganizationRecord = {
      id,
      name: seed.name,
      domains: this.#domainRecords(id, domainData),
      externalId: seed.externalId ?? null,
      metadata: { ...seed.metadata },
      stripeCustomerId: seed.stripeCustomerId ?? null,
      allowProfilesOutsideOrganization: seed.allowProfilesOutsideOrganization ?? false,
      entitlements: [...(seed.entitlements ?? [])],
      featureFlags: [...(seed.featureFlags ?? [])],
      sso: seed.sso ?? null,
      mfaRequired: seed.mfaRequired ?? false,
      createdAt: now,
      updatedAt: now,
    };
    this.organizations.set(id, organization);
    this.events.append('organization.created', toOrganizationResponse(organization), id);
    return organization;
  }

  #assertFreeStripeCustomer(stripeCustomerId: string, ownId: string): void {
    const owner = [...this.organizations.values()].find((other) => other.stripeCustomerId === stripeCustomerId && other.id !== ownId);
    if (owner)
      throw new WorkOSError(400, 'stripe_customer_id_already_used', `The stripe_customer_id "${stripeCustomerId}" is already used.`);
  }

  updateOrganization(id: string, changes: OrganizationChanges): OrganizationRecord {
    const organization = this.requireOrganization(id);
    this.#assertFreeExternalId('organization', changes.externalId, id);
    if (changes.stripeCustomerId) this.#assertFreeStripeCustomer(changes.stripeCustomerId, id);
    const domains = changes.domainData ? this.#domainRecords(id, changes.domainData, organization.domains) : organization.domains;
    if (changes.name !== undefined) organization.name = changes.name;
    organization.domains = domains;
    if (changes.externalId !== undefined) organization.externalId = changes.externalId;
    if (changes.metadata !== undefined) organization.metadata = { ...changes.metadata };
    if (changes.stripeCustomerId !== undefined) organization.stripeCustomerId = changes.stripeCustomerId;
    if (changes.allowProfilesOutsideOrganization !== undefined) {
      organization.allowProfilesOutsideOrganization = changes.allowProfilesOutsideOrganization;
    }
    organization.updatedAt = this.isoNow();
    this.events.append('organization.updated', toOrganizationResponse(organization), id);
    return organization;
  }

  /** Deletes the organization with its memberships and its own roles. */
  deleteOrganization(id: string): void {
    const organization = this.requireOrganization(id);
    for (const membership of [...this.memberships.values()]) if (membership.organizationId === id) this.deleteMembership(membership.id);
    for (const [key, role] of this.roles) {
      if (role.organizationId !== id) continue;
      this.roles.delete(key);
      this.#roleEvent('deleted', role);
    }
    for (const [keyId, key] of this.apiKeys) if (key.organizationId === id) this.apiKeys.delete(keyId);
    this.organizations.delete(id);
    this.events.append('organization.deleted', toOrganizationResponse(organization), id);
  }

  /** The organization whose verified domain matches the email and has an SSO connection. */
  ssoOrganizationForEmail(email: string): OrganizationRecord | undefined {
    const domain = emailDomain(email);
    for (const organization of this.organizations.values()) {
      if (organization.sso && organization.domains.some((record) => record.domain === domain && record.state === 'verified')) {
        return organization;
      }
    }
    return undefined;
  }

  // ── users ──────────────────────────────────────────────────────────────

  requireUser(id: string): UserRecord {
    const user = this.users.get(id);
    if (!user) throw notFoundError('User', id);
    return user;
  }

  createUser(seed: UserSeed): UserRecord {
    const id = seed.id ?? generateId('user');
    if (this.users.has(id)) throw new WorkOSError(409, null, `user ${id} already exists`);
    if (!isEmailAddress(seed.email))
      throw invalidParameters([fieldError('email', 'email_invalid', `"${seed.email}" is not an email address.`)]);
    if (this.findUserByEmail(seed.email)) {
      throw new WorkOSError(400, 'user_creation_error', `a user with email ${seed.email} already exists`, {
        errors: [{ code: 'email_not_available', message: 'This email is not available.' }],
      });
    }
    this.#assertFreeExternalId('user', seed.externalId, id);
    for (const membership of seed.memberships ?? []) this.#assertMembershipInput(membership.organizationId, membership.role);
    const now = this.isoNow();
    const user: UserRecord = {
      id,
      email: seed.email.trim().toLowerCase(),
      emailVerified: seed.emailVerified ?? true,
      firstName: seed.firstName ?? null,
      lastName: seed.lastName ?? null,
      externalId: seed.externalId ?? null,
      password: seed.password ?? null,
      mfa: seed.mfa ?? null,
      impersonator: seed.impersonator ?? null,
      socialProvider: seed.socialProvider ?? null,
      metadata: { ...seed.metadata },
      locale: seed.locale ?? null,
      lastSignInAt: null,
      createdAt: now,
      updatedAt: now,
    };
    this.users.set(id, user);
    this.events.append('user.created', toUserResponse(user), null);
    for (const membership of seed.memberships ?? [])
      this.createMembership(id, membership.organizationId, membership.role, membership.status);
    return user;
  }

  updateUser(id: string, changes: UserChanges): UserRecord {
    const user = this.requireUser(id);
    if (changes.email !== undefined) {
      if (!isEmailAddress(changes.email)) throw new WorkOSError(400, 'invalid_email', `"${changes.email}" is not an email address.`);
      const owner = this.findUserByEmail(changes.email);
      if (owner && owner.id !== id) throw new WorkOSError(400, 'email_not_available', `The email ${changes.email} is not available.`);
    }
    this.#assertFreeExternalId('user', changes.externalId, id);
    if (changes.password !== undefined) assertPasswordStrength(changes.password);
    if (changes.email !== undefined && changes.email.trim().toLowerCase() !== user.email) {
      user.email = changes.email.trim().toLowerCase();
      // A new address is unverified unless the same call says otherwise.
      user.emailVerified = false;
    }
    if (changes.firstName !== undefined) user.firstName = changes.firstName;
    if (changes.lastName !== undefined) user.lastName = changes.lastName;
    if (changes.emailVerified !== undefined) user.emailVerified = changes.emailVerified;
    if (changes.password !== undefined) user.password = changes.password;
    if (changes.externalId !== undefined) user.externalId = changes.externalId;
    if (changes.metadata !== undefined) user.metadata = { ...changes.metadata };
    if (changes.locale !== undefined) user.locale = changes.locale;
    user.updatedAt = this.isoNow();
    this.events.append('user.updated', toUserResponse(user), null);
    return user;
  }

  /** Deletes the user with their memberships, API keys and sessions' future (their refreshes fail: the user is gone). */
  deleteUser(id: string): void {
    const user = this.requireUser(id);
    for (const membership of this.membershipsOfUser(id)) this.deleteMembership(membership.id);
    this.forgetUser(id);
    this.users.delete(id);
    this.events.append('user.deleted', toUserResponse(user), null);
  }

  /** For the layers above: forget what they keep about a deleted user (factors, codes, sessions); each calls super. */
  protected forgetUser(userId: string): void {
    for (const [keyId, key] of this.apiKeys) if (key.userId === userId) this.apiKeys.delete(keyId);
  }

  findUserByEmail(email: string): UserRecord | undefined {
    const wanted = email.trim().toLowerCase();
    for (const user of this.users.values()) if (user.email === wanted) return user;
    return undefined;
  }

  findUserByExternalId(externalId: string): UserRecord | undefined {
    for (const user of this.users.values()) if (user.externalId === externalId) return user;
    return undefined;
  }

  findSocialAccount(provider: SocialProvider): UserRecord | undefined {
    for (const user of this.users.values()) if (user.socialProvider === provider) return user;
    return undefined;
  }

  // ── memberships ────────────────────────────────────────────────────────

  #assertMembershipInput(organizationId: string, role: string): void {
    this.requireOrganization(organizationId);
    if (!this.roleFor(role, organizationId)) {
      const known = this.rolesOfOrganization(organizationId).map((candidate) => candidate.slug);
      throw new WorkOSError(422, 'invalid_role', `role "${role}" does not exist (known: ${known.join(', ')})`);
    }
  }

  requireMembership(id: string): MembershipRecord {
    const membership = this.memberships.get(id);
    if (!membership) throw notFoundError('Organization membership', id);
    return membership;
  }

  /**
   * A user joins an organization. An inactive membership of theirs there is
   * reactivated with the role; a pending one (an invitation not accepted yet)
   * is refused, and so is a second active one.
   */
  createMembership(userId: string, organizationId: string, role: string, status: MembershipStatus = 'active'): MembershipRecord {
    this.requireUser(userId);
    this.#assertMembershipInput(organizationId, role);
    const existing = this.membershipsOfUser(userId).find((membership) => membership.organizationId === organizationId);
    if (existing?.status === 'active') {
      throw new WorkOSError(422, 'invalid_request_parameters', `user ${userId} is already a member of ${organizationId}`, {
        errors: [{ field: 'user_id', code: 'organization_membership_already_exists', message: 'The user is already a member.' }],
      });
    }
    if (existing?.status === 'pending') {
      throw new WorkOSError(400, 'cannot_reactivate_pending_organization_membership', 'The membership is pending: accept its invitation.');
    }
    if (existing) {
      existing.role = role;
      return this.#setStatus(existing, 'active');
    }
    const now = this.isoNow();
    const membership: MembershipRecord = { id: generateId('om'), userId, organizationId, role, status, createdAt: now, updatedAt: now };
    this.memberships.set(membership.id, membership);
    this.events.append('organization_membership.created', toMembershipEventData(membership), organizationId);
    return membership;
  }

  updateMembershipRole(id: string, role: string): MembershipRecord {
    const membership = this.requireMembership(id);
    this.#assertMembershipInput(membership.organizationId, role);
    membership.role = role;
    membership.updatedAt = this.isoNow();
    this.events.append('organization_membership.updated', toMembershipEventData(membership), membership.organizationId);
    return membership;
  }

  #setStatus(membership: MembershipRecord, status: MembershipStatus): MembershipRecord {
    if (membership.status === status) return membership;
    membership.status = status;
    membership.updatedAt = this.isoNow();
    this.events.append('organization_membership.updated', toMembershipEventData(membership), membership.organizationId);
    return membership;
  }

  deactivateMembership(id: string): MembershipRecord {
    const membership = this.requireMembership(id);
    if (membership.status === 'pending') {
      throw new WorkOSError(400, 'cannot_deactivate_pending_organization_membership', 'A pending membership cannot be deactivated.');
    }
    return this.#setStatus(membership, 'inactive');
  }

  reactivateMembership(id: string): MembershipRecord {
    const membership = this.requireMembership(id);
    if (membership.status === 'pending') {
      throw new WorkOSError(400, 'cannot_reactivate_pending_organization_membership', 'A pending membership cannot be reactivated.');
    }
    return this.#setStatus(membership, 'active');
  }

  deleteMembership(id: string): void {
    const membership = this.requireMembership(id);
    this.memberships.delete(id);
    this.events.append('organization_membership.deleted', toMembershipEventData(membership), membership.organizationId);
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

  // ── users' API keys ────────────────────────────────────────────────────

  createUserApiKey(userId: string, input: { name: string; organizationId: string; permissions?: readonly string[] }): ApiKeyRecord {
    this.requireUser(userId);
    this.requireOrganization(input.organizationId);
    if (!this.activeMembership(userId, input.organizationId)) {
      throw new WorkOSError(422, null, `The user is not an active member of organization ${input.organizationId}.`);
    }
    return this.#addApiKey({ userId, organizationId: input.organizationId, name: input.name, permissions: input.permissions }, 'sk_mock_');
  }

  apiKeysOfUser(userId: string, organizationId?: string): ApiKeyRecord[] {
    this.requireUser(userId);
    return [...this.apiKeys.values()].filter(
      (key) => key.userId === userId && (organizationId === undefined || key.organizationId === organizationId),
    );
  }

  // ── organizations' API keys (machine access) ───────────────────────────

  createOrganizationApiKey(organizationId: string, input: { name: string; permissions?: readonly string[] }): ApiKeyRecord {
    this.requireOrganization(organizationId);
    if (!input.name.trim()) throw invalidParameters([fieldError('name', 'name_required', 'name must not be empty.')]);
    return this.#addApiKey({ userId: null, organizationId, name: input.name.trim(), permissions: input.permissions }, 'sk_org_');
  }

  /** The organization's own keys (not its members'), oldest first as every list here. */
  apiKeysOfOrganization(organizationId: string): ApiKeyRecord[] {
    this.requireOrganization(organizationId);
    return [...this.apiKeys.values()].filter((key) => key.userId === null && key.organizationId === organizationId);
  }

  /** Deletes any key of the environment by id, as WorkOS does; a deleted key stops validating at once. */
  deleteApiKey(id: string): void {
    const key = this.apiKeys.get(id);
    if (!key) throw notFoundError('API key', id);
    this.apiKeys.delete(id);
    this.events.append('api_key.revoked', toApiKeyResponse(key), key.organizationId);
  }

  /** The live key with this value, its last use set to now; null when there is none. */
  validateApiKey(value: string): ApiKeyRecord | null {
    const key = [...this.apiKeys.values()].find((candidate) => candidate.value === value);
    if (!key) return null;
    key.lastUsedAt = this.isoNow();
    return key;
  }

  #addApiKey(input: { userId: string | null; organizationId: string; name: string; permissions?: readonly string[] }, prefix: string) {
    assertPermissionSlugs(input.permissions ?? []);
    const now = this.isoNow();
    const key: ApiKeyRecord = {
      id: generateId('api_key'),
      userId: input.userId,
      organizationId: input.organizationId,
      name: input.name,
      value: `${prefix}${randomBytes(24).toString('base64url')}`,
      permissions: [...(input.permissions ?? [])],
      createdAt: now,
      updatedAt: now,
      lastUsedAt: null,
    };
    this.apiKeys.set(key.id, key);
    this.events.append('api_key.created', toApiKeyResponse(key), key.organizationId);
    return key;
  }
}
