/**
 * The WorkOS calls the demo features make, as the app's own verbs (reads
 * and the writes of the self-serve workspace, the API keys and the organization admin).
 *
 * What the SDK does: returns its own shapes, whatever WorkOS answered.
 * What we need: each answer checked for the fields the app uses (zod) and
 * reshaped into the app's types, so a changed or broken answer fails one
 * panel with a clear log line (`unexpected_answer` + the fields), never a page;
 * and every call through the bounded client (./client.ts).
 * This file stays as long as the app calls WorkOS: it is where vendor shapes stop.
 */
import { NotFoundException } from '@workos-inc/node'; // demo:line workspace
import { z } from 'zod';
import { workos } from './client';

/** WorkOS answered, but not with the fields the app reads. */
export class UnexpectedWorkOSAnswerError extends Error {
  readonly code = 'unexpected_answer';
  readonly fields: string[];

  constructor(read: string, fields: string[]) {
    super(`WorkOS answered ${read} with an unexpected shape at ${fields.join(', ')}`);
    this.name = 'UnexpectedWorkOSAnswerError';
    this.fields = fields;
  }
}

export function parseWorkOSAnswer<Schema extends z.ZodType>(read: string, schema: Schema, answer: unknown): z.infer<Schema> {
  const result = schema.safeParse(answer);
  if (result.success) return result.data;
  const fields = [...new Set(result.error.issues.map((issue) => issue.path.map(String).join('.') || '(root)'))];
  throw new UnexpectedWorkOSAnswerError(read, fields);
}

export interface Membership {
  organizationId: string;
  organizationName: string;
  role: string;
}

const membershipsAnswer = z.array(
  z.object({ organizationId: z.string().min(1), organizationName: z.string(), role: z.object({ slug: z.string().min(1) }) }),
);

/** The user's active organization memberships (first 100). */
export async function listActiveMemberships(userId: string): Promise<Membership[]> {
  const answer = await workos().userManagement.listOrganizationMemberships({ userId, statuses: ['active'], limit: 100 });
  return parseWorkOSAnswer('list_organization_memberships', z.object({ data: membershipsAnswer }), { data: answer.data }).data.map(
    ({ organizationId, organizationName, role }) => ({ organizationId, organizationName, role: role.slug }),
  );
}

const timestamp = z.iso.datetime({ offset: true }).transform((value) => new Date(value));

const sessionsAnswer = z.array(
  z.object({
    id: z.string().min(1),
    userId: z.string().min(1),
    userAgent: z.string().nullable(),
    ipAddress: z.string().nullable(),
    authMethod: z.string(),
    status: z.string(),
    createdAt: timestamp,
    updatedAt: timestamp,
  }),
);

export type UserSession = z.infer<typeof sessionsAnswer>[number];

/** The user's sessions (first 100), as WorkOS lists them. */
export async function listUserSessions(userId: string): Promise<UserSession[]> {
  const answer = await workos().userManagement.listSessions(userId, { limit: 100 });
  return parseWorkOSAnswer('list_sessions', z.object({ data: sessionsAnswer }), { data: answer.data }).data;
}

export async function revokeSession(sessionId: string): Promise<void> {
  await workos().userManagement.revokeSession({ sessionId });
}

/** An organization's id and name. */
export async function getOrganization(organizationId: string): Promise<{ id: string; name: string }> {
  const answer = await workos().organizations.getOrganization(organizationId);
  return parseWorkOSAnswer('get_organization', z.object({ id: z.string().min(1), name: z.string() }), answer);
}

// demo:start api-keys
const apiKeyAnswer = z.object({
  id: z.string().min(1),
  name: z.string(),
  owner: z.object({ type: z.literal('organization'), id: z.string().min(1) }),
  obfuscatedValue: z.string(),
  permissions: z.array(z.string()),
  createdAt: timestamp,
  lastUsedAt: timestamp.nullable(),
});

/** An organization API key as the admin panel lists it: never its value. */
export interface OrganizationApiKey {
  id: string;
  name: string;
  organizationId: string;
  obfuscatedValue: string;
  permissions: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
}

const toOrganizationApiKey = ({ owner, ...key }: z.infer<typeof apiKeyAnswer>): OrganizationApiKey => ({
  ...key,
  organizationId: owner.id,
});

