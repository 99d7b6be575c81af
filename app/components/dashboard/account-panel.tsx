import type { AppSession } from '@/lib/auth/session';
import { Card, Field } from './ui';

export function displayName(user: AppSession['user']): string {
  return [user.firstName, user.lastName].filter(Boolean).join(' ') || user.email;
}

export function AccountPanel({ user }: { user: AppSession['user'] }) {
  const name = displayName(user);
  return (
    <Card title="Account">
      <div className="mb-4 flex items-center gap-4">
        {user.profilePictureUrl ? (
          // Avatars come from arbitrary identity providers; next/image would need every host allow-listed.
          // eslint-disable-next-line @next/next/no-img-element
          <img src={user.profilePictureUrl} alt="" width={48} height={48} className="h-12 w-12 rounded-full" />
        ) : (
          <span aria-hidden="true" className="flex h-12 w-12 items-center justify-center rounded-full bg-brand-600 text-lg font-semibold text-white">
            {name.charAt(0).toUpperCase()}
          </span>
        )}
        <div>
          <p className="font-semibold" data-testid="user-name">
            {name}
          </p>
          <p className="text-sm text-ink-muted" data-testid="user-email">
            {user.email}
          </p>
        </div>
      </div>
      <dl className="divide-y divide-gray-100">
        <Field label="User ID" testId="user-id">
          <code className="font-mono">{user.id}</code>
        </Field>
        <Field label="Email verified" testId="email-verified">
          {user.emailVerified ? 'Yes' : 'No'}
        </Field>
      </dl>
    </Card>
  );
}
