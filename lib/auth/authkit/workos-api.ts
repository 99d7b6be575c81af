/**
 * The WorkOS calls the demo features make, as the app's own verbs.
 *
 * What the SDK does: returns its own shapes, whatever WorkOS answered.
 * What we need: each answer checked for the fields the app uses (zod) and
 * reshaped into the app's types, so a changed or broken answer fails one
 * panel with a clear log line (`unexpected_answer` + the fields), never a page;
 * and every call through the bounded client (./client.ts).
 * This file stays as long as the app calls WorkOS: it is where vendor shapes stop.
 */
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
