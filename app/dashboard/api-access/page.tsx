import type { Metadata } from 'next';
import { ProjectsApiPanel } from '@/app/components/api-access/projects-api-panel';
import { TokenClaimsPanel } from '@/app/components/api-access/token-claims-panel';
import { requireSession, STEP_UP_MAX_AGE_SECONDS } from '@/lib/auth';

export const metadata: Metadata = { title: 'API access' };

/** authkit's client hooks at work: the access token in the browser (README, "Client components"). */
export default async function ApiAccessPage() {
  await requireSession();
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold tracking-tight">API access</h1>
      <p className="text-ink-muted">
        Client components read the session with authkit&apos;s hooks. The browser holds a short-lived access token, refreshed by the server
        before it expires; the refresh token never leaves the server.
      </p>
      <TokenClaimsPanel stepUpMaxAge={STEP_UP_MAX_AGE_SECONDS} />
      <ProjectsApiPanel />
    </div>
  );
}
