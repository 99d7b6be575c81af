// app/api/projects/route.ts — an API for clients that hold an access token, not a cookie: another
// service, a mobile app, or this app's own client components (useAccessToken). The route verifies
// the token itself against WorkOS' JWKS (no WorkOS call per request) and answers with the data of the
// token's organization, as its permissions allow; the proxy lets it through without a session
// (BEARER_API_PATHS in lib/auth/session/route-access.ts). README, "Call your own API".
import { NextResponse } from 'next/server';
import { projectsOf } from '@/app/projects/projects';
import { PERMISSIONS } from '@/lib/permissions';
import { authenticateBearer } from '@/lib/auth';

export async function GET(request: Request) {
  const auth = await authenticateBearer(request);
  if (!auth.ok) return auth.response; // 401 (WWW-Authenticate: Bearer …) or 503, JSON
  const { organizationId, permissions } = auth.token;
  return NextResponse.json({
    organizationId: organizationId ?? null,
    projects: projectsOf(organizationId),
    canCreateProjects: permissions.includes(PERMISSIONS.writePosts),
  });
}
