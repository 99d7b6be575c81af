'use client';
/** The workspace form: its errors come back from the server action (no script needed: it posts as a plain form). */
import { useActionState } from 'react';
import { createWorkspaceAction, type WorkspaceFormState } from '@/lib/features/workspace/actions';

export function WorkspaceForm({ unfinishedName }: { unfinishedName: string | undefined }) {
  const [state, action, pending] = useActionState<WorkspaceFormState, FormData>(createWorkspaceAction, { name: unfinishedName ?? '' });
  return (
    <form action={action} className="space-y-3">
      {unfinishedName ? (
        <input type="hidden" name="name" value={unfinishedName} />
      ) : (
        <div className="flex flex-col gap-1">
          <label htmlFor="workspace-name" className="text-sm font-medium">
            Workspace name
          </label>
          <input
            id="workspace-name"
            name="name"
            defaultValue={state.name}
            aria-invalid={state.error ? true : undefined}
            aria-describedby={state.error ? 'workspace-error' : undefined}
            className="rounded-md border border-gray-300 px-3 py-2"
          />
        </div>
      )}
      {state.error ? (
        <p id="workspace-error" role="alert" className="text-sm text-red-800">
          {state.error}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={pending}
        className="rounded-md bg-brand-600 px-3 py-2 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60"
      >
        {unfinishedName ? 'Finish setting up' : 'Create workspace'}
      </button>
    </form>
  );
}
