import Link from 'next/link';
import { signOutAction } from '@/app/actions';
import type { AppSession } from '@/lib/auth';

// Auth routes are plain <a> links, not <Link>: Link prefetches, and prefetching
// /auth/sign-in would start a sign-in flow (and set a verifier cookie) in the background.
export function AccountMenu({ session }: { session: AppSession | null }) {
  if (!session) {
    return (
      <div className="flex items-center gap-2">
        <a href="/auth/sign-in" className="rounded-md px-3 py-2 text-sm font-medium text-brand-700 hover:bg-brand-50">
          Sign in
        </a>
        <a href="/auth/sign-up" className="rounded-md bg-brand-600 px-3 py-2 text-sm font-medium text-white hover:bg-brand-700">
          Sign up
        </a>
      </div>
    );
  }
  return (
    <div className="flex items-center gap-3">
      <Link href="/dashboard" className="rounded-md px-3 py-2 text-sm font-medium text-brand-700 hover:bg-brand-50">
        Dashboard
      </Link>
      <span className="hidden text-sm text-ink-muted sm:inline" data-testid="signed-in-email">
        {session.user.email}
      </span>
      <form action={signOutAction}>
        <button type="submit" className="rounded-md border border-gray-300 px-3 py-2 text-sm font-medium hover:bg-gray-100">
          Sign out
        </button>
      </form>
    </div>
  );
}