/** The organization's API keys (first 100), newest first. */
export async function listOrganizationApiKeys(organizationId: string): Promise<OrganizationApiKey[]> {
  const answer = await workos().apiKeys.listOrganizationApiKeys({ organizationId, limit: 100 });
  return parseWorkOSAnswer('list_organization_api_keys', z.object({ data: z.array(apiKeyAnswer) }), { data: answer.data }).data.map(
    toOrganizationApiKey,
  );
}

/** A new API key for the organization, and its secret: WorkOS returns it this once. */
export async function createOrganizationApiKey(organizationId: string, name: string): Promise<{ key: OrganizationApiKey; secret: string }> {
  const answer = await workos().apiKeys.createOrganizationApiKey({ organizationId, name });
  const { value, ...key } = parseWorkOSAnswer('create_organization_api_key', apiKeyAnswer.extend({ value: z.string().min(1) }), answer);
  return { key: toOrganizationApiKey(key), secret: value };
}

/**
 * Deletes one of the organization's API keys. WorkOS deletes any key of the environment by id, so the
 * key must be among the organization's own first: false (nothing deleted) when it is not.
 */
export async function deleteOrganizationApiKey(organizationId: string, apiKeyId: string): Promise<boolean> {
  if (!(await listOrganizationApiKeys(organizationId)).some((key) => key.id === apiKeyId)) return false;
  await workos().apiKeys.deleteApiKey(apiKeyId);
  return true;
}
// demo:end api-keys

// demo:start workspace
export interface OrganizationRef {
  id: string;
  name: string;
}

const organizationAnswer = z.object({ id: z.string().min(1), name: z.string() });

/** The organization with this external id (WorkOS keeps it unique), or null when there is none. */
export async function findOrganizationByExternalId(externalId: string): Promise<OrganizationRef | null> {
  try {
    const answer = await workos().organizations.getOrganizationByExternalId(externalId);
    return parseWorkOSAnswer('get_organization_by_external_id', organizationAnswer, answer);
  } catch (error) {
    if (error instanceof NotFoundException) return null;
    throw error;
  }
}

/** A new organization; a taken external id is `ExternalIdTakenError`. */
export async function createOrganization(input: { name: string; externalId: string }): Promise<OrganizationRef> {
  try {
    const answer = await workos().organizations.createOrganization(input);
    return parseWorkOSAnswer('create_organization', organizationAnswer, answer);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'external_id_already_used') throw new ExternalIdTakenError(input.externalId);
    throw error;
  }
}

/** Another organization already has this external id. */
export class ExternalIdTakenError extends Error {
  constructor(externalId: string) {
    super(`An organization already has the external id ${externalId}`);
    this.name = 'ExternalIdTakenError';
  }
}

/** Makes the user an active member of the organization with this role. */
export async function createMembership(input: { userId: string; organizationId: string; roleSlug: string }): Promise<void> {
  const answer = await workos().userManagement.createOrganizationMembership(input);
  parseWorkOSAnswer('create_organization_membership', z.object({ id: z.string().min(1) }), answer);
}
// demo:end workspace

// demo:start members
// Organization administration: members, roles, invitations (lib/features/members/).

/** WorkOS refused a change for a reason the person can act on (the code is WorkOS'). */
export class WorkOSRefusedError extends Error {
  readonly code: string;

  constructor(write: string, code: string) {
    super(`WorkOS refused ${write}: ${code}`);
    this.name = 'WorkOSRefusedError';
    this.code = code;
  }
}

/** The SDK's error for a 4xx with a WorkOS code (`user_already_organization_member`…), as a WorkOSRefusedError. */
async function refusedAs<T>(write: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const { status, code } = error as { status?: unknown; code?: unknown };
    if (typeof status === 'number' && status >= 400 && status < 500 && typeof code === 'string') throw new WorkOSRefusedError(write, code);
    throw error;
  }
}

const membershipRecord = z.object({
  id: z.string().min(1),
  userId: z.string().min(1),
  organizationId: z.string().min(1),
  role: z.object({ slug: z.string().min(1) }),
  status: z.enum(['active', 'inactive', 'pending']),
  createdAt: timestamp,
});

export interface OrganizationMembership {
  id: string;
  userId: string;
  organizationId: string;
  role: string;
  status: 'active' | 'inactive' | 'pending';
  createdAt: Date;
}

const toMembership = ({ role, ...rest }: z.infer<typeof membershipRecord>): OrganizationMembership => ({ ...rest, role: role.slug });

export interface MembershipPage {
  memberships: OrganizationMembership[];
  /** Cursors of the neighbouring pages (WorkOS list pagination), null at either end. */
  before: string | null;
  after: string | null;
}

