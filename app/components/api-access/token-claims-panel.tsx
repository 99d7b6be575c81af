'use client';

/**
 * The access token as the browser holds it: authkit's useTokenClaims() decodes the token that
 * useAccessToken() fetched from the server (and refreshes before it expires). Presentation only:
 * the server never trusts what a browser says about its token.
 */
import { useAccessToken, useRecentAuth, useTokenClaims } from '@/lib/auth/client';
import { Timestamp } from '../dashboard/timestamp';
import { Card, Field, List } from '../dashboard/ui';

interface AppClaims {
  sid?: string;
  org_id?: string;
  role?: string;
  permissions?: string[];
  auth_time?: number;
}

const at = (seconds: number | undefined) => (typeof seconds === 'number' ? <Timestamp value={new Date(seconds * 1000)} /> : 'Unknown');

/** `stepUpMaxAge`: how recent a sign-in the app's sensitive actions need (useRecentAuth shows whether this one is). */
export function TokenClaimsPanel({ stepUpMaxAge }: { stepUpMaxAge: number }) {
  const { loading, error, refresh } = useAccessToken();
  const claims = useTokenClaims<AppClaims>();
  const recent = useRecentAuth({ maxAge: stepUpMaxAge });
  return (
    <Card title="Access token in the browser">
      {error ? (
        <p role="alert" className="text-sm text-red-900">
          Couldn&apos;t get an access token. Reload the page to try again.
        </p>
      ) : loading || !claims.sub ? (
        <p className="text-sm text-ink-muted">Loading…</p>
      ) : (
        <dl className="divide-y divide-gray-100">
          <Field label="Subject (user)" testId="claim-sub">
            <code className="font-mono">{claims.sub}</code>
          </Field>
          <Field label="Session" testId="claim-sid">
            <code className="font-mono">{claims.sid}</code>
          </Field>
          <Field label="Organization" testId="claim-org">
            {claims.org_id ? <code className="font-mono">{claims.org_id}</code> : <span className="text-ink-muted">None</span>}
          </Field>
          <Field label="Role" testId="claim-role">
            {claims.role ?? <span className="text-ink-muted">None</span>}
          </Field>
          <Field label="Permissions" testId="claim-permissions">
            <List items={claims.permissions ?? []} />
          </Field>
          <Field label="Signed in" testId="claim-auth-time">
            {at(claims.auth_time)}
          </Field>
          <Field label="Sensitive actions" testId="recent-auth">
            {recent.loading
              ? null
              : recent.isStale
                ? `Sign in again first (a sign-in older than ${stepUpMaxAge / 60} minutes)`
                : `Allowed without signing in again (signed in within ${stepUpMaxAge / 60} minutes)`}
          </Field>
          <Field label="Issued" testId="claim-iat">
            {at(claims.iat)}
          </Field>
          <Field label="Expires" testId="claim-exp">
            {at(claims.exp)}
          </Field>
          <Field label="Token ID" testId="claim-jti">
            <code className="font-mono">{claims.jti}</code>
          </Field>
        </dl>
      )}
      {/* A refresh now (authkit refreshes on its own before expiry): one per refresh token, however many tabs ask. */}
      <button
        type="button"
        onClick={() => refresh().catch(() => {})}
        disabled={loading}
        className="mt-4 rounded-md border border-gray-300 px-3 py-2 text-sm font-medium hover:bg-gray-100 disabled:opacity-50"
      >
        Refresh token
      </button>
    </Card>
  );
}
