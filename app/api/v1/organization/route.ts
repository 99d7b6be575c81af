// app/api/v1/organization/route.ts — an API for machines: a script or another service holding one of
// the organization's API keys (created on /dashboard/admin) sends it as `Authorization: Bearer <key>`.
// authkit's validateApiKey() checks it with WorkOS on every request; the answer is that organization's
// data. No cookie: the proxy lets the route through without a session (BEARER_API_PATHS in
// lib/auth/session/route-access.ts). README, "Organization API keys".
import { NextResponse } from 'next/server';
import { authenticateApiKey, getOrganization } from '@/lib/auth';

export async function GET(request: Request) {
  const auth = await authenticateApiKey(request);
  if (!auth.ok) return auth.response; // 401 (WWW-Authenticate: Bearer …) or 503 with Retry-After, JSON
  const { id, name, organizationId, permissions } = auth.apiKey;
  try {
    const organization = await getOrganization(organizationId);
    return NextResponse.json({ organization, apiKey: { id, name, permissions } });
  } catch {
    const message = 'WorkOS could not be reached to read the organization. Try again shortly.';
    return NextResponse.json({ error: 'unavailable', message }, { status: 503, headers: { 'retry-after': '5' } });
  }
}
