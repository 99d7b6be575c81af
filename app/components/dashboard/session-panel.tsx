import type { ReactNode } from 'react';
import { refreshSessionAction } from '@/app/actions';
import type { AppSession } from '@/lib/auth';
import { Timestamp } from './timestamp';
import { Card, Field, List } from './ui';

/** What the access token says, and a button to refresh it now. `organizationName`, when the app knows it, may stream. */
export function SessionPanel({ session, organizationName }: { session: AppSession; organizationName?: ReactNode }) {
  return (
    <Card title="Session">
      <dl className="divide-y divide-gray-100">
        <Field label="Signed in with" testId="authentication-method">
          {session.authenticationMethod ?? 'Unknown'}
        </Field>
        <Field label="Session ID" testId="session-id">
          <code className="font-mono">{session.sessionId}</code>
        </Field>
        <Field label="Organization" testId="organization">
          {session.organizationId ? (
            <>
              {organizationName ? <>{organizationName} </> : null}
              <code className="font-mono text-ink-muted">({session.organizationId})</code>
            </>
          ) : (
            <span className="text-ink-muted">None</span>
          )}
        </Field>
        <Field label="Role" testId="role">
          {session.role ?? <span className="text-ink-muted">None</span>}
        </Field>
        <Field label="Roles" testId="roles">
          <List items={session.roles} />
        </Field>
        <Field label="Permissions" testId="permissions">
          <List items={session.permissions} />
        </Field>
        <Field label="Entitlements" testId="entitlements">
          <List items={session.entitlements} />
        </Field>
        <Field label="Feature flags" testId="feature-flags">
          <List items={session.featureFlags} />
        </Field>
        <Field label="Access token expires" testId="access-token-expiry">
          {session.accessTokenExpiresAt ? <Timestamp value={session.accessTokenExpiresAt} /> : 'Unknown'}
        </Field>
      </dl>
      <form action={refreshSessionAction} className="mt-4">
        <button type="submit" className="rounded-md border border-gray-300 px-3 py-2 text-sm font-medium hover:bg-gray-100">
          Refresh session
        </button>
      </form>
    </Card>
  );
}
