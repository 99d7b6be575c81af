import type { Metadata } from 'next';
import { PERMISSIONS } from '@/lib/permissions';
import { hasPermission, requireSession } from '@/lib/auth';
import { projectsOf } from './projects';

export const metadata: Metadata = { title: 'Projects' };

// A page of your own: nothing to register (every route needs a session unless it is listed as
// public), and e2e/first-test.spec.ts tests it. README, "Write your first test", walks through both.
export default async function ProjectsPage() {
  const session = await requireSession();
  const projects = projectsOf(session.organizationId);
  return (
    <section aria-labelledby="projects-title" className="space-y-4">
      <h1 id="projects-title" className="text-3xl font-bold tracking-tight">
        Projects
      </h1>
      {projects.length > 0 ? (
        <ul aria-labelledby="projects-title" className="list-disc pl-6">
          {projects.map((project) => (
            <li key={project}>{project}</li>
          ))}
        </ul>
      ) : (
        <p className="text-ink-muted">Your organization has no projects yet.</p>
      )}
      {/* Only roles that may write see it; wire it to a server action (README, "Extend it"). */}
      {hasPermission(session, PERMISSIONS.writePosts) && (
        <button type="button" className="rounded-md bg-brand-600 px-3 py-2 text-sm font-medium text-white hover:bg-brand-700">
          New project
        </button>
      )}
    </section>
  );
}
