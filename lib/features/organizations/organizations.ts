/**
 * Demo feature: organizations the signed-in user belongs to, for the
 * organization switcher (switching itself: ./actions.ts).
 *
 * One WorkOS call per user (memberships carry the organization name), cached
 * in memory for a minute so rendering the dashboard does not hit WorkOS on
 * every request.
 */
import 'server-only';

import { workos } from '@/lib/auth/authkit';
import { registerCacheSize } from '@/lib/cache-sizes';

export interface OrganizationChoice {
  id: string;
  name: string;
  role: string;
}

const CACHE_TTL_MS = 60_000;
const MAX_CACHED_USERS = 1_000;
const cache = new Map<string, { expiresAt: number; organizations: OrganizationChoice[] }>();
registerCacheSize('organizations', MAX_CACHED_USERS, () => cache.size);

export async function listOrganizationsForUser(userId: string): Promise<OrganizationChoice[]> {
  const now = Date.now();
  const hit = cache.get(userId);
  if (hit && hit.expiresAt > now) return hit.organizations;

  const memberships = await workos().userManagement.listOrganizationMemberships({ userId, statuses: ['active'], limit: 100 });
  const organizations = memberships.data
    .map((membership) => ({ id: membership.organizationId, name: membership.organizationName, role: membership.role.slug }))
    .sort((a, b) => a.name.localeCompare(b.name));

  if (cache.size >= MAX_CACHED_USERS) cache.clear();
  cache.set(userId, { expiresAt: now + CACHE_TTL_MS, organizations });
  return organizations;
}
