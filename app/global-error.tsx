'use client';

import { ErrorNotice } from './components/error-notice';
import './globals.css';

// Last resort when the root layout itself fails: it replaces the whole document,
// so it brings its own <html>.
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <head>
        <title>Something went wrong · AuthKit Starter</title>
      </head>
      <body className="flex min-h-screen items-center justify-center p-6">
        <main>
          <ErrorNotice digest={error.digest} onRetry={reset} />
        </main>
      </body>
    </html>
  );
}
