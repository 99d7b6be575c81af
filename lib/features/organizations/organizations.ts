/**
 * Demo feature: organizations the signed-in user belongs to, for the
 * organization switcher (switching itself: ./actions.ts).
 *
 * One WorkOS call per user (memberships carry the organization name), cached
 * in memory for a minute so rendering the dashboard does not hit WorkOS on
 * every request, and shared by requests that miss at once (../per-user-cache.ts).
 * Only a good answer is cached: after a failure the next render asks again. The fields used are checked (../workos-reads.ts), so an answer
 * without, say, `organization_name` is a failed read, not a crash.
 */
import 'server-only';

import { z } from 'zod';
import { workos } from '@/lib/auth/authkit/client';
import { perUserCache } from '../per-user-cache';
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

const cache = perUserCache<OrganizationChoice[]>({ name: 'organizations', ttlMs: CACHE_TTL_MS, maxUsers: MAX_CACHED_USERS });

export function listOrganizationsForUser(userId: string): Promise<OrganizationChoice[]> {
  return cache.read(userId, async () => {
    const answer = await workos().userManagement.listOrganizationMemberships({ userId, statuses: ['active'], limit: 100 });
    const memberships = parseWorkOSAnswer('list_organization_memberships', membershipsAnswer, { data: answer.data });
    return memberships.data
      .map((membership) => ({ id: membership.organizationId, name: membership.organizationName, role: membership.role.slug }))
      .sort((a, b) => a.name.localeCompare(b.name));
  });
}
