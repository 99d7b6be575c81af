/**
 * An organization API key sent by a machine client (`Authorization: Bearer <key>`).
 *
 * What authkit does: validateApiKey() reads the header from the request and asks WorkOS
 * (`POST /api_keys/validations`) through its shared SDK instance, with the SDK's defaults (60 s per
 * attempt, 3 retries), and hands back the SDK's answer unchecked (a user's key as well as an
 * organization's).
 * What we need: the same call through the bounded client (4 s, no retries: ./client.ts), and the answer
 * checked (zod) and reshaped: an organization-owned key (its organization, name, permissions), or null.
 * A WorkOS failure throws, so the route can answer 503 rather than 401 (the key may be fine).
 * Concerns: authkit-nextjs 4.3.2 (`validateApiKey`), @workos-inc/node 10 (`apiKeys.createValidation`).
 * Delete this file when authkit's validateApiKey() goes through an SDK the app bounds and returns typed,
 * checked answers.
 */
import { validateApiKey as authkitValidateApiKey } from '@workos-inc/authkit-nextjs';
import { z } from 'zod';
import { throughBoundedClient } from './client';
import { parseWorkOSAnswer } from './workos-api';

export interface ValidatedApiKey {
  id: string;
  name: string;
  organizationId: string;
  permissions: string[];
}

const validation = z.object({
  apiKey: z
    .object({
      id: z.string().min(1),
      name: z.string(),
      owner: z.object({ type: z.string(), id: z.string().min(1) }),
      permissions: z.array(z.string()),
    })
    .nullable(),
});

const validate = throughBoundedClient(authkitValidateApiKey);

/** The organization API key of this request (its Authorization header), or null: none, not one WorkOS knows, or a user's. */
export async function validateRequestApiKey(): Promise<ValidatedApiKey | null> {
  const { apiKey } = parseWorkOSAnswer('validate_api_key', validation, await validate());
  if (!apiKey || apiKey.owner.type !== 'organization') return null;
  return { id: apiKey.id, name: apiKey.name, organizationId: apiKey.owner.id, permissions: apiKey.permissions };
}
