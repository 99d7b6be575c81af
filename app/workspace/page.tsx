import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { requireSession } from '@/lib/auth';
import { findOwnWorkspace } from '@/lib/features/workspace/workspace';
import { WorkspaceForm } from './workspace-form';

export const metadata: Metadata = { title: 'Your workspace' };

/**
 * Demo feature (lib/features/workspace/): a signed-in user without an organization names their
 * workspace; one whose workspace exists but was not finished (WorkOS failed part-way) finishes it.
 */
export default async function WorkspacePage() {
  const session = await requireSession();
  if (session.organizationId) redirect('/dashboard');
  const unfinished = await findOwnWorkspace(session.user.id);
  return (
    <section aria-labelledby="workspace-title" className="mx-auto max-w-lg space-y-4">
      <h1 id="workspace-title" className="text-3xl font-bold tracking-tight">
        {unfinished ? 'Finish setting up your workspace' : 'Create your workspace'}
      </h1>
      <p className="text-ink-muted">
        {unfinished
          ? `Your workspace “${unfinished.name}” exists, but your session is not in it yet.`
          : 'A workspace is where your team works together. You will be its admin and can invite others later.'}
      </p>
      <WorkspaceForm unfinishedName={unfinished?.name} />
    </section>
  );
}
