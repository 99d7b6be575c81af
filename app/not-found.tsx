import type { Metadata } from 'next';
import Link from 'next/link';

export const metadata: Metadata = { title: 'Page not found' };

export default function NotFound() {
  return (
    <section aria-labelledby="not-found-title" className="space-y-4">
      <h1 id="not-found-title" className="text-2xl font-bold">
        Page not found
      </h1>
      <p className="text-ink-muted">There is nothing at this address.</p>
      <Link href="/" className="font-medium text-brand-700 underline">
        Back to the home page
      </Link>
    </section>
  );
}
