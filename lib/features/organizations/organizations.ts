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

import { listActiveMemberships } from '@/lib/auth';
import { perUserCache } from '../per-user-cache';

export interface OrganizationChoice {
  id: string;
  name: string;
  role: string;
}

const CACHE_TTL_MS = 60_000;
const MAX_CACHED_USERS = 1_000;
/**
 * The SDK's deserialised membership list, only the fields we use. Process-wide: a server action that
 * changes memberships (the workspace feature) forgets the entry the dashboard reads.
 */
const cache = perUserCache<OrganizationChoice[]>({
  name: 'organizations',
  ttlMs: CACHE_TTL_MS,
  maxUsers: MAX_CACHED_USERS,
  processWideKey: Symbol.for('authkit-starter.organizations-cache'),
});

/** After the user's memberships changed: the next read asks WorkOS. */
export function forgetOrganizationsOf(userId: string): void {
  cache.forget(userId);
}

export function listOrganizationsForUser(userId: string): Promise<OrganizationChoice[]> {
  return cache.read(userId, async () => {
    const memberships = await listActiveMemberships(userId);
    return memberships
      .map((membership) => ({ id: membership.organizationId, name: membership.organizationName, role: membership.role }))
      .sort((a, b) => a.name.localeCompare(b.name));
  });
}
