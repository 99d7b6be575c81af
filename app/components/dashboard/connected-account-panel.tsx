import type { ConnectedProvider } from '@/lib/features/provider-tokens/provider-tokens';
import { Card, Field, List } from './ui';

/** The social-login provider behind this account, if any (never its tokens). */
export function ConnectedAccountPanel({ provider }: { provider: ConnectedProvider | null }) {
  return (
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
  );
}
