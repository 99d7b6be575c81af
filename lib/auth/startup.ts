/**
 * The door for next.config.js and instrumentation.ts: what every build and
 * server runs before anything else. next.config.js loads it with plain Node
 * (type stripping): relative `.ts` imports and erasable syntax only, and
 * nothing beyond the config module until a server calls {@link startServer}.
 */
import { checkConfigAtStartup } from './config/startup-check.ts';

export { checkConfigAtStartup };

/**
 * instrumentation.ts, once per server process: the full config check, then the Redis connection (REDIS_URL)
 * opened now, not on the first refresh, and the revocation list subscribed and read before the first request.
 */
export async function startServer(): Promise<void> {
  checkConfigAtStartup('server');
  const { revocationList } = await import('./session/revoked-sessions.ts');
  revocationList();
}
