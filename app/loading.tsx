export default function Loading() {
  return (
    <div role="status" aria-live="polite" className="flex items-center gap-3 text-ink-muted">
      <span className="h-4 w-4 animate-spin rounded-full border-2 border-brand-600 border-t-transparent" aria-hidden="true" />
      Loading…
    </div>
  );
}
