'use server';

/** Server action behind "Create workspace" (app/workspace/): set it up, then move the session into it. */
import { redirect } from 'next/navigation';
import { requireSession, switchOrganization } from '@/lib/auth';
import { setUpWorkspace, workspaceName } from './workspace';

export interface WorkspaceFormState {
  /** What the form shows under the field, or above it for WorkOS failing. */
  error?: string;
  name: string;
}

export async function createWorkspaceAction(_previous: WorkspaceFormState, formData: FormData): Promise<WorkspaceFormState> {
  const session = await requireSession();
  // Already in an organization (a second tab, the back button): nothing to create.
  if (session.organizationId) redirect('/dashboard');
  const typed = formData.get('name');
  const name = typeof typed === 'string' ? typed : '';
  const parsed = workspaceName.safeParse(name);
  if (!parsed.success) return { name, error: parsed.error.issues[0]?.message };

  const result = await setUpWorkspace(session.user.id, parsed.data);
  if (!result.ok) {
    const error = result.organization
      ? `Your workspace “${result.organization.name}” was created, but it could not be set up for you yet. Try again: nothing will be created twice. (Reference: ${result.reference})`
      : `Your workspace could not be created right now. Try again in a moment. (Reference: ${result.reference})`;
    return { name, error };
  }
  // The session's organization, role and permissions become the new workspace's (a refresh at WorkOS),
  // then its dashboard; if WorkOS fails here, the dashboard says so and this page finishes the move.
  await switchOrganization(result.organization.id, '/dashboard', 'switch');
  return { name };
}
