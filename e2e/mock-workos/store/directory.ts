/** Users, organizations, memberships and roles: the directory an app reads with its API key. */
import { FaultStore } from './faults.ts';
import {
  emailDomain,
  generateId,
  MockInputError,
  type MembershipRecord,
  type MembershipStatus,
  type OrganizationRecord,
  type OrganizationSeed,
  type SocialProvider,
  type UserRecord,
  type UserSeed,
} from './records.ts';

export abstract class DirectoryStore extends FaultStore {
  readonly users = new Map<string, UserRecord>();
  readonly organizations = new Map<string, OrganizationRecord>();
  readonly memberships = new Map<string, MembershipRecord>();
  readonly rolePermissions = new Map<string, readonly string[]>();

  protected override clearState(): void {
    super.clearState();
    for (const map of [this.users, this.organizations, this.memberships, this.rolePermissions]) map.clear();
  }

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
    const now = this.isoNow();
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
    const now = this.isoNow();
    const user: UserRecord = {
      id,
      email: seed.email.toLowerCase(),
      emailVerified: seed.emailVerified ?? true,
      firstName: seed.firstName ?? null,
      lastName: seed.lastName ?? null,
      externalId: seed.externalId ?? null,
      password: seed.password ?? null,
      mfa: seed.mfa ?? null,
      impersonator: seed.impersonator ?? null,
      socialProvider: seed.socialProvider ?? null,
      lastSignInAt: null,
      createdAt: now,
      updatedAt: now,
    };
    this.users.set(id, user);
    for (const membership of seed.memberships ?? [])
      this.createMembership(id, membership.organizationId, membership.role, membership.status);
    return user;
  }

  #assertMembershipInput(organizationId: string, role: string): void {
    if (!this.organizations.has(organizationId)) throw new MockInputError(`organization ${organizationId} does not exist`);
    if (!this.rolePermissions.has(role)) {
      throw new MockInputError(`role "${role}" does not exist (known: ${[...this.rolePermissions.keys()].join(', ')})`);
    }
  }

  createMembership(userId: string, organizationId: string, role: string, status: MembershipStatus = 'active'): MembershipRecord {
    if (!this.users.has(userId)) throw new MockInputError(`user ${userId} does not exist`);
    this.#assertMembershipInput(organizationId, role);
    if (this.activeMembership(userId, organizationId)) throw new MockInputError(`user ${userId} is already a member of ${organizationId}`);
    const now = this.isoNow();
    const membership: MembershipRecord = { id: generateId('om'), userId, organizationId, role, status, createdAt: now, updatedAt: now };
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
}
