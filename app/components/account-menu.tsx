'use client';

import Link from 'next/link';
import { useAuth } from '@/lib/auth/client';
import { SignInLinks, SignOutButton } from './auth-buttons';

/**
 * The header's account menu: who is signed in, in which organization and with which role, from
 * authkit's useAuth() (seeded by the root layout, so it never renders signed out first).
 */
export function AccountMenu() {
  const { user, organizationId, role } = useAuth();
  if (!user) {
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
      <span className="hidden flex-col text-right text-sm sm:flex">
        <span className="text-ink-muted" data-testid="signed-in-email">
          {user.email}
        </span>
        {organizationId ? (
          <span className="text-xs text-ink-muted" data-testid="signed-in-organization">
            {role ? `${role} · ` : ''}
            <span className="font-mono">{organizationId}</span>
          </span>
        ) : null}
      </span>
      <SignOutButton label="Sign out" className="rounded-md border border-gray-300 px-3 py-2 text-sm font-medium hover:bg-gray-100" />
    </div>
  );
}
