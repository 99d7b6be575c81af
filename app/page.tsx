import Link from 'next/link';

export default function HomePage() {
  return (
    <section aria-labelledby="home-title" className="space-y-6">
      <h1 id="home-title" className="text-3xl font-bold tracking-tight">
        Sign-in, done right.
      </h1>
      <p className="max-w-2xl text-ink-muted">
        A Next.js starter for WorkOS AuthKit: hosted sign-in, sealed sessions, protected routes and an
        end-to-end suite that runs against a mock WorkOS.
      </p>
      <div className="flex gap-3">
        <Link href="/auth/sign-in" className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700">
          Sign in
        </Link>
        <Link href="/auth/sign-up" className="rounded-md border border-gray-300 bg-white px-4 py-2 font-medium hover:bg-gray-100">
          Sign up
        </Link>
      </div>
    </section>
  );
}
