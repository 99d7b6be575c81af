'use client';

import { useEffect } from 'react';
import { ErrorNotice } from './components/error-notice';

// Catches rendering errors below the root layout.
export default function ErrorBoundary({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);

  return <ErrorNotice digest={error.digest} onRetry={reset} />;
}
