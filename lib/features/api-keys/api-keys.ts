/** The organization's API keys for the admin panel: never rejects (lib/features/workos-reads.ts). */
import 'server-only';

import { listOrganizationApiKeys, type AppSession, type OrganizationApiKey } from '@/lib/auth';
import { readForPanel, type PanelData } from '../workos-reads';

export function listApiKeysForPanel(session: AppSession): Promise<PanelData<OrganizationApiKey[]>> {
  const organizationId = session.organizationId;
  if (!organizationId) return Promise.resolve({ ok: true, value: [] });
  return readForPanel('list_organization_api_keys', session.user.id, () => listOrganizationApiKeys(organizationId));
}
