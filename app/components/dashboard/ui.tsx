/** Small pieces every dashboard panel is built from. */
import type { ReactNode } from 'react';

export function Field({ label, testId, children }: { label: string; testId: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-1 gap-1 py-2 sm:grid-cols-3">
      <dt className="text-sm font-medium text-ink-muted">{label}</dt>
      <dd className="text-sm sm:col-span-2" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

export function List({ items }: { items: string[] }) {
  if (items.length === 0) return <span className="text-ink-muted">None</span>;
  return (
    <ul className="flex flex-wrap gap-2">
      {items.map((item) => (
        <li key={item} className="rounded bg-brand-50 px-2 py-0.5 font-mono text-xs text-brand-800">
          {item}
        </li>
      ))}
    </ul>
  );
}

export function Card({ title, children }: { title: string; children: ReactNode }) {
  const id = `card-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <section aria-labelledby={id} className="rounded-lg border border-gray-200 bg-white p-6 shadow-sm">
      <h2 id={id} className="mb-3 text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

/** A panel's data could not be loaded (WorkOS failed, was too slow or answered oddly); the rest of the page is fine. */
export function Unavailable({ what }: { what: string }) {
  return <p className="text-sm text-ink-muted">Couldn&apos;t load {what}. Reload the page to try again.</p>;
}