/** One page of the organization's active memberships, newest first. */
export async function listOrganizationMemberships(
  organizationId: string,
  page: { before?: string; after?: string; limit: number },
): Promise<MembershipPage> {
  const answer = await workos().userManagement.listOrganizationMemberships({
    organizationId,
    statuses: ['active'],
    order: 'desc',
    ...page,
  });
  const parsed = parseWorkOSAnswer(
    'list_organization_memberships',
    z.object({ data: z.array(membershipRecord), listMetadata: z.object({ before: z.string().nullish(), after: z.string().nullish() }) }),
    { data: answer.data, listMetadata: answer.listMetadata },
  );
  return {
    memberships: parsed.data.map(toMembership),
    before: parsed.listMetadata.before ?? null,
    after: parsed.listMetadata.after ?? null,
  };
}

export async function getOrganizationMembership(membershipId: string): Promise<OrganizationMembership> {
  const answer = await workos().userManagement.getOrganizationMembership(membershipId);
  return toMembership(parseWorkOSAnswer('get_organization_membership', membershipRecord, answer));
}

export async function setMembershipRole(membershipId: string, roleSlug: string): Promise<void> {
  await refusedAs('update_organization_membership', () => workos().userManagement.updateOrganizationMembership(membershipId, { roleSlug }));
}

/** Removes the member: their membership stays, inactive (it can be reactivated), and their next refresh has no organization. */
export async function deactivateMembership(membershipId: string): Promise<void> {
  await refusedAs('deactivate_organization_membership', () => workos().userManagement.deactivateOrganizationMembership(membershipId));
}

export interface DirectoryUser {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
}

const userRecord = z.object({
  id: z.string().min(1),
  email: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
});

export async function getUser(userId: string): Promise<DirectoryUser> {
  return parseWorkOSAnswer('get_user', userRecord, await workos().userManagement.getUser(userId));
}

export interface OrganizationRole {
  slug: string;
  name: string;
  permissions: string[];
}

/** The roles a member of this organization may hold: the environment's, then the organization's own. */
export async function listOrganizationRoles(organizationId: string): Promise<OrganizationRole[]> {
  const answer = await workos().authorization.listOrganizationRoles(organizationId);
  const roles = z.array(z.object({ slug: z.string().min(1), name: z.string(), permissions: z.array(z.string()) }));
  return parseWorkOSAnswer('list_organization_roles', z.object({ data: roles }), { data: answer.data }).data;
}

const invitationRecord = z.object({
  id: z.string().min(1),
  email: z.string(),
  state: z.enum(['pending', 'accepted', 'expired', 'revoked']),
  organizationId: z.string().nullable(),
  roleSlug: z.string().nullish(),
  expiresAt: timestamp,
  createdAt: timestamp,
});

export interface Invitation {
  id: string;
  email: string;
  state: 'pending' | 'accepted' | 'expired' | 'revoked';
  organizationId: string | null;
  roleSlug: string | null;
  expiresAt: Date;
  createdAt: Date;
}

const toInvitation = (read: string, answer: unknown): Invitation => {
  const { roleSlug, ...rest } = parseWorkOSAnswer(read, invitationRecord, answer);
  return { ...rest, roleSlug: roleSlug ?? null };
};

/** WorkOS emails the invitation; a refusal (already a member, already invited, a bad email or role) is a WorkOSRefusedError. */
export async function sendInvitation(input: {
  email: string;
  organizationId: string;
  roleSlug: string;
  inviterUserId: string;
}): Promise<Invitation> {
  return toInvitation('send_invitation', await refusedAs('send_invitation', () => workos().userManagement.sendInvitation(input)));
}

/** The organization's invitations, newest first (first 100). */
export async function listInvitations(organizationId: string): Promise<Invitation[]> {
  const answer = await workos().userManagement.listInvitations({ organizationId, limit: 100, order: 'desc' });
  return (answer.data as unknown[]).map((item) => toInvitation('list_invitations', item));
}

export async function getInvitation(invitationId: string): Promise<Invitation> {
  return toInvitation('get_invitation', await workos().userManagement.getInvitation(invitationId));
}

export async function resendInvitation(invitationId: string): Promise<void> {
  await refusedAs('resend_invitation', () => workos().userManagement.resendInvitation(invitationId));
}

export async function revokeInvitation(invitationId: string): Promise<void> {
  await refusedAs('revoke_invitation', () => workos().userManagement.revokeInvitation(invitationId));
}
// demo:end members
