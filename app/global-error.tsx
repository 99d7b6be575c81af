'use client';

import './globals.css';

// Last resort when the root layout itself fails: it replaces the whole document,
// so it brings its own <html>. Fixed copy plus the digest Next logs server-side.
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <head>
        <title>Something went wrong · AuthKit Starter</title>
      </head>
      <body className="flex min-h-screen items-center justify-center p-6">
        <main className="max-w-lg space-y-4">
          <h1 className="text-2xl font-bold">Something went wrong</h1>
          <p className="text-ink-muted">The app could not be shown. Try again; if it keeps happening, contact support.</p>
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
        </main>
      </body>
    </html>
  );
}
