/**
 * When a long-running dev process (the mock CLI, dev:mock) should stop:
 * SIGINT (Ctrl-C), SIGTERM, SIGHUP (terminal closed), or its parent dying.
 *
 * The last one matters under `npm run`: npm forwards SIGTERM to the `sh -c`
 * wrapper, which dies without passing it on, leaving node orphaned. Seeing
 * our parent change is the portable way to notice.
 */
const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const PARENT_CHECK_INTERVAL_MS = 500;

export function onStopRequest(stop: (reason: string) => void): void {
  let requested = false;
  const request = (reason: string) => {
    if (requested) return;
    requested = true;
    clearInterval(parentWatch);
    stop(reason);
  };
  for (const signal of STOP_SIGNALS) process.once(signal, () => request(signal));
  const parentPid = process.ppid;
  const parentWatch = setInterval(() => {
    if (process.ppid !== parentPid) request('parent process exited');
  }, PARENT_CHECK_INTERVAL_MS);
  parentWatch.unref();
}
