'use client';

import { useEffect } from 'react';

// Catches rendering errors below the root layout. Shows a fixed message and the
// digest (the id Next prints next to the server-side error), never the error text.
export default function ErrorBoundary({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);

  return (
    <section aria-labelledby="error-title" className="space-y-4">
      <h1 id="error-title" className="text-2xl font-bold">
        Something went wrong
      </h1>
      <p className="text-ink-muted">The page could not be shown. Try again; if it keeps happening, contact support.</p>
      {error.digest ? (
        <p className="text-sm text-ink-muted">
          Reference: <code className="font-mono">{error.digest}</code>
        </p>
      ) : null}
      <button
        type="button"
        onClick={reset}
        className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700"
      >
        Try again
      </button>
    </section>
  );
}
