/**
 * A single-flight shared by every server instance through Redis: for one key,
 * one instance runs the work while the others wait for its result, and the
 * result is kept (sealed with iron-session) for a reuse window so instances
 * that ask later get the same answer instead of running the work again.
 *
 * Built for the token refresh: WorkOS refresh tokens are single-use, so two
 * instances refreshing the same token at once sign the user out (the loser
 * gets `invalid_grant`). The key is a hash of what identifies the work (the
 * refresh token is never a Redis key), and the stored result holds tokens,
 * hence the seal.
 *
 * In Redis, per key hash `h` (one hash tag, so both keys live on one cluster slot):
 *   `<namespace>:{h}:lock`    the instance running the work (random owner id), expires after `lockMs`
 *   `<namespace>:{h}:result`  the sealed result, expires after `reuseMs`
 *
 * Whenever Redis cannot help (unreachable, slow, a result it cannot unseal,
 * or a wait longer than `waitMs`), the work runs here: per-process behaviour.
 *
 * Concerns: authkit-nextjs 4.3.2, through ./refresh-single-flight.ts, its only user.
 * Delete this file with ./refresh-single-flight.ts.
 */
import { createHash, randomUUID } from 'node:crypto';
import { sealData, unsealData } from 'iron-session';
import type { RedisConnection } from '../../redis/connection';

export interface SharedSingleFlightOptions<T> {
  /** Key prefix, e.g. `authkit:refresh`. */
  namespace: string;
  /** Seals stored results (the cookie password: every instance has it). */
  password: string;
  /** Longest the work may take; a crashed owner's lock is free again after this. */
  lockMs: number;
  /** How long a result answers later callers with the same key. */
  reuseMs: number;
  /** Longest a caller waits for another instance's result before doing the work itself. */
  waitMs: number;
  /** Pause between two looks at Redis while waiting. */
  pollMs?: number;
  /** Validates an unsealed result; throws when it is unusable (then the work runs here). */
  parse: (value: unknown) => T;
  /** Called when this instance did the work itself although Redis is configured (not for "Redis unavailable": the connection logs that). */
  onFallback?: (reason: 'wait_timeout' | 'unreadable_result') => void;
  now?: () => number;
}

export interface SharedSingleFlight<T> {
  run(key: string, work: () => Promise<T>): Promise<T>;
}

const CLAIMED = 'claimed';
const BUSY = 'busy';

// The stored result if there is one, else the lock if free: one atomic step, so a
// result published between "no result" and "take the lock" is never missed.
const CLAIM = `
local result = redis.call('GET', KEYS[1])
if result then return result end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return '${CLAIMED}' end
return '${BUSY}'`;

// Publish first, then release (only our own lock: it may have expired and been taken).
const PUBLISH = `
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
return 1`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createSharedSingleFlight<T>(redis: RedisConnection, options: SharedSingleFlightOptions<T>): SharedSingleFlight<T> {
  const { namespace, password, lockMs, reuseMs, waitMs, pollMs = 25, parse, onFallback = () => {}, now = Date.now } = options;
  const sealTtlSeconds = Math.ceil(reuseMs / 1000) + 1;

  async function readResult(sealed: string): Promise<T | undefined> {
    try {
      return parse(await unsealData(sealed, { password, ttl: sealTtlSeconds }));
    } catch {
      return undefined;
    }
  }

  return {
    async run(key, work) {
      const hash = createHash('sha256').update(key).digest('base64url');
      const resultKey = `${namespace}:{${hash}}:result`;
      const lockKey = `${namespace}:{${hash}}:lock`;
      const owner = randomUUID();
      const deadline = now() + waitMs;

      for (;;) {
        const claim = await redis.attempt((client) =>
          client.eval(CLAIM, { keys: [resultKey, lockKey], arguments: [owner, String(lockMs)] }),
        );
        if (!claim.ok) return work();

        if (claim.value === CLAIMED) {
          let result: T;
          try {
            result = await work();
          } catch (error) {
            // Failures are not shared beyond this call: let the next caller try.
            await redis.attempt((client) => client.eval(RELEASE, { keys: [lockKey], arguments: [owner] }));
            throw error;
          }
          const sealed = await sealData(result, { password, ttl: sealTtlSeconds });
          await redis.attempt((client) =>
            client.eval(PUBLISH, { keys: [resultKey, lockKey], arguments: [owner, sealed, String(reuseMs)] }),
          );
          return result;
        }

        if (typeof claim.value === 'string' && claim.value !== BUSY) {
          const shared = await readResult(claim.value);
          if (shared !== undefined) return shared;
          onFallback('unreadable_result');
          return work();
        }

        if (now() >= deadline) {
          onFallback('wait_timeout');
          return work();
        }
        await sleep(pollMs);
      }
    },
  };
}
