'use client';
/** Invite by email with a role: errors come back from the server action under their field (it posts as a plain form without script). */
import { useActionState } from 'react';
import { inviteMemberAction, type InviteFormState } from '@/lib/features/members/actions';

export function InviteForm({ roles }: { roles: { slug: string; name: string }[] }) {
  const [state, action, pending] = useActionState<InviteFormState, FormData>(inviteMemberAction, { email: '', role: 'member' });
  const errorFor = (field: 'email' | 'role') => (state.error && state.field === field ? state.error : undefined);
  return (
    <form action={action} className="space-y-3" aria-label="Invite a member">
      {state.sent ? (
        <p role="status" className="rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-900">
          Invitation sent to {state.sent}.
        </p>
      ) : null}
      {state.error && !state.field ? (
        <p role="alert" className="text-sm text-red-800">
          {state.error}
        </p>
      ) : null}
      <div className="flex flex-wrap items-start gap-3">
        <div className="flex min-w-64 flex-1 flex-col gap-1">
          <label htmlFor="invite-email" className="text-sm font-medium">
            Email
          </label>
          <input
            id="invite-email"
            name="email"
            type="email"
            required
            defaultValue={state.email}
            key={state.sent ?? state.email}
            aria-invalid={errorFor('email') ? true : undefined}
            aria-describedby={errorFor('email') ? 'invite-email-error' : undefined}
            className="rounded-md border border-gray-300 px-3 py-2"
          />
          {errorFor('email') ? (
            <p id="invite-email-error" role="alert" className="text-sm text-red-800">
              {errorFor('email')}
            </p>
          ) : null}
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="invite-role" className="text-sm font-medium">
            Role
          </label>
          <select
            id="invite-role"
            name="role"
            defaultValue={state.role}
            aria-invalid={errorFor('role') ? true : undefined}
            aria-describedby={errorFor('role') ? 'invite-role-error' : undefined}
            className="rounded-md border border-gray-300 px-3 py-2"
          >
            {roles.map((role) => (
              <option key={role.slug} value={role.slug}>
                {role.name}
              </option>
            ))}
          </select>
          {errorFor('role') ? (
            <p id="invite-role-error" role="alert" className="text-sm text-red-800">
              {errorFor('role')}
            </p>
          ) : null}
        </div>
      </div>
      <button
        type="submit"
        disabled={pending}
        className="rounded-md bg-brand-600 px-3 py-2 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60"
      >
        Send invitation
      </button>
    </form>
  );
}
