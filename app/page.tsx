import Link from 'next/link';
import { getAuthConfig, getSession } from '@/lib/auth';
import { SignInLinks } from './components/auth-buttons';

/** What the starter is; against the mock WorkOS (a loopback API host), where its demo accounts are. */
export default async function HomePage() {
  const session = await getSession();
  return (
    <section aria-labelledby="home-title" className="space-y-6">
      <h1 id="home-title" className="text-3xl font-bold tracking-tight">
        {session ? `Welcome back, ${session.user.firstName ?? session.user.email}` : 'Sign-in, done right.'}
      </h1>
      <p className="max-w-2xl text-ink-muted">
        A Next.js starter for WorkOS AuthKit: hosted sign-in, sealed sessions, protected routes and an end-to-end suite that runs against a
        mock WorkOS.
      </p>
      {session ? (
        <Link href="/dashboard" className="inline-block rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700">
          Go to your dashboard
        </Link>
      ) : (
        <SignInLinks
          className="flex gap-3"
          signIn="rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700"
          signUp="rounded-md border border-gray-300 bg-white px-4 py-2 font-medium hover:bg-gray-100"
        />
      )}
      {getAuthConfig().api.isLoopback ? (
        <p className="max-w-2xl text-sm text-ink-muted" data-testid="demo-accounts-hint">
          This server signs in against the mock WorkOS. Its sign-in page lists the demo accounts and their password;{' '}
          <code className="font-mono">npm run dev:mock</code> prints them too.
        </p>
      ) : null}
    </section>
  );
}
