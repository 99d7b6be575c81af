import { z } from 'zod';
import type { AppSession } from '@/lib/auth';
import { Card, Field, Unavailable } from './ui';

/**
 * The profile fields this panel shows. They come from WorkOS' sign-in and
 * refresh answers (sealed in the session cookie) unchecked: a user without an
 * email must cost this panel, not the page. The id is always sound: the
 * session is only accepted when it matches the access token's subject.
 */
const profile = z.object({
  email: z.string().min(1),
  emailVerified: z.boolean(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  profilePictureUrl: z.string().nullish(),
});

type Profile = z.infer<typeof profile>;

function displayName(user: Pick<Profile, 'email' | 'firstName' | 'lastName'>): string {
  return [user.firstName, user.lastName].filter(Boolean).join(' ') || user.email;
}

export function AccountPanel({ user }: { user: AppSession['user'] }) {
  const parsed = profile.safeParse(user);
  const userId = (
    <Field label="User ID" testId="user-id">
      <code className="font-mono">{user.id}</code>
    </Field>
  );
  if (!parsed.success) {
    return (
      <Card title="Account">
        <Unavailable what="your account details" />
        <dl className="mt-2">{userId}</dl>
      </Card>
    );
  }
  const details = parsed.data;
  const name = displayName(details);
  return (
    <Card title="Account">
      <div className="mb-4 flex items-center gap-4">
        {details.profilePictureUrl ? (
          // Avatars come from arbitrary identity providers; next/image would need every host allow-listed.
          // eslint-disable-next-line @next/next/no-img-element
          <img src={details.profilePictureUrl} alt="" width={48} height={48} className="h-12 w-12 rounded-full" />
        ) : (
          <span
            aria-hidden="true"
            className="flex h-12 w-12 items-center justify-center rounded-full bg-brand-600 text-lg font-semibold text-white"
          >
            {name.charAt(0).toUpperCase()}
          </span>
        )}
        <div>
          <p className="font-semibold" data-testid="user-name">
            {name}
          </p>
          <p className="text-sm text-ink-muted" data-testid="user-email">
            {details.email}
          </p>
        </div>
      </div>
      <dl className="divide-y divide-gray-100">
        {userId}
        <Field label="Email verified" testId="email-verified">
          {details.emailVerified ? 'Yes' : 'No'}
        </Field>
      </dl>
    </Card>
  );
}
