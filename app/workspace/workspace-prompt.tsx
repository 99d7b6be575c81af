/** On the dashboard of a user without an organization: the way to the workspace page (lib/features/workspace/). */
import Link from 'next/link';
import { Card } from '@/app/components/dashboard/ui';

export function WorkspacePrompt() {
  return (
    <Card title="Your workspace">
      <p className="mb-3 text-sm">You are not in a workspace yet. Create one to work with your team.</p>
      <Link href="/workspace" className="font-medium text-brand-700 underline">
        Create your workspace
      </Link>
    </Card>
  );
}
