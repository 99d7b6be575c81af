'use server';

/**
 * Server actions behind the admin page's "Organization API keys": create (a sensitive action: a
 * recent sign-in, step-up) and revoke, for members whose role grants users:manage. The secret of a
 * new key is returned to the browser that created it, once: never stored, never logged.
 */
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { PERMISSIONS } from '@/lib/permissions';
import {
  createOrganizationApiKey,
  deleteOrganizationApiKey,
  logAuthEvent,
  requirePermission,
  requireRecentAuth,
  STEP_UP_MAX_AGE_SECONDS,
} from '@/lib/auth';

import { API_KEY_NOTICE_PARAM, type ApiKeyNotice, type CreateApiKeyState } from './notices';

const ADMIN_PAGE = '/dashboard/admin';
const MAX_NAME_LENGTH = 64;

export async function createApiKeyAction(_previous: CreateApiKeyState, form: FormData): Promise<CreateApiKeyState> {
  const session = await requirePermission(PERMISSIONS.manageUsers);
  await requireRecentAuth({ maxAge: STEP_UP_MAX_AGE_SECONDS });
  const organizationId = session.organizationId;
  if (!organizationId) return { status: 'error', message: 'Your session is in no organization.' };
  const name = String(form.get('name') ?? '').trim();
  if (!name || name.length > MAX_NAME_LENGTH) return { status: 'error', message: `Name the key (1 to ${MAX_NAME_LENGTH} characters).` };
  let created;
  try {
    created = await createOrganizationApiKey(organizationId, name);
  } catch {
    return { status: 'error', message: 'WorkOS could not create the key right now. Try again.' };
  }
  logAuthEvent({ event: 'api_key_created', userId: session.user.id, organizationId, apiKeyId: created.key.id });
  revalidatePath(ADMIN_PAGE);
  return { status: 'created', name: created.key.name, secret: created.secret };
}

export async function revokeApiKeyAction(form: FormData): Promise<void> {
  const session = await requirePermission(PERMISSIONS.manageUsers);
  const organizationId = session.organizationId;
  const apiKeyId = String(form.get('apiKeyId') ?? '');
  let notice: ApiKeyNotice = 'revoked';
  try {
    // Only a key of this session's organization: WorkOS would delete any key of the environment by id.
    if (!organizationId || !(await deleteOrganizationApiKey(organizationId, apiKeyId))) notice = 'unknown';
    else logAuthEvent({ event: 'api_key_revoked', userId: session.user.id, organizationId, apiKeyId });
  } catch {
    notice = 'failed';
  }
  revalidatePath(ADMIN_PAGE);
  redirect(`${ADMIN_PAGE}?${API_KEY_NOTICE_PARAM}=${notice}`);
}
