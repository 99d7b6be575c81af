/** WorkOS list pagination: `limit` (1–100, default 10), `before`/`after` cursors, `order` (default desc). */

/** A pagination parameter out of the documented range; each endpoint answers it with its documented error. */
export class PaginationError extends Error {
  override name = 'PaginationError';
  /** The query parameter at fault. */
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

const ORDERS = new Set(['asc', 'desc', 'normal']);

/**
 * A page of `items` by creation time. `order: 'asc'` ignores the query's `order`
 * (the events stream is always oldest first, whatever `order` says).
 */
export function paginate<T extends { id: string; createdAt: string }>(
  items: readonly T[],
  query: URLSearchParams,
  { order: fixedOrder }: { order?: 'asc' } = {},
) {
  const limitParam = query.get('limit');
  const limit = limitParam === null ? 10 : Number(limitParam);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    throw new PaginationError('limit', `limit must be an integer from 1 to 100, got "${limitParam}".`);
  const requestedOrder = query.get('order') ?? 'desc';
  if (!ORDERS.has(requestedOrder)) throw new PaginationError('order', `order must be one of asc, desc, normal, got "${requestedOrder}".`);
  const order = fixedOrder ?? requestedOrder;
  // Stable sort: equal timestamps keep creation (insertion) order.
  const ordered = fixedOrder ? [...items] : [...items].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  if (order !== 'asc') ordered.reverse();
  const after = query.get('after');
  const before = query.get('before');
  let start = 0;
  let end = ordered.length;
  if (after) start = ordered.findIndex((item) => item.id === after) + 1;
  if (before) {
    end = Math.max(
      ordered.findIndex((item) => item.id === before),
      0,
    );
    start = Math.max(end - limit, 0);
  }
  const page = ordered.slice(start, Math.min(start + limit, end));
  const first = page[0];
  const last = page.at(-1);
  return {
    page,
    listMetadata: {
      before: first && start > 0 ? first.id : null,
      after: last && start + page.length < ordered.length ? last.id : null,
    },
  };
}
