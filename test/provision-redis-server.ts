/**
 * `.ci/run`'s redis-server step: the shared-state tests (lib/redis, the
 * two-instance e2e spec) run a real redis-server (redis-server.ts). Installs
 * Debian's package where it can (test/system-packages.ts); otherwise exits 1
 * with the exact command to run.
 */
import { REDIS_SERVER_BINARY, missingRedisServerMessage, provisionRedisServer } from './redis-server.ts';

if (!provisionRedisServer({ log: (line) => console.log(`ci: ${line}`) })) {
  console.error(`ci: ${missingRedisServerMessage()}`);
  process.exit(1);
}
console.log(`ci: redis-server: ${REDIS_SERVER_BINARY}`);
