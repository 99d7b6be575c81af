import type { ConnectedProviderState } from '@/lib/features/provider-tokens/provider-tokens';
import { Timestamp } from './timestamp';
import { Card, Field, List } from './ui';

/** The social-login provider behind this account, if any (never its tokens). */
export function ConnectedAccountPanel({ provider }: { provider: ConnectedProviderState }) {
  return (
    <Card title="Connected account">
      {provider === 'unavailable' ? (
        <p className="text-sm text-ink-muted" data-testid="oauth-provider-unavailable">
          Your connected account cannot be shown right now. Reload the page in a moment.
        </p>
      ) : provider ? (
        <dl className="divide-y divide-gray-100">
          <Field label="Provider" testId="oauth-provider">
            {provider.provider}
          </Field>
          <Field label="Scopes" testId="oauth-scopes">
            <List items={provider.scopes} />
          </Field>
          <Field label="Provider token expires" testId="oauth-expiry">
            <Timestamp value={provider.expiresAt} />
          </Field>
        </dl>
      ) : (
        <p className="text-sm text-ink-muted" data-testid="oauth-provider-none">
          No provider connected. Sign in with Google, Microsoft or GitHub to connect one.
        </p>
      )}
    </Card>
  );
}
