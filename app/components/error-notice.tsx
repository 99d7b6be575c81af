/**
 * The body of both error boundaries (app/error.tsx and app/global-error.tsx):
 * fixed copy and the digest Next logs server-side, never the error's message.
 */
export function ErrorNotice({ digest, onRetry }: { digest: string | undefined; onRetry: () => void }) {
  return (
    <section aria-labelledby="error-title" className="max-w-lg space-y-4">
      <h1 id="error-title" className="text-2xl font-bold">
        Something went wrong
      </h1>
      <p className="text-ink-muted">The page could not be shown. Try again; if it keeps happening, contact support.</p>
      {digest ? (
        <p className="text-sm text-ink-muted">
          Reference: <code className="font-mono">{digest}</code>
        </p>
      ) : null}
      <button type="button" onClick={onRetry} className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700">
        Try again
      </button>
    </section>
  );
}
