// Runs once when a server process starts. next.config.js already validates the
// environment for `next build`, `next dev` and `next start`; this covers servers
// that start without reading next.config.js (e.g. `output: 'standalone'`).
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { getAuthConfig } = await import('./lib/auth/config');
    getAuthConfig();
    // Connect to Redis (REDIS_URL) now, not on the first refresh that needs it.
    const { redisConnection } = await import('./lib/auth/redis');
    redisConnection();
  }
}
