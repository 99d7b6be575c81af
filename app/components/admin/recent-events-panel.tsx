/**
 * The admin page's "Recent events" (demo feature lib/features/webhooks/): the webhook events WorkOS
 * sent about this organization, newest first by when WorkOS made the change.
 */
import { recentEventsOf, webhooksConfigured } from '@/lib/features/webhooks/webhooks';
import { Timestamp } from '@/app/components/dashboard/timestamp';
import { Card } from '@/app/components/dashboard/ui';

export async function RecentEventsPanel({ organizationId }: { organizationId: string }) {
  const events = await recentEventsOf(organizationId);
  return (
    <Card title="Recent events">
      {webhooksConfigured() ? null : (
        <p className="mb-2 text-sm text-ink-muted">
          This server receives no webhooks: set <code className="font-mono">WORKOS_WEBHOOK_SECRET</code> (README,
          &quot;Organizations&quot;).
        </p>
      )}
      {events.length === 0 ? (
        <p className="text-sm text-ink-muted">No webhook events about this organization yet.</p>
      ) : (
        <ol aria-label="Recent events" className="divide-y divide-gray-100">
          {events.map((event) => (
            <li key={event.eventId} className="flex flex-wrap justify-between gap-2 py-2 text-sm">
              <span>
                <code className="font-mono">{event.type}</code> {event.summary}
              </span>
              <Timestamp value={new Date(event.createdAt)} />
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}
