/**
 * Demo feature: a user without an organization creates their workspace — a
 * WorkOS organization with them as its admin — and their session moves into
 * it (./actions.ts). Self-contained: delete this folder, app/workspace/ and
 * the prompt's line in the dashboard, and the flow still works.
 *
 * WorkOS can fail between the two writes (organization created, membership
 * not). The organization carries the user's id as its external id, which
 * WorkOS keeps unique, so a retry finds it instead of creating a second one,
 * however long after and whatever name the form then holds; a double submit
 * that races is answered `external_id_already_used` and finds it too
 * (docs/architecture.md, "Self-serve workspace").
 */
import 'server-only';

import { z } from 'zod';
import {
  createMembership,
  createOrganization,
  describeError,
  ExternalIdTakenError,
  findOrganizationByExternalId,
  listActiveMemberships,
  logAuthEvent,
  newReferenceId,
  type OrganizationRef,
} from '@/lib/auth';
import { forgetOrganizationsOf } from '../organizations/organizations';

export const WORKSPACE_NAME_MAX_LENGTH = 64;

/** The creator's role in their new workspace (an environment role of WorkOS; the mock seeds it). */
const CREATOR_ROLE = 'admin';

export const workspaceName = z
  .string()
  .trim()
  .min(1, 'Enter a name for your workspace.')
  .max(WORKSPACE_NAME_MAX_LENGTH, `Use ${WORKSPACE_NAME_MAX_LENGTH} characters or fewer.`);

/** The external id of the workspace this user created: at most one per user. */
const externalIdFor = (userId: string) => `workspace-owner:${userId}`;

export type WorkspaceResult =
  | { ok: true; organization: OrganizationRef }
  /** `organization`: the workspace exists, only its membership failed; a retry finishes it. */
  | { ok: false; reference: string; organization: OrganizationRef | null };

/** The workspace this user created, if any (null also when WorkOS cannot say: the action finds it anyway). */
export async function findOwnWorkspace(userId: string): Promise<OrganizationRef | null> {
  try {
    return await findOrganizationByExternalId(externalIdFor(userId));
  } catch {
    return null;
  }
}

async function findOrCreate(userId: string, name: string): Promise<OrganizationRef> {
  const externalId = externalIdFor(userId);
  const existing = await findOrganizationByExternalId(externalId);
  if (existing) return existing;
  try {
    return await createOrganization({ name, externalId });
  } catch (error) {
    const raced = error instanceof ExternalIdTakenError ? await findOrganizationByExternalId(externalId) : null;
    if (raced) return raced;
    throw error;
  }
}

/**
 * The user's workspace, with them as an active admin: found or created, then
 * the membership if they do not have it yet. Never throws: a failure is logged
 * with the reference the person sees.
 */
export async function setUpWorkspace(userId: string, name: string): Promise<WorkspaceResult> {
  let organization: OrganizationRef | null = null;
  try {
    const found = await findOrCreate(userId, name);
    organization = found;
    const isMember = async () => (await listActiveMemberships(userId)).some((membership) => membership.organizationId === found.id);
    if (!(await isMember())) {
      try {
        await createMembership({ userId, organizationId: found.id, roleSlug: CREATOR_ROLE });
      } catch (error) {
        // A double submit's other request made it first (WorkOS refuses a second active membership).
        if (!(await isMember())) throw error;
      }
      forgetOrganizationsOf(userId);
    }
    return { ok: true, organization: found };
  } catch (error) {
    const reference = newReferenceId();
    logAuthEvent({
      event: 'workos_write_failed',
      write: organization ? 'create_organization_membership' : 'create_organization',
      userId,
      reason: describeError(error),
      reference,
      ...(organization && { organizationId: organization.id }),
    });
    return { ok: false, reference, organization };
  }
}
