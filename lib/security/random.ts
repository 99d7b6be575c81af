/**
 * Random values for per-request nonces: the CSP nonce and the proxy proof's.
 *
 * Every call into node:crypto's random functions pays a fixed cost far above
 * the 16 bytes drawn: ≈ 2 µs in a tight loop, and 10–30 µs per call inside
 * `next start`, where the proxy's two draws were ≈ 40 µs of each signed-in
 * request (CPU profiles, docs/performance.md). So bytes are drawn 4 KiB at a
 * time from the same CSPRNG and each byte is handed out once, the way Node's own
 * crypto.randomUUID() keeps entropy for 128 UUIDs.
 */
import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let used = POOL_BYTES;

/** `bytes` fresh random bytes (≤ 4096), encoded. */
export function randomString(bytes: number, encoding: 'base64' | 'base64url'): string {
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > POOL_BYTES)
    throw new RangeError(`randomString: bytes must be 1–${POOL_BYTES}, got ${bytes}`);
  if (used + bytes > POOL_BYTES) {
    randomFillSync(pool);
    used = 0;
  }
  const value = pool.toString(encoding, used, used + bytes);
  used += bytes;
  return value;
}

/** A fresh, unguessable CSP nonce (128 bits, base64). */
export function createNonce(): string {
  return randomString(16, 'base64');
}
