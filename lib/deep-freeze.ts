/**
 * Freezes plain JSON data all the way down, so one stored copy can be handed to
 * every request that reads it (a write throws in strict-mode code, which every
 * module is) instead of a fresh copy per read. Used by the in-process memos
 * (lib/auth/authkit/verified-sessions.ts, lib/auth/authkit/seal.ts).
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
