// Shown while the dashboard loads its data. It lives in the (overview) route
// group on purpose: a loading boundary above /dashboard/admin would start
// streaming a 200 before the admin page can answer 403 with forbidden().
export default function DashboardLoading() {
  return (
    <div role="status" aria-live="polite" className="flex items-center gap-3 text-ink-muted">
      <span className="h-4 w-4 animate-spin rounded-full border-2 border-brand-600 border-t-transparent" aria-hidden="true" />
      Loading your dashboard…
    </div>
  );
}
