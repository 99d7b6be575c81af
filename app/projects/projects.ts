// Stands in for your database: each organization's projects, by WorkOS organization id
// (here the demo organizations of the mock WorkOS, Acme and Globex).
const PROJECTS_BY_ORGANIZATION = new Map<string, string[]>([
  ['org_01HDEMOACME0000000000000', ['Giant magnet', 'Rocket skates']],
  ['org_01HDEMOGLOBEX00000000000', ['Hammock district']],
]);

/** An organization's projects (none without an organization): read by the page and by GET /api/projects. */
export function projectsOf(organizationId: string | undefined): string[] {
  return PROJECTS_BY_ORGANIZATION.get(organizationId ?? '') ?? [];
}
