'use client';
/** Invite by email with a role: errors come back from the server action under their field (it posts as a plain form without script). */
import { useActionState } from 'react';
import { inviteMemberAction, type InviteFormState } from '@/lib/features/members/actions';

type Field = 'email' | 'role';

export function InviteForm({ roles }: { roles: { slug: string; name: string }[] }) {
  const [state, action, pending] = useActionState<InviteFormState, FormData>(inviteMemberAction, { email: '', role: 'member' });
  const errorFor = (field: Field) => (state.error && state.field === field ? state.error : undefined);
  // The field's control, tied to its error below it when it has one.
  const control = (field: Field) => ({
    id: `invite-${field}`,
    name: field,
    'aria-invalid': errorFor(field) ? true : undefined,
    'aria-describedby': errorFor(field) ? `invite-${field}-error` : undefined,
    className: 'rounded-md border border-gray-300 px-3 py-2',
  });
  const fieldError = (field: Field) =>
    errorFor(field) ? (
      <p id={`invite-${field}-error`} role="alert" className="text-sm text-red-800">
        {errorFor(field)}
      </p>
    ) : null;
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
          <input {...control('email')} type="email" required defaultValue={state.email} key={state.sent ?? state.email} />
          {fieldError('email')}
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="invite-role" className="text-sm font-medium">
            Role
          </label>
          <select {...control('role')} defaultValue={state.role}>
            {roles.map((role) => (
              <option key={role.slug} value={role.slug}>
                {role.name}
              </option>
            ))}
          </select>
          {fieldError('role')}
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
