import type { AppSession } from '@/lib/auth';
import { SignOutButton } from './auth-buttons';

/** Shown on every page while a WorkOS admin is signed in as someone else. */
export function ImpersonationBanner({ session }: { session: AppSession | null }) {
  if (!session?.impersonator) return null;
  const { impersonator, user } = session;
  return (
    <aside aria-label="Impersonation" className="bg-amber-100 text-amber-950">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 px-6 py-2 text-sm">
        <p>
          <strong>{impersonator.email}</strong> is signed in as <strong>{user.email}</strong>
          {impersonator.reason ? <> — reason: {impersonator.reason}</> : null}
        </p>
        <SignOutButton label="Stop impersonating" className="rounded-md bg-amber-900 px-3 py-1 font-medium text-white hover:bg-amber-950" />
      </div>
    </aside>
  );
}
