// app/api/settings/route.ts — an API route: without a session the proxy answers
// 401 JSON before it runs; getSession() also covers a token that expired in between.
import { NextResponse } from 'next/server';
import { API_UNAUTHORIZED_BODY, getSession } from '@/lib/auth';

export async function GET() {
  const session = await getSession();
  if (!session) return NextResponse.json(API_UNAUTHORIZED_BODY, { status: 401 });
  return NextResponse.json({ owner: session.user.id, organization: session.organizationId ?? null });
}
