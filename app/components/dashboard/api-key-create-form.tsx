'use client';

/** "Create API key": the new key's secret is shown here once, from the action's answer; it is stored nowhere. */
import { useActionState } from 'react';
import { createApiKeyAction } from '@/lib/features/api-keys/actions';
import type { CreateApiKeyState } from '@/lib/features/api-keys/notices';

export function ApiKeyCreateForm() {
  const [state, create, pending] = useActionState<CreateApiKeyState, FormData>(createApiKeyAction, { status: 'idle' });
  return (
    <form action={create} className="mt-4 space-y-3">
      <div className="flex flex-wrap items-end gap-2">
        <label className="flex flex-col text-sm font-medium">
          Key name
          <input name="name" required maxLength={64} className="mt-1 rounded-md border border-gray-300 px-2 py-1 font-normal" />
        </label>
        <button
          type="submit"
          disabled={pending}
          className="rounded-md bg-brand-600 px-3 py-2 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-50"
        >
          Create API key
        </button>
      </div>
      {state.status === 'error' ? (
        <p role="alert" className="text-sm text-red-900">
          {state.message}
        </p>
      ) : null}
      {state.status === 'created' ? (
        <div role="status" className="rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-900">
          <p>API key “{state.name}” created. Copy its secret now: it is not shown again.</p>
          <code className="mt-1 block break-all font-mono" data-testid="api-key-secret">
            {state.secret}
          </code>
        </div>
      ) : null}
    </form>
  );
}
