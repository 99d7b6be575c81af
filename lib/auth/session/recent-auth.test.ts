import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateRecentAuth, reauthenticationPath } from './recent-auth';

/** authkit's own rule, behind its checkRecentAuth() and useRecentAuth() (not exported: loaded from its file). */
const authkitUtils = path.resolve(import.meta.dirname, '../../../node_modules/@workos-inc/authkit-nextjs/dist/esm/utils.js');
type AuthkitRule = (input: { authTime: unknown; maxAgeSeconds: number; nowSeconds: number }) => { isStale: boolean };

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const at = (secondsAgo: number) => new Date(NOW - secondsAgo * 1000);

describe('evaluateRecentAuth', () => {
  it.each([
    { name: 'signed in just now', authenticatedAt: at(0), stale: false },
    { name: 'exactly maxAge ago (inclusive)', authenticatedAt: at(300), stale: false },
    { name: 'a second past maxAge', authenticatedAt: at(301), stale: true },
    { name: 'in the future (clock skew)', authenticatedAt: at(-60), stale: false },
    { name: 'no auth_time: fails closed', authenticatedAt: undefined, stale: true },
    { name: 'an invalid date: fails closed', authenticatedAt: new Date(Number.NaN), stale: true },
  ])('$name → stale: $stale', ({ authenticatedAt, stale }) => {
    expect(evaluateRecentAuth(authenticatedAt, 300, NOW).isStale).toBe(stale);
  });

  it("agrees with authkit-nextjs' rule (useRecentAuth shows the browser what this enforces)", async () => {
    const { evaluateRecentAuth: authkit } = (await import(authkitUtils)) as { evaluateRecentAuth: AuthkitRule };
    for (const secondsAgo of [-60, 0, 1, 299, 300, 301, 3600]) {
      const ours = evaluateRecentAuth(at(secondsAgo), 300, NOW).isStale;
      const theirs = authkit({ authTime: Math.floor(at(secondsAgo).getTime() / 1000), maxAgeSeconds: 300, nowSeconds: NOW / 1000 }).isStale;
      expect(ours, `${secondsAgo} s ago`).toBe(theirs);
    }
    expect(authkit({ authTime: undefined, maxAgeSeconds: 300, nowSeconds: NOW / 1000 }).isStale).toBe(true);
  });
});

describe('reauthenticationPath', () => {
  it('sends to sign-in with the page to come back to and the max age', () => {
    expect(reauthenticationPath('/dashboard?sessions=x', 600)).toBe('/auth/sign-in?returnTo=%2Fdashboard%3Fsessions%3Dx&maxAge=600');
  });
});
