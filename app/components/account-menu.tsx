import Link from 'next/link';
import type { AppSession } from '@/lib/auth';
import { SignInLinks, SignOutButton } from './auth-buttons';

export function AccountMenu({ session }: { session: AppSession | null }) {
  if (!session) {
    return (
      <SignInLinks
        className="flex items-center gap-2"
        signIn="rounded-md px-3 py-2 text-sm font-medium text-brand-700 hover:bg-brand-50"
        signUp="rounded-md bg-brand-600 px-3 py-2 text-sm font-medium text-white hover:bg-brand-700"
      />
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
      <SignOutButton label="Sign out" className="rounded-md border border-gray-300 px-3 py-2 text-sm font-medium hover:bg-gray-100" />
    </div>
  );
}
