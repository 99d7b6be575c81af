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
 * Faults in what Redis holds are the key's problem, never a reason to run the
 * work twice: a result that cannot be used (not a string, too large, does not
 * unseal) is deleted and the lock taken as usual; a lock no owner of ours could
 * have set (no expiry, or a longer one) is taken over at once. A lock lost to a
 * flush or an eviction lets a second instance run the work: when that run is
 * refused as already done (`alreadyDone`: a single-use token already spent), it
 * waits up to `siblingWaitMs` for the first instance's result before failing.
 *
 * Whenever Redis cannot help (unreachable, slow, or a wait longer than
 * `waitMs`), the work runs here: per-process behaviour.
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
  /** Validates an unsealed result; throws when it is unusable (then it is deleted, as one that does not unseal). */
  parse: (value: unknown) => T;
  /** True for a failure of the work that means another instance already did it (a single-use token already spent). */
  alreadyDone?: (error: unknown) => boolean;
  /** How long a run refused as {@link alreadyDone} waits for that other instance's result before it fails. */
  siblingWaitMs?: number;
  /**
   * Called when Redis is up but did not serve as designed (not for "Redis unavailable": the connection logs that):
   * a wait that ran out (this instance then did the work itself), or a stored result it could not use (deleted).
   */
  onFallback?: (reason: 'wait_timeout' | 'unreadable_result') => void;
  now?: () => number;
}

export interface SharedSingleFlight<T> {
  run(key: string, work: () => Promise<T>): Promise<T>;
}

const CLAIMED = 'claimed';
const CLAIMED_AFTER_DISCARDING = 'claimed-after-discarding';
const BUSY = 'busy';
/** Larger than any result (a refresh answer is a few kB): a larger value is not read, only deleted. */
const MAX_RESULT_BYTES = 1024 * 1024;

// The stored result if there is one, else the lock if free: one atomic step, so a
// result published between "no result" and "take the lock" is never missed. A result
// that is not a string or is too large is deleted; a lock without an expiry, or with a
// longer one than ours, was not set by an owner and is taken over. Every lock expires.
const CLAIM = `
local kind = redis.call('TYPE', KEYS[1]).ok
if kind == 'string' and redis.call('STRLEN', KEYS[1]) <= ${MAX_RESULT_BYTES} then return redis.call('GET', KEYS[1]) end
if kind ~= 'none' then redis.call('DEL', KEYS[1]) end
local ttl = redis.call('PTTL', KEYS[2])
if ttl == -2 or ttl == -1 or ttl > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
  if kind ~= 'none' then return '${CLAIMED_AFTER_DISCARDING}' end
  return '${CLAIMED}'
end
return '${BUSY}'`;

// Publish first, then release (only our own lock: it may have expired, been flushed, or been taken).
const PUBLISH = `
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
return 1`;

// Deletes a key only while it holds this value: our own lock, or the unusable result we read.
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createSharedSingleFlight<T>(redis: RedisConnection, options: SharedSingleFlightOptions<T>): SharedSingleFlight<T> {
  const { namespace, password, lockMs, reuseMs, waitMs, pollMs = 25, parse, onFallback = () => {}, now = Date.now } = options;
  const { alreadyDone, siblingWaitMs = 0 } = options;
  const sealTtlSeconds = Math.ceil(reuseMs / 1000) + 1;

  async function readResult(sealed: string): Promise<T | undefined> {
    try {
      return parse(await unsealData(sealed, { password, ttl: sealTtlSeconds }));
    } catch {
      return undefined;
    }
  }

  /** The result another instance publishes within `siblingWaitMs`, if any. */
  async function siblingResult(resultKey: string): Promise<T | undefined> {
    const until = now() + siblingWaitMs;
    while (now() < until) {
      await sleep(pollMs);
      const read = await redis.attempt((client) => client.get(resultKey));
      const shared = read.ok && read.value ? await readResult(read.value) : undefined;
      if (shared !== undefined) return shared;
    }
    return undefined;
  }

  return {
    async run(key, work) {
      const hash = createHash('sha256').update(key).digest('base64url');
      const resultKey = `${namespace}:{${hash}}:result`;
      const lockKey = `${namespace}:{${hash}}:lock`;
      const owner = randomUUID();
      const deadline = now() + waitMs;
      const release = (redisKey: string, value: string) =>
        redis.attempt((client) => client.eval(RELEASE, { keys: [redisKey], arguments: [value] }));

      for (;;) {
        const claim = await redis.attempt((client) =>
          client.eval(CLAIM, { keys: [resultKey, lockKey], arguments: [owner, String(lockMs)] }),
        );
        if (!claim.ok) return work();

        if (claim.value === CLAIMED || claim.value === CLAIMED_AFTER_DISCARDING) {
          if (claim.value === CLAIMED_AFTER_DISCARDING) onFallback('unreadable_result');
          let result: T;
          try {
            result = await work();
          } catch (error) {
            // Refused as already done: an instance whose lock was lost did it. Hold the lock (the others keep
            // waiting) and wait briefly for its result. Other failures are not shared: the next caller tries.
            const shared = alreadyDone?.(error) ? await siblingResult(resultKey) : undefined;
            await release(lockKey, owner);
            if (shared !== undefined) return shared;
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
          // Deleted (unless a good one replaced it meanwhile), then claimed as usual on the next look.
          onFallback('unreadable_result');
          await release(resultKey, claim.value);
        }

        if (now() >= deadline) {
          onFallback('wait_timeout');
          return work();
        }
        if (claim.value === BUSY) await sleep(pollMs);
      }
    },
  };
}
