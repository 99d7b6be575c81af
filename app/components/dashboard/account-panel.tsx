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

export function AccountPanel({ user }: { user: AppSession['user'] }) {
  const parsed = profile.safeParse(user);
  return (
    <Card title="Account">
      {parsed.success ? <ProfileHeader details={parsed.data} /> : <Unavailable what="your account details" />}
      {/* mt-2 spaces the list from the "couldn't load" line; after the header it collapses into the header's mb-4. */}
      <dl className="mt-2 divide-y divide-gray-100">
        <Field label="User ID" testId="user-id">
          <code className="font-mono">{user.id}</code>
        </Field>
        {parsed.success ? (
          <Field label="Email verified" testId="email-verified">
            {parsed.data.emailVerified ? 'Yes' : 'No'}
          </Field>
        ) : null}
      </dl>
    </Card>
  );
}

function ProfileHeader({ details }: { details: z.infer<typeof profile> }) {
  const name = [details.firstName, details.lastName].filter(Boolean).join(' ') || details.email;
  return (
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
  );
}
