/**
 * The organization's API keys (admin page, users:manage): list, create (the secret shown once, by the
 * form), revoke. Machines send a key to GET /api/v1/organization (README, "Organization API keys").
 */
import { revokeApiKeyAction } from '@/lib/features/api-keys/actions';
import { listApiKeysForPanel } from '@/lib/features/api-keys/api-keys';
import { API_KEY_NOTICES, type ApiKeyNotice } from '@/lib/features/api-keys/notices';
import { STEP_UP_MAX_AGE_SECONDS, type AppSession } from '@/lib/auth';
import { ApiKeyCreateForm } from './api-key-create-form';
import { RecentSignInNotice } from './recent-sign-in-notice';
import { Timestamp } from './timestamp';
import { Card, Unavailable } from './ui';

export async function ApiKeysPanel({ session, notice }: { session: AppSession; notice: ApiKeyNotice | undefined }) {
  const keys = await listApiKeysForPanel(session);
  return (
    <Card title="Organization API keys">
      {notice ? (
        <p
          role={API_KEY_NOTICES[notice].tone === 'success' ? 'status' : 'alert'}
          className="mb-3 rounded-md border border-gray-200 bg-gray-50 px-3 py-2 text-sm"
        >
          {API_KEY_NOTICES[notice].text}
        </p>
      ) : null}
      {!keys.ok ? (
        <Unavailable what="the API keys" />
      ) : keys.value.length === 0 ? (
        <p className="text-sm text-ink-muted">No API keys yet.</p>
      ) : (
        <ul className="divide-y divide-gray-100" aria-label="API keys">
          {keys.value.map((key) => (
            <li key={key.id} className="flex flex-wrap items-center justify-between gap-3 py-2" data-testid="api-key">
              <span>
                <span className="font-medium">{key.name}</span>{' '}
                <code className="font-mono text-sm text-ink-muted">{key.obfuscatedValue}</code>
                <span className="block text-xs text-ink-muted">
                  Created <Timestamp value={key.createdAt} />
                  {key.lastUsedAt ? (
                    <>
                      , last used <Timestamp value={key.lastUsedAt} />
                    </>
                  ) : (
                    ', never used'
                  )}
                </span>
              </span>
              <form action={revokeApiKeyAction}>
                <input type="hidden" name="apiKeyId" value={key.id} />
                <button
                  type="submit"
                  aria-label={`Revoke ${key.name}`}
                  className="rounded-md border border-gray-300 px-3 py-1 text-sm font-medium hover:bg-gray-100"
                >
                  Revoke
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <ApiKeyCreateForm />
      <RecentSignInNotice maxAge={STEP_UP_MAX_AGE_SECONDS} action="create an API key" />
    </Card>
  );
}
