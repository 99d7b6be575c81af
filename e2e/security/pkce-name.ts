/** The verifier cookie name authkit derives from a state (wos-auth-verifier-<fnv1a32 hex>). */
import fnv1a from '@sindresorhus/fnv1a';

export function getPKCECookieNameForState(state: string): string {
  return `wos-auth-verifier-${Number(fnv1a(state, { size: 32 }))
    .toString(16)
    .padStart(8, '0')}`;
}
