'use client';

/**
 * Calls the app's own API (GET /api/projects) the way a separate frontend calls a separate backend:
 * with `Authorization: Bearer <access token>` from authkit's useAccessToken(). getAccessToken()
 * hands back a token that is not about to expire, refreshing it first when it is (one refresh per
 * refresh token, however many tabs ask). README, "Call your own API".
 */
import { useState } from 'react';
import { useAccessToken } from '@/lib/auth/client';
import { Card, Field, List } from '../dashboard/ui';

interface ProjectsAnswer {
  organizationId: string | null;
  projects: string[];
  canCreateProjects: boolean;
}

type CallState =
  | { state: 'idle' }
  | { state: 'calling' }
  | { state: 'answered'; answer: ProjectsAnswer; tokenId: string }
  | { state: 'failed'; message: string };

/** The `jti` of a JWT, to show which token a call used (decoding only: the API verifies it). */
function tokenIdOf(token: string): string {
  try {
    const payload = JSON.parse(atob((token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/'))) as { jti?: unknown };
    return typeof payload.jti === 'string' ? payload.jti : '';
  } catch {
    return '';
  }
}

export function ProjectsApiPanel() {
  const { getAccessToken } = useAccessToken();
  const [call, setCall] = useState<CallState>({ state: 'idle' });

  async function callApi() {
    setCall({ state: 'calling' });
    let token: string | undefined;
    try {
      token = await getAccessToken();
    } catch (error) {
      // WorkOS could not refresh right now: the session is kept, try again. Anything else (the session
      // ended, or the request never got an answer): reload, and the proxy sends a signed-out page to sign-in.
      if (error instanceof Error && error.message === 'refresh_failed') {
        setCall({ state: 'failed', message: 'Your access token could not be refreshed right now. Try again in a moment.' });
      } else {
        window.location.reload();
      }
      return;
    }
    if (!token) return window.location.reload();
    const response = await fetch('/api/projects', { headers: { Authorization: `Bearer ${token}` } });
    if (!response.ok) {
      const { message } = (await response.json().catch(() => ({}))) as { message?: string };
      setCall({ state: 'failed', message: `The API answered ${response.status}: ${message ?? 'no message'}` });
      return;
    }
    setCall({ state: 'answered', answer: (await response.json()) as ProjectsAnswer, tokenId: tokenIdOf(token) });
  }

  return (
    <Card title="Call your own API">
      <p className="mb-3 text-sm text-ink-muted">
        <code className="font-mono">GET /api/projects</code> with <code className="font-mono">Authorization: Bearer</code> and the access
        token: the route verifies it against WorkOS&apos; keys, without a cookie.
      </p>
      <button
        type="button"
        onClick={callApi}
        disabled={call.state === 'calling'}
        className="rounded-md bg-brand-600 px-3 py-2 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-50"
      >
        Call the API
      </button>
      {call.state === 'failed' ? (
        <p role="alert" className="mt-3 text-sm text-red-900">
          {call.message}
        </p>
      ) : null}
      {call.state === 'answered' ? (
        <dl className="mt-3 divide-y divide-gray-100" aria-label="API answer">
          <Field label="Organization" testId="api-organization">
            {call.answer.organizationId ?? <span className="text-ink-muted">None</span>}
          </Field>
          <Field label="Projects" testId="api-projects">
            <List items={call.answer.projects} />
          </Field>
          <Field label="May create projects" testId="api-can-create">
            {call.answer.canCreateProjects ? 'Yes' : 'No'}
          </Field>
          <Field label="Sent with token" testId="api-token-id">
            <code className="font-mono">{call.tokenId}</code>
          </Field>
        </dl>
      ) : null}
    </Card>
  );
}
