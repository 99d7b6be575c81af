// app/team/page.tsx — a page only some roles may open: others get the 403 page
// (app/forbidden.tsx). Permission slugs live in lib/permissions.ts; add
// yours there and to a role in the WorkOS dashboard.
import { PERMISSIONS } from '@/lib/permissions';
import { requirePermission } from '@/lib/auth';

export default async function TeamPage() {
  const session = await requirePermission(PERMISSIONS.manageUsers);
  return <h1 className="text-3xl font-bold tracking-tight">Team of {session.organizationId}</h1>;
}
