// app/settings/page.tsx — a page that needs a signed-in user. Nothing to register:
// every route needs a session unless lib/auth/session/route-access.ts lists it as public.
import { requireSession } from '@/lib/auth';

export default async function SettingsPage() {
  const session = await requireSession();
  return <h1 className="text-3xl font-bold tracking-tight">Settings for {session.user.email}</h1>;
}
