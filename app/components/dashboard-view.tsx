/**
 * The dashboard's markup, given the data the page loaded. Used by the real page
 * (app/dashboard/page.tsx); `npm run bench` also renders it from fixture data in
 * its temporary peer builds (bench/variants/), so it can measure what
 * authentication adds to the same work.
 *
 * Only what waits on WorkOS streams: the organization list is a WorkOS call on
 * a cache miss (once per user per minute, up to the 4 s request timeout), so
 * the organization name and the switcher render inside their own Suspense
 * boundaries. Everything else is in the first flush. A page-level loading.tsx
 * used to hold the whole dashboard behind one boundary, and React reveals a
 * streamed boundary no sooner than the next animation frame (up to 300 ms
 * after a previous reveal): Lighthouse counted that as LCP render delay
 * (docs/performance.md).
 */
import Link from 'next/link';
import { Suspense, type ReactNode } from 'react';
import { refreshSessionAction, switchOrganizationAction } from '@/lib/auth/actions';
import type { ConnectedProvider } from '@/lib/auth/oauth-tokens';
import type { OrganizationChoice } from '@/lib/auth/organizations';
import { PERMISSIONS } from '@/lib/auth/permissions';
import { hasPermission, type AppSession } from '@/lib/auth/session';
import type { SignInContext } from '@/lib/auth/sign-in-context';

export interface DashboardViewProps {
  session: AppSession;
  /** Not awaited by the page: only the parts that show organizations wait for it. */
  organizations: Promise<OrganizationChoice[]>;
  provider: ConnectedProvider | null;
  signInContext: SignInContext | null;
  switchMessage: string | undefined;
}

function Field({ label, testId, children }: { label: string; testId: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-1 gap-1 py-2 sm:grid-cols-3">
      <dt className="text-sm font-medium text-ink-muted">{label}</dt>
      <dd className="text-sm sm:col-span-2" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

function List({ items }: { items: string[] }) {
  if (items.length === 0) return <span className="text-ink-muted">None</span>;
  return (
    <ul className="flex flex-wrap gap-2">
      {items.map((item) => (
        <li key={item} className="rounded bg-brand-50 px-2 py-0.5 font-mono text-xs text-brand-800">
          {item}
        </li>
      ))}
    </ul>
  );
}

function Card({ title, children }: { title: string; children: ReactNode }) {
  const id = `card-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <section aria-labelledby={id} className="rounded-lg border border-gray-200 bg-white p-6 shadow-sm">
      <h2 id={id} className="mb-3 text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

async function OrganizationName({ organizations, organizationId }: { organizations: Promise<OrganizationChoice[]>; organizationId: string }) {
  const current = (await organizations).find((organization) => organization.id === organizationId);
  return <>{current?.name ?? 'Unknown organization'}</>;
}

async function OrganizationSwitcher({ organizations: pending, currentId }: { organizations: Promise<OrganizationChoice[]>; currentId: string | undefined }) {
  const organizations = await pending;
  if (organizations.length <= 1) return null;
  return (
    <Card title="Organizations">
      <form action={switchOrganizationAction} className="flex flex-wrap items-end gap-3">
        <div className="flex flex-col gap-1">
          <label htmlFor="organizationId" className="text-sm font-medium">
            Organization
          </label>
          <select id="organizationId" name="organizationId" defaultValue={currentId} className="rounded-md border border-gray-300 bg-white px-3 py-2 text-sm">
            {organizations.map((organization) => (
              <option key={organization.id} value={organization.id}>
                {organization.name} ({organization.role})
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="rounded-md bg-brand-600 px-3 py-2 text-sm font-medium text-white hover:bg-brand-700">
          Switch organization
        </button>
      </form>
    </Card>
  );
}

export function DashboardView({ session, organizations, provider, signInContext, switchMessage }: DashboardViewProps) {
  const { user } = session;
  const name = [user.firstName, user.lastName].filter(Boolean).join(' ') || user.email;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <h1 className="text-3xl font-bold tracking-tight">Dashboard</h1>
        {hasPermission(session, PERMISSIONS.manageUsers) ? (
          <Link href="/dashboard/admin" className="font-medium text-brand-700 underline">
            Admin area
          </Link>
        ) : null}
      </div>

      {switchMessage ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900">
          {switchMessage}
        </p>
      ) : null}

      {signInContext ? (
        <p className="rounded-md border border-brand-200 bg-brand-50 px-4 py-3 text-sm text-brand-900" data-testid="sign-in-context">
          You started {signInContext.intent === 'sign-up' ? 'signing up' : 'signing in'} from{' '}
          <code className="font-mono">{signInContext.startedFrom}</code> and spent {signInContext.hostedStepSeconds}s on the
          hosted page.
        </p>
      ) : null}

      <Card title="Account">
        <div className="mb-4 flex items-center gap-4">
          {user.profilePictureUrl ? (
            // Avatars come from arbitrary identity providers; next/image would need every host allow-listed.
            // eslint-disable-next-line @next/next/no-img-element
            <img src={user.profilePictureUrl} alt="" width={48} height={48} className="h-12 w-12 rounded-full" />
          ) : (
            <span aria-hidden="true" className="flex h-12 w-12 items-center justify-center rounded-full bg-brand-600 text-lg font-semibold text-white">
              {name.charAt(0).toUpperCase()}
            </span>
          )}
          <div>
            <p className="font-semibold" data-testid="user-name">
              {name}
            </p>
            <p className="text-sm text-ink-muted" data-testid="user-email">
              {user.email}
            </p>
          </div>
        </div>
        <dl className="divide-y divide-gray-100">
          <Field label="User ID" testId="user-id">
            <code className="font-mono">{user.id}</code>
          </Field>
          <Field label="Email verified" testId="email-verified">
            {user.emailVerified ? 'Yes' : 'No'}
          </Field>
        </dl>
      </Card>

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
                <Suspense fallback={<span className="text-ink-muted">Loading…</span>}>
                  <OrganizationName organizations={organizations} organizationId={session.organizationId} />
                </Suspense>{' '}
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
            {session.accessTokenExpiresAt ? (
              <time dateTime={session.accessTokenExpiresAt.toISOString()}>{session.accessTokenExpiresAt.toISOString()}</time>
            ) : (
              'Unknown'
            )}
          </Field>
        </dl>
        <form action={refreshSessionAction} className="mt-4">
          <button type="submit" className="rounded-md border border-gray-300 px-3 py-2 text-sm font-medium hover:bg-gray-100">
            Refresh session
          </button>
        </form>
      </Card>

      <Suspense fallback={null}>
        <OrganizationSwitcher organizations={organizations} currentId={session.organizationId} />
      </Suspense>

      <Card title="Connected account">
        {provider ? (
          <dl className="divide-y divide-gray-100">
            <Field label="Provider" testId="oauth-provider">
              {provider.provider}
            </Field>
            <Field label="Scopes" testId="oauth-scopes">
              <List items={provider.scopes} />
            </Field>
            <Field label="Provider token expires" testId="oauth-expiry">
              <time dateTime={provider.expiresAt.toISOString()}>{provider.expiresAt.toISOString()}</time>
            </Field>
          </dl>
        ) : (
          <p className="text-sm text-ink-muted" data-testid="oauth-provider-none">
            No provider connected. Sign in with Google, Microsoft or GitHub to connect one.
          </p>
        )}
      </Card>
    </div>
  );
}
