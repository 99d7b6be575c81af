/**
 * Demo feature: organizations the signed-in user belongs to, for the
 * organization switcher (switching itself: ./actions.ts).
 *
 * One WorkOS call per user (memberships carry the organization name), cached
 * in memory for a minute so rendering the dashboard does not hit WorkOS on
 * every request. Only a good answer is cached: after a failure the next render
 * asks again. The fields used are checked (../workos-reads.ts), so an answer
 * without, say, `organization_name` is a failed read, not a crash.
 */
import 'server-only';

import { z } from 'zod';
import { workos } from '@/lib/auth/authkit';
import { registerCacheSize } from '@/lib/cache-sizes';
import { parseWorkOSAnswer } from '../workos-reads';

export interface OrganizationChoice {
  id: string;
  name: string;
  role: string;
}

const CACHE_TTL_MS = 60_000;
const MAX_CACHED_USERS = 1_000;
/** The SDK's deserialised membership list, only the fields we use. */
const membershipsAnswer = z.object({
  data: z.array(
    z.object({
      organizationId: z.string().min(1),
      organizationName: z.string(),
      role: z.object({ slug: z.string().min(1) }),
    }),
  ),
});

const cache = new Map<string, { expiresAt: number; organizations: OrganizationChoice[] }>();
registerCacheSize('organizations', MAX_CACHED_USERS, () => cache.size);

export async function listOrganizationsForUser(userId: string): Promise<OrganizationChoice[]> {
  const now = Date.now();
  const hit = cache.get(userId);
  if (hit && hit.expiresAt > now) return hit.organizations;

  const answer = await workos().userManagement.listOrganizationMemberships({ userId, statuses: ['active'], limit: 100 });
  const memberships = parseWorkOSAnswer('list_organization_memberships', membershipsAnswer, { data: answer.data });
  const organizations = memberships.data
    .map((membership) => ({ id: membership.organizationId, name: membership.organizationName, role: membership.role.slug }))
    .sort((a, b) => a.name.localeCompare(b.name));

  if (cache.size >= MAX_CACHED_USERS) cache.clear();
  cache.set(userId, { expiresAt: now + CACHE_TTL_MS, organizations });
  return organizations;
}
