/**
 * The WorkOS calls the demo features make, as the app's own verbs (reads
 * and, for the self-serve workspace, the writes that set one up).
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
