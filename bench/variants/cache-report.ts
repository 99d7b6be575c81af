/**
 * `npm run bench` only: installed by instrumentation.ts in the bench's temporary
 * copies (bench/lib/variants.ts), never in the app. On SIGUSR2 the server
 * process writes one log line with its RSS and the size of every registered
 * in-process cache (lib/cache-sizes.ts), which the bench reads from the log.
 */
import { cacheSizes } from '../../lib/cache-sizes.ts';

export const CACHE_REPORT_PREFIX = 'bench-cache-report ';

export function installCacheReport(): void {
  process.on('SIGUSR2', () => {
    process.stdout.write(
      `${CACHE_REPORT_PREFIX}${JSON.stringify({ pid: process.pid, rssBytes: process.memoryUsage.rss(), caches: cacheSizes() })}\n`,
    );
  });
}
