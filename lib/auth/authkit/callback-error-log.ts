/**
 * What authkit does: handleAuth() (authkit-nextjs 4.3.2) logs every failed
 * callback itself, `console.error('[AuthKit callback error]', error)`, the
 * whole error with its stack, and only then calls the onError it was given.
 *
 * What we need instead: one line per failure. Our onError
 * (lib/auth/callback/route.ts) already logs it with its code, a reference id
 * and the error's class, status and code (lib/auth/errors/log.ts), so authkit's
 * dump is a second, multi-line report of the same failure; for a failure the
 * person caused (an expired or reused code, invalid_grant) it reads like a crash.
 * handleAuth takes no logger: while a handler built here runs, authkit's own
 * line is dropped. An AsyncLocalStorage marks those requests, so every other
 * console.error, this request's included, still gets through.
 *
 * Delete this file when authkit-nextjs's handleAuth no longer logs a failure
 * it hands to onError (upstream.test.ts, "callback-error-log.ts", fails then).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const insideCallback = new AsyncLocalStorage<true>();

/** Puts the filter in front of whatever console.error is now (Next's, a test's spy), once. */
function filterConsoleError(): void {
  // A registered symbol: every copy of this module (Next bundles each route apart) knows the filter.
  const marker = Symbol.for('authkit-starter.callback-error-filter');
  if ((console.error as unknown as Record<symbol, unknown>)[marker]) return;
  const underlying = console.error;
  const filtered = (...args: unknown[]) => {
    // The first argument of authkit's console.error call in handleAuth's catch.
    if (args[0] === '[AuthKit callback error]' && insideCallback.getStore()) return;
    underlying.apply(console, args);
  };
  console.error = Object.assign(filtered, { [marker]: true });
}

/** `handler` (authkit's callback handler, whose onError logs) without authkit's own error dump. */
export function withoutAuthkitErrorDump<Args extends unknown[], Result>(
  handler: (...args: Args) => Promise<Result>,
): (...args: Args) => Promise<Result> {
  return (...args) => {
    filterConsoleError();
    return insideCallback.run(true, () => handler(...args));
  };
}
