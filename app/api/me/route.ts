import { NextResponse } from 'next/server';
import { API_UNAUTHORIZED_BODY, getSession } from '@/lib/auth';

/**
 * An example protected API route: who is signed in. Nothing lists it as
 * protected: the proxy answers 401 JSON for every route under app/api/ without
 * a session (lib/auth/session/route-access.ts). The check here covers a session the
 * proxy accepted but the render does not (e.g. an access token that expired in
 * between).
 */
export async function GET(): Promise<NextResponse> {
  const session = await getSession();
  if (!session) return NextResponse.json(API_UNAUTHORIZED_BODY, { status: 401 });
  return NextResponse.json({
    id: session.user.id,
    email: session.user.email,
    organizationId: session.organizationId ?? null,
    role: session.role ?? null,
    permissions: session.permissions,
  });
}
